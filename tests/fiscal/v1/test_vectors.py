"""Every case of fdm_v1_frames.json and plu_hash.json, reproduced byte for byte from the files themselves."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sce.fiscal.port import EventKind, FiscalEvent, FiscalLine, split_vat
from sce.fiscal.v1.adapter import AmountMode, FdmV1Module, PluForm, V1Settings, rate_amounts
from sce.fiscal.v1.emulator import FdmEmulator
from sce.fiscal.v1.emulator_store import Counters
from sce.fiscal.v1.framing import bcc, decode_frame, encode_frame
from sce.fiscal.v1.messages import (
    H_REPLY_LAYOUT,
    H_REQUEST_LAYOUT,
    AmountOverflowError,
    HashSignReply,
    HashSignRequest,
    IdentificationReply,
    PinReply,
    PinRequest,
    StatusReply,
    format_amount,
    format_ticket_number,
    parse_reply,
    parse_request,
    split_fields,
)
from sce.fiscal.v1.plu import (
    PluLine,
    description_field,
    normalise,
    plu8,
    plu_sha1,
    price_field,
    quantity_field,
    replace_characters,
    to_base_units,
)
from sce.fiscal.v1.vsc import hmac_sha1_hex, signature_message
from tests.fiscal.v1.conftest import TEST_PIN, VECTOR_CLOCK, make_store
from tests.vectors import case, load

FRAMES = "fdm_v1_frames.json"
PLU = "plu_hash.json"
FRAME_CASES = load(FRAMES)["cases"]


@pytest.mark.parametrize("item", FRAME_CASES, ids=[c["id"] for c in FRAME_CASES])
def test_frame_bytes_and_bcc(item: dict[str, Any]) -> None:
    data = item["data"]
    assert len(data) == item["length"]
    assert f"{bcc(data.encode('ascii')):02x}" == item["bcc_hex"]
    frame = encode_frame(data)
    assert frame.hex() == item["frame_hex"]
    assert decode_frame(bytes.fromhex(item["frame_hex"])) == data


@pytest.mark.parametrize("item", [c for c in FRAME_CASES if c["kind"] == "request"], ids=lambda c: c["id"])
def test_request_fields_parse_and_reencode(item: dict[str, Any]) -> None:
    request = parse_request(item["data"])
    assert request.encode() == item["data"]
    fields = item["fields"]
    assert request.identifier == fields["identifier"]
    assert f"{request.sequence:02d}" == fields["sequence"]
    assert str(request.retry) == fields["retry"]
    if isinstance(request, PinRequest):
        assert request.pin == fields["pin"]
    if isinstance(request, HashSignRequest):
        assert split_fields(item["data"], H_REQUEST_LAYOUT) == fields


@pytest.mark.parametrize("item", [c for c in FRAME_CASES if c["kind"] == "reply"], ids=lambda c: c["id"])
def test_reply_fields_parse_and_reencode(item: dict[str, Any]) -> None:
    reply = parse_reply(item["data"])
    fields = item["fields"]
    header = reply.header
    assert header.identifier == fields["identifier"]
    assert f"{header.sequence:02d}" == fields["sequence"]
    assert str(header.retry) == fields["retry"]
    assert str(header.error) == fields["error"]
    assert header.fdm_id == fields["fdm_production_number"]
    if isinstance(reply, IdentificationReply):
        assert reply.firmware_version == fields["firmware_version"]
        assert reply.protocol_version == fields["protocol_version"]
        assert reply.vsc_id == fields["vsc_id"]
        assert reply.vsc_version == fields["vsc_version"]
    if isinstance(reply, PinReply):
        assert reply.vsc_id == fields["vsc_id"]
    if isinstance(reply, HashSignReply):
        expected = {k: v for k, v in fields.items() if k in dict((n, 0) for _, _, n in H_REPLY_LAYOUT)}
        assert split_fields(item["data"], H_REPLY_LAYOUT) == expected
        if reply.fdm_datetime is not None:
            assert reply.signature == fields["signature"]
            assert reply.event_counter == int(fields["event_counter"])
    assert reply.encode() == item["data"]


def test_reply_parsed_values() -> None:
    item = case(FRAMES, "hash-sign-reply-example")
    reply = parse_reply(item["data"])
    assert isinstance(reply, HashSignReply)
    parsed = item["parsed"]
    assert reply.header.error.severity.value == parsed["error_level"]
    assert str(reply.header.error)[1:3] == parsed["error_code"]
    assert str(reply.header.error)[3:] == parsed["error_detail"]
    assert reply.fdm_datetime == datetime.fromisoformat(parsed["fdm_datetime"])
    assert reply.event_counter == parsed["event_counter"]
    assert reply.total_counter == parsed["total_counter"]
    assert reply.printed_counters == parsed["printed_counters"]


def test_status_reply_is_header_only() -> None:
    reply = parse_reply(case(FRAMES, "status-reply")["data"])
    assert isinstance(reply, StatusReply)


def _ticket_event(ticket: dict[str, Any]) -> FiscalEvent:
    lines = tuple(
        FiscalLine(
            line["name"], Decimal(line["quantity"]), Decimal(line["unit_price"]), line["vat"], line["uom"]
        )
        for line in ticket["lines"]
    )
    moment = datetime.combine(
        date.fromisoformat(ticket["ticket_date"]), time.fromisoformat(ticket["ticket_time"])
    )
    return FiscalEvent(EventKind.SALE, ticket["ticket_number"], moment, ticket["insz"], lines)


def test_worked_example_ticket_amounts() -> None:
    ticket = case(FRAMES, "hash-sign-request-worked-example")["ticket"]
    event = _ticket_event(ticket)
    assert event.total_cents == ticket["total_cents"]
    per_line = split_vat(list(event.lines))
    assert per_line["B"].base_cents == ticket["per_rate_base_cents"]["B"]
    assert per_line["B"].vat_cents == ticket["per_rate_vat_cents"]["B"]
    for line, expected in zip(event.lines, ticket["per_line"], strict=True):
        single = split_vat([line])[line.vat]
        assert f"{line.total:.2f}" == expected["line_total"]
        assert Decimal(single.vat_cents) / 100 == Decimal(expected["line_vat"])
        assert Decimal(single.base_cents) / 100 == Decimal(expected["line_base"])
    for mode, key in ((AmountMode.BASE, "per_rate_base_cents"), (AmountMode.VAT, "per_rate_vat_cents")):
        assert rate_amounts(event.lines, mode) == tuple(ticket[key][letter] for letter in "ABCD")
    assert (
        plu_sha1([PluLine(x.name, x.unit_price, x.quantity, x.vat, x.uom) for x in event.lines])
        == ticket["plu_sha1"]
    )


@pytest.mark.parametrize(
    "variant",
    case(FRAMES, "hash-sign-request-worked-example")["variants"],
    ids=lambda v: f"{v['amount_mode']}-{v['plu_form']}",
)
def test_worked_example_variants_built_by_the_adapter(variant: dict[str, Any]) -> None:
    item = case(FRAMES, "hash-sign-request-worked-example")
    ticket = item["ticket"]
    settings = V1Settings(
        ticket["pos_production_number"], AmountMode(variant["amount_mode"]), PluForm(variant["plu_form"])
    )
    module = FdmV1Module(driver=None, settings=settings)  # type: ignore[arg-type]
    request, sha1 = module.build_request(_ticket_event(ticket), ticket["sequence"])
    assert request.encode() == variant["data"]
    assert encode_frame(request.encode()).hex() == variant["frame_hex"]
    assert f"{bcc(variant['data'].encode()):02x}" == variant["bcc_hex"]
    assert sha1 == ticket["plu_sha1"]


def test_work_in_request_built_by_the_adapter() -> None:
    item = case(FRAMES, "work-in-request")
    fields = item["fields"]
    module = FdmV1Module(driver=None, settings=V1Settings(fields["pos_production_number"]))  # type: ignore[arg-type]
    event = FiscalEvent(EventKind.WORK_IN, 41, datetime(2024, 1, 15, 11, 30), fields["insz"])
    request, _ = module.build_request(event, int(fields["sequence"]))
    assert request.encode() == item["data"]
    assert encode_frame(request.encode()).hex() == item["frame_hex"]


def test_emulator_reproduces_its_vectors(tmp_path: Path) -> None:
    signed = case(FRAMES, "emulator-hash-sign-reply")
    signature = signed["vsc_signature"]
    counters = Counters()
    counters.per_label["NS"] = int(signed["fields"]["event_counter"]) - 1
    counters.total = int(signed["fields"]["total_counter"]) - 1
    store = make_store(tmp_path / "fdm", counters=counters)
    assert store.device.card.key.hex() == signature["key_hex"]
    emulator = FdmEmulator(store, clock=lambda: VECTOR_CLOCK)
    request = case(FRAMES, "hash-sign-request-worked-example")["data"]
    assert emulator.handle(request) == case(FRAMES, "emulator-error-202-padded")["data"]
    assert emulator.pin.enter(emulator.card, TEST_PIN).value == "accepted"
    reply = emulator.handle(request)
    assert reply == signed["data"]
    assert encode_frame(reply).hex() == signed["frame_hex"]
    message = signature_message(request, "20240115", "123046", "000000012", "000000345")
    assert message == signature["message"]
    assert len(message) == signature["message_length"]
    assert hmac_sha1_hex(bytes.fromhex(signature["key_hex"]), message) == signature["signature"]
    replay = emulator.handle(case(FRAMES, "hash-sign-request-repeat")["data"])
    assert replay == case(FRAMES, "emulator-replay-102")["data"]
    assert emulator.counters.per_label["NS"] == 12 and emulator.counters.total == 345
    store.close()


@pytest.mark.parametrize("item", load(FRAMES)["amount_field_cases"], ids=lambda c: str(c["cents"]))
def test_amount_field(item: dict[str, Any]) -> None:
    if "field" in item:
        assert format_amount(item["cents"]) == item["field"]
    else:
        with pytest.raises(AmountOverflowError, match="11 digits"):
            format_amount(item["cents"])


@pytest.mark.parametrize("item", load(FRAMES)["ticket_number_cases"], ids=lambda c: str(c["ticket_number"]))
def test_ticket_number_field(item: dict[str, Any]) -> None:
    assert format_ticket_number(item["ticket_number"]) == item["field"]


# ------------------------------------------------------------------------------------------- PLU


PLU_CASES = load(PLU)["cases"]


@pytest.mark.parametrize("item", PLU_CASES, ids=[c["id"] for c in PLU_CASES])
def test_plu_orders(item: dict[str, Any]) -> None:
    lines = [
        PluLine(x["name"], Decimal(x["unit_price"]), Decimal(x["quantity"]), x["vat"], x["uom"])
        for x in item["lines"]
    ]
    assert [line.line_string() for line in lines] == item["line_strings"]
    assert "".join(item["line_strings"]) == item["hash_input"]
    sha1 = plu_sha1(lines)
    assert sha1 == item["sha1"]
    assert plu8(sha1) == item["plu8"]


FORMATTING = load(PLU)["field_formatting"]


@pytest.mark.parametrize("item", FORMATTING["quantity_field"], ids=lambda c: c["value"])
def test_plu_quantity_field(item: dict[str, Any]) -> None:
    assert item["width"] == 4
    assert quantity_field(Decimal(item["value"])) == item["expected"]


@pytest.mark.parametrize("item", FORMATTING["price_field"], ids=lambda c: c["value_cents"])
def test_plu_price_field(item: dict[str, Any]) -> None:
    assert item["width"] == 8
    assert price_field(Decimal(item["value_cents"])) == item["expected"]


@pytest.mark.parametrize("item", FORMATTING["uom_conversion"], ids=lambda c: f"{c['quantity']}{c['uom']}")
def test_plu_uom_conversion(item: dict[str, Any]) -> None:
    converted = to_base_units(Decimal(item["quantity"]), item["uom"])
    assert converted == Decimal(item["converted"])
    assert quantity_field(converted) == item["field"]
    assert load(PLU)["uom_factors"][item["uom"]] * Decimal(item["quantity"]) == converted


@pytest.mark.parametrize("item", FORMATTING["description_field"], ids=lambda c: c["input"] or "empty")
def test_plu_description_field(item: dict[str, Any]) -> None:
    assert description_field(item["input"]) == item["expected"]


@pytest.mark.parametrize("item", FORMATTING["normalisation"], ids=lambda c: c["input"] or "empty")
def test_plu_normalisation(item: dict[str, Any]) -> None:
    assert replace_characters(item["input"]) == item["replaced"]
    assert normalise(item["input"]) == item["normalised"]


def test_unknown_uom_is_refused_with_the_field_name() -> None:
    with pytest.raises(ValueError, match="uom"):
        PluLine("x", Decimal(1), Decimal(1), "A", "pound")
