"""Every case of fdm_v2_examples.json reproduced by the pure parts: auth header, VAT rule, signature, ids."""

from __future__ import annotations

import base64
import hashlib
from decimal import Decimal

import pytest

from sce.fiscal.v2.auth import fdm_authorization
from sce.fiscal.v2.identifiers import check_employee_id, check_est_no, check_vat_no
from sce.fiscal.v2.signing import Signer, canonical_message, short_signature, verification_url, verify
from sce.fiscal.v2.vat import vat_for
from tests.fiscal.v2.support import vectors

V = vectors()


@pytest.mark.parametrize("case", V["authorization"], ids=lambda c: c["date"])
def test_authorization_header(case: dict[str, str]) -> None:
    body = case["body"].encode("utf-8")
    assert (case["method"] + case["date"] + case["secret"]).encode() + body == case["hash_input"].encode(
        "utf-8"
    )
    assert (
        fdm_authorization(case["method"], case["date"], case["secret"], body)
        == case["expected_authorization"]
    )


@pytest.mark.parametrize("case", V["vat_rule"], ids=lambda c: f"{c['label']}{c['total']}")
def test_vat_rule(case: dict[str, object]) -> None:
    result = vat_for(str(case["label"]), Decimal(str(case["total"])))
    assert result.rate == Decimal(str(case["rate"]))
    assert result.vat_amount == Decimal(str(case["vatAmount"]))
    assert result.taxable_amount == Decimal(str(case["taxableAmount"]))
    assert result.total_amount == Decimal(str(case["total"]))
    assert result.out_of_scope is case["outOfScope"]


def test_signature_example_reproduced_byte_for_byte() -> None:
    case = V["signature_example"]
    payload = case["payload"]
    message = canonical_message(payload["data"], payload["eventOperation"], payload["fdmRef"])
    assert message == case["canonical_message"].encode("utf-8")
    assert hashlib.sha256(message).hexdigest() == case["canonical_message_sha256"]
    signer = Signer.from_pem(case["private_key_pem_test_only"].encode())
    assert signer.public_pem() == case["public_key_pem"]
    signature = signer.sign(message)
    assert signature == case["digitalSignature"]
    assert len(base64.b64decode(signature)) == case["digitalSignature_bytes"]
    assert verify(case["public_key_pem"], message, signature)
    assert not verify(case["public_key_pem"], message.replace(b"52.0", b"52.1"), signature)
    assert short_signature(signature) == case["shortSignature"]
    url = verification_url(case["verification_base_url"], payload["fdmRef"], case["shortSignature"])
    assert url == case["verificationUrl"]


@pytest.mark.parametrize(
    ("kind", "case"),
    [(kind, case) for kind in ("vatNo", "estNo", "employeeId") for case in V["identifiers"][kind]],
    ids=lambda item: item if isinstance(item, str) else item["value"],
)
def test_identifiers(kind: str, case: dict[str, object]) -> None:
    check = {"vatNo": check_vat_no, "estNo": check_est_no, "employeeId": check_employee_id}[kind]
    assert (check(str(case["value"])) is None) is case["valid"]
