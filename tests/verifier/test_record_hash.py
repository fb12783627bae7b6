"""A record's hash read off its line: the line without its ``hash`` member, else the record re-encoded."""

from __future__ import annotations

import json

from sce.journal.format import GENESIS, JOURNAL_FORMAT, line_of, seal
from sce.verifier.run import _hash_matches, analyse_line
from sce.verifier.signatures import KeyRing


def _record() -> dict[str, object]:
    return seal(
        {
            "format": JOURNAL_FORMAT,
            "seq": 1,
            "type": "incident",
            "recorded_at": "2026-01-01T10:00:00+01:00",
            "pos": {"note": "drawer jammed", "hash": "not the record's"},
        },
        GENESIS,
    )


def test_a_canonical_line_is_hashed_as_it_stands() -> None:
    record = _record()
    assert _hash_matches(line_of(record).encode(), record["hash"])


def test_a_line_in_another_form_is_left_to_the_re_encoding() -> None:
    record = _record()
    spaced = json.dumps(record, sort_keys=True).encode()  # ", " and ": " separators
    assert not _hash_matches(spaced, record["hash"])
    found, slim = analyse_line(spaced, 1, KeyRing())
    assert slim is not None and not [f for f in found if f.check == "hash"]


def test_a_copy_of_the_member_elsewhere_does_not_pass() -> None:
    record = _record()
    claimed = str(record["hash"])
    line = line_of(record).encode()
    copied = line.replace(b'"note":', b'"hash":"' + claimed.encode() + b'","note":')
    assert not _hash_matches(copied, claimed)
    found, _slim = analyse_line(copied, 1, KeyRing())
    assert any(f.check == "hash" for f in found)


def test_a_record_without_its_own_hash_member_is_found() -> None:
    record = _record()
    claimed = str(record["hash"])
    line = line_of(record).encode()
    moved = line.replace(b',"hash":"' + claimed.encode() + b'"', b"")
    assert b'"hash":"' + claimed.encode() not in moved
    found, _slim = analyse_line(moved, 1, KeyRing())
    assert any(f.check == "hash" for f in found)


def test_a_changed_line_does_not_match() -> None:
    record = _record()
    line = line_of(record).encode().replace(b"drawer jammed", b"drawer opened")
    assert not _hash_matches(line, record["hash"])
    found, _slim = analyse_line(line, 1, KeyRing())
    assert [f.field for f in found if f.check == "hash"] == ["hash"]


def test_claims_that_are_not_a_digest_are_not_searched() -> None:
    line = line_of(_record()).encode()
    assert not _hash_matches(line, None)
    assert not _hash_matches(line, "abc")
    assert not _hash_matches(line, 12)
