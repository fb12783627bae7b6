"""Worked Examples A-D of the spec sent through the client to the emulator over real HTTP (fdm-sha1 auth)."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sce.fiscal.v2.auth import AuthMode
from sce.fiscal.v2.signing import (
    PRIVATE_KEY_FILE,
    PUBLIC_KEY_FILE,
    canonical_message,
    short_signature,
    verify,
)
from tests.fiscal.v2.support import (
    RunningEmulator,
    data_for,
    envelope,
    example_a_data,
    running_emulator,
    vectors,
)

V = vectors()
SIG = V["signature_example"]


@pytest.fixture
def vector_emulator(tmp_path: Path) -> Iterator[RunningEmulator]:
    """The emulator with the vectors' test key, verification base and a fixed clock, behind fdm-sha1."""
    state = tmp_path / "fdm"
    state.mkdir()
    (state / PRIVATE_KEY_FILE).write_text(SIG["private_key_pem_test_only"])
    with running_emulator(
        state,
        auth=AuthMode.FDM_SHA1,
        verification_base_url=SIG["verification_base_url"],
        fdm_id="FOD01000001",
    ) as running:
        running.fdm.clock = lambda: SIG["payload"]["fdmRef"]["fdmDateTime"]
        yield running


def assert_signed(state: Path, data: dict[str, Any], result: dict[str, Any]) -> None:
    """The answer's signature verifies, with the exported public key, over the data as coerced."""
    public = (state / PUBLIC_KEY_FILE).read_text()
    message = canonical_message(data, result["eventOperation"], result["fdmRef"])
    assert verify(public, message, result["digitalSignature"])
    assert len(base64.b64decode(result["digitalSignature"])) == 64


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_example_a_exactly_as_the_spec_answers(vector_emulator: RunningEmulator, tmp_path: Path) -> None:
    with vector_emulator.client() as client:
        # 44 other events and 14 sales first: Example A is then the 15th N event and the 59th event.
        for ticket in range(1, 45):
            client.sign("signWorkIn", data_for("signWorkIn", ticket))
        for ticket in range(100, 114):
            client.sign("signSale", data_for("signSale", ticket))
        example = V["example_a"]
        exchange = client.execute(example["query"], example["variables"], example["operationName"])
    result = exchange.data["signResult"]
    expected = example["expected"]
    assert result["eventOperation"] == expected["eventOperation"] == "SALE"
    for name, value in expected["echo"].items():
        assert result[name] == value
    assert result["posDateTime"] == "2024-07-29T13:00:00.000+02:00"
    assert result["fdmRef"] == SIG["payload"]["fdmRef"]
    assert result["fdmRef"]["eventLabel"] == expected["fdmRef.eventLabel"]
    assert result["fdmSwVersion"]
    assert result["digitalSignature"] == SIG["digitalSignature"]
    assert result["shortSignature"] == SIG["shortSignature"]
    assert result["verificationUrl"] == SIG["verificationUrl"]
    assert len(result["vatCalc"]) == len(expected["vatCalc"])
    for got, want in zip(result["vatCalc"], expected["vatCalc"], strict=True):
        assert got["label"] == want["label"] and got["outOfScope"] is want["outOfScope"]
        for name in ("rate", "taxableAmount", "vatAmount", "totalAmount"):
            assert _money(got[name]) == _money(want[name])
    assert result["bufferCapacityUsed"] == 0.06  # 59 events pending of 100 000, as in the spec's answer
    assert result["warnings"] == [] and result["informations"] == [] and result["footer"] == []
    public = (tmp_path / "fdm" / PUBLIC_KEY_FILE).read_text()
    assert public == SIG["public_key_pem"]
    message = canonical_message(example["variables"]["data"], "SALE", result["fdmRef"])
    assert message == SIG["canonical_message"].encode()
    assert verify(public, message, result["digitalSignature"])


def test_example_a_signature_verifies_with_exported_key_fresh_key(emulator: RunningEmulator) -> None:
    with emulator.client() as client:
        result = client.sign("signSale", example_a_data())
    sign_result = result.data["signResult"]
    public = (emulator.fdm.config.state / PUBLIC_KEY_FILE).read_text()
    message = canonical_message(example_a_data(), "SALE", sign_result["fdmRef"])
    assert verify(public, message, sign_result["digitalSignature"])
    assert len(base64.b64decode(sign_result["digitalSignature"])) == 64
    assert sign_result["shortSignature"] == short_signature(sign_result["digitalSignature"])
    assert (
        sign_result["fdmRef"]["fdmDateTime"].endswith("Z") and len(sign_result["fdmRef"]["fdmDateTime"]) == 24
    )
    assert (sign_result["fdmRef"]["eventCounter"], sign_result["fdmRef"]["totalCounter"]) == (1, 1)
    assert (emulator.fdm.config.state / PRIVATE_KEY_FILE).stat().st_mode & 0o077 == 0, (
        "private key readable by others"
    )


def test_example_b_order_differences_then_empty_sale(emulator: RunningEmulator) -> None:
    steps = V["example_b"]["steps"]
    labels: list[tuple[str, int, int]] = []
    with emulator.client() as client:
        for step in steps:
            if step["mutation"] is None:
                continue
            data = envelope(step["posFiscalTicketNo"], ticketMedium=step["ticketMedium"])
            data.update(costCenter=step["costCenter"], transaction=step["transaction"])
            if step["mutation"] == "signSale":
                data["financials"] = step["financials"]
            result = client.sign(step["mutation"], data).data["signResult"]
            assert_signed(emulator.fdm.config.state, data, result)
            ref = result["fdmRef"]
            labels.append((ref["eventLabel"], ref["eventCounter"], ref["totalCounter"]))
            if step["mutation"] == "signOrder":
                assert result["eventOperation"] == "ORDER"
                assert result["vatCalc"] is None and result["shortSignature"] == "" and result["footer"] == []
            else:
                assert result["eventOperation"] == "SALE"
                assert result["vatCalc"] == step["expected_vatCalc"] == []
                assert len(result["shortSignature"]) == 40
    assert labels == [("P", n, n) for n in range(1, 7)] + [("N", 1, 7)]


@pytest.mark.parametrize("single_objects", [False, True])
def test_example_c_cost_centre_change(emulator: RunningEmulator, single_objects: bool) -> None:
    case = V["example_c"]
    data = envelope(case["posFiscalTicketNo"], ticketMedium=case["ticketMedium"])
    transfer = copy.deepcopy(case["transfer"])
    if single_objects:  # a client that sends objects where the schema has lists
        transfer = {"from": transfer["from"][0], "to": transfer["to"][0]}
    data["transfer"] = transfer
    with emulator.client() as client:
        result = client.sign(case["mutation"], data).data["signResult"]
    # Coercion turns single objects into one-element lists: the signed data is the list form.
    assert_signed(emulator.fdm.config.state, {**data, "transfer": case["transfer"]}, result)
    expected = case["expected"]
    assert result["eventOperation"] == expected["eventOperation"]
    assert result["fdmRef"]["eventLabel"] == expected["fdmRef.eventLabel"]
    assert result["vatCalc"] is expected["vatCalc"] is None
    assert result["shortSignature"] == expected["shortSignature"]
    assert result["verificationUrl"] == expected["verificationUrl"]


@pytest.mark.parametrize(("social_label", "label"), [("T", "T"), ("S", "S")])
def test_example_d_training_work_in(tmp_path: Path, social_label: str, label: str) -> None:
    case = V["example_d"]
    with (
        running_emulator(tmp_path / "fdm", training_label_social=social_label) as running,
        running.client() as client,
    ):
        result = client.sign(case["mutation"], case["variables"]["data"], training=True).data["signResult"]
        status = client.status()
    expected = case["expected"]
    assert_signed(tmp_path / "fdm", case["variables"]["data"], result)
    assert result["eventOperation"] == expected["eventOperation"]
    assert result["fdmRef"]["eventLabel"] == label
    if social_label == "T":
        assert result["fdmRef"]["eventLabel"] == expected["fdmRef.eventLabel"]
    assert result["vatCalc"] is expected["vatCalc"]
    assert result["shortSignature"] == expected["shortSignature"]
    assert result["verificationUrl"] == expected["verificationUrl"]
    assert result["footer"] == expected["footer"]
    assert result["terminalId"] == "TER-2-DIN-test-btn"
    assert (result["fdmRef"]["eventCounter"], result["fdmRef"]["totalCounter"]) == (1, 1)
    assert status["device"]["fdmId"] == "FOD01000001"


def test_training_sale_has_vat_but_no_short_signature(emulator: RunningEmulator) -> None:
    with emulator.client() as client:
        result = client.sign("signSale", example_a_data(), training=True).data["signResult"]
        real = client.sign("signSale", example_a_data()).data["signResult"]
    assert result["fdmRef"]["eventLabel"] == "T"
    assert [entry["vatAmount"] for entry in result["vatCalc"]] == [4.17, 3.0]
    assert result["shortSignature"] == "" and result["verificationUrl"] == ""
    assert real["fdmRef"]["eventLabel"] == "N"
    assert (real["fdmRef"]["eventCounter"], real["fdmRef"]["totalCounter"]) == (1, 2)
    assert json.loads(json.dumps(real))["shortSignature"]
