"""The per-key ECDSA P-256 tables agree with the reference check (``cryptography``) on every signature.

A ``True`` of the fast check is final, so it must never accept what the reference refuses: each case
below puts a valid signature next to altered ones (message, r, s, the other key, swapped halves, the
mirrored s that ECDSA also accepts) and out-of-range values, and compares the two verdicts.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from sce.verifier import p256, verify_export
from sce.verifier.signatures import KeyRing, SignatureCheck, _ecdsa_ok, signature_problems
from tests.verifier.tampering import edit, find_seq

N = p256.N
ALGORITHM = ec.ECDSA(hashes.SHA256())


def point_of(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def raw_signature(private: ec.EllipticCurvePrivateKey, message: bytes) -> bytes:
    r, s = decode_dss_signature(private.sign(message, ALGORITHM))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def fast_verdict(table: p256.KeyTable, message: bytes, signature: bytes) -> bool:
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    assert 0 < r < N and 0 < s < N
    return table.verify(p256.message_number(message), r, pow(s, -1, N))


def check_of(key: ec.EllipticCurvePublicKey, message: bytes, signature: bytes, table: Any) -> SignatureCheck:
    text = signature.hex()
    return SignatureCheck(key, message, signature, text, "{}", "{}", "SALE", 0, table)


def test_the_fast_check_is_there_on_linux() -> None:
    # Python's own hashlib and ssl use libcrypto: on Linux it is always there
    assert p256.available() or sys.platform != "linux"


def test_batch_inverses_are_the_modular_inverses() -> None:
    rng = random.Random(7)
    values = [1, 2, N - 1, N - 2] + [rng.randrange(1, N) for _ in range(300)]
    assert p256.inverses(values) == [pow(value, -1, N) for value in values]
    assert p256.inverses([]) == []
    assert p256.inverses([5]) == [pow(5, -1, N)]


def test_valid_and_altered_signatures_get_the_reference_verdict() -> None:
    rng = random.Random(2026)
    keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(3)]
    tables = [p256.KeyTable(point_of(key.public_key())) for key in keys]
    compared = accepted = 0
    for round_ in range(40):
        which = round_ % len(keys)
        private, table = keys[which], tables[which]
        public = private.public_key()
        message = rng.randbytes(rng.randrange(0, 600))
        signature = raw_signature(private, message)
        r = int.from_bytes(signature[:32], "big")
        s = int.from_bytes(signature[32:], "big")
        flipped = bytearray(message or b"\0")
        flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
        other = raw_signature(keys[(which + 1) % len(keys)], message)
        cases = [
            (message, signature),
            (bytes(flipped), signature),
            (message, ((r % (N - 1)) + 1).to_bytes(32, "big") + signature[32:]),
            (message, signature[:32] + ((s % (N - 1)) + 1).to_bytes(32, "big")),
            (message, signature[32:] + signature[:32]),
            (message, signature[:32] + (N - s).to_bytes(32, "big")),  # also valid ECDSA
            (message, other),
            (message + b"x", signature),
        ]
        for case_message, case_signature in cases:
            reference = _ecdsa_ok(public, case_message, case_signature)
            assert fast_verdict(table, case_message, case_signature) is reference, (round_, case_signature)
            compared += 1
            accepted += reference
    assert compared == 320 and accepted == 80  # the valid and the mirrored s of each round


def test_a_sum_at_infinity_is_refused() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    d = private.private_numbers().private_value
    table = p256.KeyTable(point_of(private.public_key()))
    r = 0x1234567890ABCDEF
    w = pow(987654321, -1, N)
    # (e w) G + (r w) Q = w (e + r d) G: the point at infinity when e = -r d
    assert table.verify((-r * d) % N, r, w) is False
    # the same numbers with e one off give a point whose x is checked: still no
    assert table.verify((-r * d + 1) % N, r, w) is False


def test_a_message_number_of_zero_mod_n_is_checked_as_zero() -> None:
    # u1 = e w = 0: X = (r w) Q alone; built from the private key so the signature holds
    rng = random.Random(5)
    private = ec.generate_private_key(ec.SECP256R1())
    d = private.private_numbers().private_value
    table = p256.KeyTable(point_of(private.public_key()))
    for _ in range(5):
        t = rng.randrange(1, N)
        x = ec.derive_private_key(t, ec.SECP256R1()).public_key().public_numbers().x
        r = x % N
        w = t * pow(r * d, -1, N) % N  # (r w) d = t
        assert table.verify(0, r, w) is True
        assert table.verify(N, r, w) is True  # e is taken mod n
        assert table.verify(1, r, w) is False


def test_each_fdm_has_its_own_table() -> None:
    keys = {fdm_id: ec.generate_private_key(ec.SECP256R1()) for fdm_id in ("FDM-A", "FDM-B")}
    ring = KeyRing(v2={fdm_id: key.public_key() for fdm_id, key in keys.items()})
    table_a, table_b = ring.table("FDM-A"), ring.table("FDM-B")
    assert table_a is not None and table_b is not None and table_a is not table_b
    message = b"signed by A"
    signature = raw_signature(keys["FDM-A"], message)
    assert fast_verdict(table_a, message, signature) is True
    assert fast_verdict(table_b, message, signature) is False
    # A's valid signature on a record that names FDM B: B's key and table decide, and refuse it
    checks = [
        check_of(ring.v2["FDM-B"], message, signature, table_b),
        check_of(ring.v2["FDM-A"], message, signature, table_a),
    ]
    problems = signature_problems(checks)
    assert problems[0] is not None and problems[1] is None


def test_values_out_of_range_take_the_reference_only() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key()
    message = b"out of range"
    good = raw_signature(private, message)

    class Refusing:
        def verify(self, e: int, r: int, w: int) -> bool:
            raise AssertionError("an out-of-range value reached the fast check")

    halves = [0, N, N + 1, (1 << 256) - 1]
    signatures = [h.to_bytes(32, "big") + good[32:] for h in halves]
    signatures += [good[:32] + h.to_bytes(32, "big") for h in halves]
    signatures += [good[:31], good + b"\0", b""]
    checks = [check_of(public, message, signature, Refusing()) for signature in signatures]
    problems = signature_problems(checks)
    assert all(problem is not None and problem[0] == "reply.digitalSignature" for problem in problems)


def test_every_no_of_the_fast_check_is_asked_again_of_the_reference() -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key()
    asked: list[int] = []

    class SaysNo:
        def verify(self, e: int, r: int, w: int) -> bool:
            asked.append(r)
            return False

    messages = [f"message {n}".encode() for n in range(5)]
    checks = [check_of(public, m, raw_signature(private, m), SaysNo()) for m in messages]
    checks.append(check_of(public, b"changed", checks[0].signature, SaysNo()))
    problems = signature_problems(checks)
    assert len(asked) == 6
    assert problems[:5] == [None] * 5  # the reference accepts them
    assert problems[5] is not None and problems[5][0] == "reply.digitalSignature"


def test_a_batch_mixes_keys_tables_and_verdicts() -> None:
    keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(2)]
    tables = [p256.KeyTable(point_of(key.public_key())) for key in keys]
    checks: list[SignatureCheck] = []
    expected: list[bool] = []
    for n in range(30):
        which = n % 2
        message = hashlib.sha256(str(n).encode()).digest() * (n % 4 + 1)
        signature = raw_signature(keys[which], message)
        if n % 3 == 0:
            message += b"!"
        table = tables[which] if n % 5 else None  # some checks without a table: the reference alone
        checks.append(check_of(keys[which].public_key(), message, signature, table))
        expected.append(n % 3 != 0)
    problems = signature_problems(checks)
    assert [problem is None for problem in problems] == expected


@pytest.mark.parametrize("point", [b"\x04" + bytes(64), b"\x04" + b"\x01" * 64, b"", b"\x02" + bytes(31)])
def test_a_point_off_the_curve_gets_no_table(point: bytes) -> None:
    with pytest.raises(ValueError, match="libcrypto"):
        p256.KeyTable(point)


def test_the_ring_makes_one_table_per_key_and_none_when_off(v2_export: Path) -> None:
    ring = KeyRing.load(v2_export / "keys.json")
    fdm_id = next(iter(ring.v2))
    table = ring.table(fdm_id)
    assert isinstance(table, p256.KeyTable) and ring.table(fdm_id) is table
    assert ring.table("FDM-NOT-LISTED") is None
    off = KeyRing.load(v2_export / "keys.json")
    off.fast = False
    assert off.table(fdm_id) is None


def test_an_sce2_key_on_another_curve_is_refused(tmp_path: Path) -> None:
    keys = {"FDM-K1": ec.SECP256K1(), "FDM-P256": ec.SECP256R1()}
    entries = [
        {
            "fdm_id": fdm_id,
            "generation": 2,
            "public_key_pem": ec.generate_private_key(curve)
            .public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode("ascii"),
        }
        for fdm_id, curve in keys.items()
    ]
    (tmp_path / "keys.json").write_text(json.dumps({"fdms": entries}), encoding="utf-8")
    ring = KeyRing.load(tmp_path / "keys.json")
    assert list(ring.v2) == ["FDM-P256"]
    assert len(ring.problems) == 1 and "secp256k1, not P-256" in ring.problems[0]


def test_an_export_without_sce2_keys_needs_no_table(v1_export: Path) -> None:
    assert verify_export(v1_export, jobs=0).to_json()["ecdsa_key_tables"] is None


def test_without_libcrypto_the_reference_checks_everything(
    v2_export: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(p256, "_library", lambda: None)
    with pytest.raises(ValueError, match="no libcrypto"):
        p256.KeyTable(b"\x04" + bytes(64))
    ring = KeyRing.load(v2_export / "keys.json")
    assert ring.table(next(iter(ring.v2))) is None
    summary = verify_export(v2_export, jobs=0)
    assert summary.ok and summary.signatures == summary.events
    assert summary.to_json()["ecdsa_key_tables"] is False


@pytest.mark.parametrize("jobs", [0, 2])
def test_both_ways_find_the_same_forged_signatures(
    jobs: int, v2_export: Path, copy_of: Callable[[Path], Path]
) -> None:
    root = copy_of(v2_export)
    sales = [
        find_seq(root, lambda r: r["type"] == "event" and (r.get("event") or {}).get("kind") == "SALE", nth)
        for nth in (1, 3, 5)
    ]

    def forge(record: dict[str, Any]) -> None:
        request = json.loads(record["request"])
        request["variables"]["data"]["transaction"]["transactionTotal"] += 1
        record["request"] = json.dumps(request)

    def sign_other(record: dict[str, Any]) -> None:
        reply = json.loads(record["reply"])
        result = next(iter(reply["data"].values()))
        signature = bytearray(base64.b64decode(result["digitalSignature"]))
        signature[40] ^= 0x10
        result["digitalSignature"] = base64.b64encode(bytes(signature)).decode("ascii")
        record["reply"] = json.dumps(reply)
        record["fdm"]["signature"] = result["digitalSignature"]

    edit(root, sales[0], forge, reseal=True)
    edit(root, sales[1], sign_other, reseal=True)
    edit(root, sales[2], forge, reseal=True)
    fast = verify_export(root, jobs=jobs)
    reference = verify_export(root, jobs=jobs, key_tables=False)
    assert fast.to_json()["ecdsa_key_tables"] is True
    assert reference.to_json()["ecdsa_key_tables"] is False
    forged = {f.seq for f in fast.first if f.field == "reply.digitalSignature"}
    assert forged == set(sales)
    assert [f.to_json() for f in fast.first] == [f.to_json() for f in reference.first]
