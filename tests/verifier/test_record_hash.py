"""A record's hash is the SHA-256 of its canonical form without ``hash``, whatever form its line has."""

from __future__ import annotations

import hashlib
import json

from sce.journal.format import GENESIS, JOURNAL_FORMAT, line_of, seal
from sce.verifier.run import analyse_line
from sce.verifier.signatures import KeyRing


def _record() -> dict[str, object]:
    return seal(
        {
            "format": JOURNAL_FORMAT,
            "seq": 1,
            "type": "incident",
            "recorded_at": "2026-01-01T10:00:00+01:00",
            "pos": {"note": "drawer jammed"},
        },
        GENESIS,
    )


def _hash_findings(line: bytes) -> list[str]:
    found, _slim = analyse_line(line, 1, KeyRing())
    return [f.field for f in found if f.check == "hash"]


def _sealed_over_its_own_bytes(body: bytes) -> bytes:
    """``body`` (a JSON object) with a hash computed over exactly those bytes, not the canonical form."""
    claimed = hashlib.sha256(body).hexdigest()
    return body[:-1] + b',"hash":"' + claimed.encode() + b'"}'


def test_a_canonical_line_passes() -> None:
    assert _hash_findings(line_of(_record()).encode()) == []


def test_a_line_in_another_form_passes_on_its_canonical_hash() -> None:
    spaced = json.dumps(_record(), sort_keys=True).encode()  # ", " and ": " separators
    assert _hash_findings(spaced) == []


def test_a_hash_over_the_line_s_own_non_canonical_bytes_is_found() -> None:
    body = {k: v for k, v in _record().items() if k != "hash"}
    spaced = json.dumps(body, sort_keys=True).encode()
    assert _hash_findings(_sealed_over_its_own_bytes(spaced)) == ["hash"]


def test_a_line_with_a_member_twice_is_found() -> None:
    body = {k: v for k, v in _record().items() if k != "hash"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    twice = canonical[:-1] + b',"pos":{"note":"drawer opened"}}'
    assert _hash_findings(_sealed_over_its_own_bytes(twice)) == ["hash"]


def test_a_changed_line_is_found() -> None:
    line = line_of(_record()).encode().replace(b"drawer jammed", b"drawer opened")
    assert _hash_findings(line) == ["hash"]
