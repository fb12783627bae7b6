"""Fuzzing with hypothesis: untrusted input never crashes a reader, it gets that reader's own error.

* SCE 2.0 emulator: every sign mutation with its valid input mutated (keys dropped, values replaced by
  anything JSON, unknown keys), and raw bodies (bytes, broken JSON, wrong shapes): never a 5xx, always
  data or GraphQL errors each with a message.
* Journal reader: ``event_from_json`` / ``receipt_from_json`` on mutated journal records: only
  ``ValueError``/``KeyError``/``TypeError``.
* Deliveries XML import (``sce.eservice.delivery_xml.parse``): arbitrary bytes and mutated valid
  documents: only ``InvalidInputError``.

Each test prints how many examples ran and the distinct outcomes it saw.
"""

from __future__ import annotations

import copy
import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sce.eservice import delivery_xml
from sce.eservice.errors import InvalidInputError
from sce.fiscal.v2.documents import sign_document
from sce.fiscal.v2.schema import OPERATIONS
from sce.journal.codec import event_from_json, receipt_from_json
from tests.fiscal.v2.support import RunningEmulator, data_for, running_emulator
from tests.scale.support import show

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["", "A", "0", "-1", "1e309", "2024-02-30T25:61:00+02:00", "BE0000000000", "\u0000"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
MUTATIONS = [operation.mutation for operation in OPERATIONS]
OUTCOMES: dict[str, Counter[str]] = {"graphql": Counter(), "journal": Counter(), "xml": Counter()}
#: ``SCE_FUZZ_SCALE`` multiplies the examples of a run (``make fuzz`` runs a longer campaign).
SCALE = max(1, int(os.environ.get("SCE_FUZZ_SCALE", "1")))
EXAMPLES = {"graphql": 300 * SCALE, "journal": 400 * SCALE, "xml": 300 * SCALE}


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from _paths(item, (*prefix, index))


def mutate(draw: st.DrawFn, value: Any, most: int = 4) -> Any:
    """Drop keys, replace values by anything JSON, add unknown keys, at random places of ``value``."""
    value = copy.deepcopy(value)
    for _ in range(draw(st.integers(min_value=1, max_value=most))):
        paths = list(_paths(value))
        if not paths:
            return draw(JSON_VALUES)
        path = draw(st.sampled_from(paths))
        target = value
        for step in path[:-1]:
            target = target[step]
        action = draw(st.sampled_from(["drop", "replace", "add"]))
        if action == "drop" and isinstance(target, dict):
            target.pop(path[-1], None)
        elif action == "add" and isinstance(target, dict):
            target[draw(st.text(max_size=6))] = draw(JSON_VALUES)
        else:
            target[path[-1]] = draw(JSON_VALUES)
    return value


# ------------------------------------------------------------------ SCE 2.0 GraphQL inputs


@st.composite
def graphql_bodies(draw: st.DrawFn) -> tuple[str, bytes]:
    mutation = draw(st.sampled_from(MUTATIONS))
    ticket = draw(st.integers(min_value=1, max_value=10**6))
    request: dict[str, Any] = {
        "query": sign_document(mutation),
        "variables": {"data": data_for(mutation, ticket), "isTraining": False},
    }
    shape = draw(st.sampled_from(["data", "data", "variables", "document", "raw"]))
    if shape == "data":
        request["variables"]["data"] = mutate(draw, request["variables"]["data"])
    elif shape == "variables":
        request = mutate(draw, request, most=2)
    elif shape == "document":
        query = request["query"]
        cut = draw(st.integers(min_value=0, max_value=len(query)))
        request["query"] = query[:cut] + draw(st.text(max_size=10)) + query[cut + 1 :]
    else:
        return mutation, draw(st.binary(max_size=300) | st.text(max_size=100).map(str.encode))
    return mutation, json.dumps(request).encode()


@pytest.fixture(scope="module")
def fuzzed_emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningEmulator]:
    with running_emulator(Path(tmp_path_factory.mktemp("fuzz")) / "fdm") as running:
        yield running


@settings(
    max_examples=EXAMPLES["graphql"],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=graphql_bodies())
def test_sign_mutations_answer_typed_errors(
    fuzzed_emulator: RunningEmulator, case: tuple[str, bytes]
) -> None:
    mutation, body = case
    answer = httpx.post(fuzzed_emulator.url, content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code < 500, (answer.status_code, answer.text[:500])
    payload = answer.json()
    assert isinstance(payload, dict) and (payload.get("data") or payload.get("errors")), payload
    for error in payload.get("errors") or []:
        assert isinstance(error.get("message"), str) and error["message"], error
    codes = sorted(
        {str((e.get("extensions") or {}).get("code", "graphql")) for e in payload.get("errors") or []}
    )
    outcome = "signed" if not codes else "+".join(codes)
    OUTCOMES["graphql"][f"{answer.status_code}:{outcome}"] += 1
    OUTCOMES["graphql"][f"mutation:{mutation}"] += 1


# ------------------------------------------------------------------ the journal reader

EVENT_RECORD = {
    "kind": "SALE",
    "ticket_number": 12,
    "pos_datetime": "2026-11-21T12:30:00+01:00",
    "employee_id": "93051822361",
    "terminal_id": "T1",
    "training": False,
    "language": "NL",
    "booking_period_id": "p1",
    "booking_date": "2026-11-21",
    "ticket_medium": "PAPER",
    "lines": [
        {
            "name": "Pils",
            "quantity": "2",
            "unit_price": "3.50",
            "vat": "A",
            "uom": "PIECE",
            "line_total": "7.00",
            "product_id": "BEER",
            "department_id": "DRINKS",
            "department_name": "Dranken",
            "neg_reason": "",
        }
    ],
    "total": "7.00",
    "payments": [
        {
            "method": "CASH",
            "amount": "7.00",
            "name": "Cash",
            "kind": "PAYMENT",
            "payment_id": "1",
            "input_method": "MANUAL",
            "drawer": None,
        }
    ],
    "cost_center": {"id": "5", "type": "TABLE", "reference": "order-1"},
    "drawer": None,
    "reference": None,
    "references": [],
    "invoice_number": "",
    "customer_vat_no": "",
    "report_number": None,
    "details": None,
}
RECEIPT_RECORD = {
    "generation": 2,
    "fdm_id": "FOD01000001",
    "fdm_datetime": "2026-11-21T12:30:01+01:00",
    "event_label": "N",
    "event_counter": 3,
    "total_counter": 9,
    "signature": "MEUCIQ",
    "vat": [{"letter": "A", "base": "5.79", "vat": "1.21"}],
    "warnings": [],
    "vsc_id": "",
    "plu_hash": "",
    "short_signature": "ABCD",
    "verification_url": "https://example.invalid/v",
    "footer": [],
    "buffer_capacity_used": 0,
}


def test_the_journal_samples_are_valid() -> None:
    event_from_json(EVENT_RECORD)
    receipt_from_json(RECEIPT_RECORD)


@settings(max_examples=EXAMPLES["journal"], deadline=None)
@given(data=st.data())
def test_journal_reader_raises_only_value_key_type_errors(data: st.DataObject) -> None:
    which = data.draw(st.sampled_from(["event", "receipt"]))
    sample = EVENT_RECORD if which == "event" else RECEIPT_RECORD
    record = data.draw(st.builds(lambda: None).flatmap(lambda _: st.composite(lambda d: mutate(d, sample))()))
    reader = event_from_json if which == "event" else receipt_from_json
    try:
        reader(record)
        outcome = "read"
    except (ValueError, KeyError, TypeError) as error:
        outcome = type(error).__name__
    OUTCOMES["journal"][f"{which}:{outcome}"] += 1


# ------------------------------------------------------------------ deliveries XML

VALID_XML = """<?xml version="1.0" encoding="UTF-8"?>
<deliveries xmlns="urn:sce:eservice:deliveries:1" distributor="BE0477472701">
  <delivery>
    <operatorVat>BE0477472701</operatorVat>
    <establishment>2000000042</establishment>
    <room>Zaal</room>
    <date>2026-11-20</date>
    <productionNumber>BMC01000001</productionNumber>
  </delivery>
</deliveries>
"""
XML_PIECES = st.sampled_from(
    [
        "<",
        ">",
        "&",
        "&amp;",
        "&x;",
        "]]>",
        "<!DOCTYPE d [<!ENTITY x 'y'>]>",
        "2026-11-20Z",
        "2026-11-20+14:00",
        "-0001-01-01",
        "10000-01-01",
        "2026-02-30",
        "BE1999999999",
        "\x00",
        "\ufeff",
        "</delivery><delivery>",
    ]
)


@st.composite
def xml_documents(draw: st.DrawFn) -> bytes:
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        return draw(st.binary(max_size=300))
    text = VALID_XML
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        start = draw(st.integers(min_value=0, max_value=len(text)))
        end = draw(st.integers(min_value=start, max_value=min(len(text), start + 12)))
        text = text[:start] + draw(XML_PIECES | st.text(max_size=8)) + text[end:]
    return (
        text.encode("utf-8", errors="surrogatepass")
        if draw(st.booleans())
        else text.encode("latin-1", "replace")
    )


def test_the_deliveries_sample_is_valid() -> None:
    distributor, deliveries = delivery_xml.parse(VALID_XML.encode())
    assert distributor == "BE0477472701" and len(deliveries) == 1


@settings(max_examples=EXAMPLES["xml"], deadline=None)
@given(document=xml_documents())
def test_deliveries_xml_raises_only_its_validation_error(document: bytes) -> None:
    try:
        delivery_xml.parse(document)
        outcome = "read"
    except InvalidInputError as error:
        outcome = getattr(error, "rule", None) or getattr(error, "code", None) or "InvalidInputError"
    OUTCOMES["xml"][str(outcome)] += 1


def test_fuzz_coverage_report(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs last in this module: how many examples each fuzzer ran and what it saw."""
    summary = {
        name: {"examples": sum(v for k, v in c.items() if not k.startswith("mutation:")), "outcomes": dict(c)}
        for name, c in OUTCOMES.items()
    }
    show(capsys, "fuzz coverage", summary)
    seen = {k for k in OUTCOMES["graphql"] if k.startswith("mutation:")}
    assert len(seen) == len(MUTATIONS), seen  # every sign mutation was fuzzed
    assert OUTCOMES["journal"]["event:read"] + OUTCOMES["journal"]["receipt:read"] > 0


@pytest.mark.parametrize("day", ["2026-11-20Z", "2026-11-20+14:00"])
def test_deliveries_xml_dates_with_a_time_zone_are_read_as_days(day: str) -> None:
    """Found by fuzzing: an xs:date with a time zone is a valid delivery day."""
    _distributor, deliveries = delivery_xml.parse(VALID_XML.replace("2026-11-20", day).encode())
    assert {d.day.isoformat() for d in deliveries} == {"2026-11-20"}


@pytest.mark.parametrize("day", ["10000-01-01", "-0001-01-01"])
def test_deliveries_xml_years_outside_the_calendar_are_refused(day: str) -> None:
    """Found by fuzzing: a year the XSD accepts but no calendar holds is a validation error, not a crash."""
    with pytest.raises(InvalidInputError) as refused:
        delivery_xml.parse(VALID_XML.replace("2026-11-20", day).encode())
    assert refused.value.field.endswith("date")


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("lines", 0, "quantity"), "", "lines.quantity"),
        (("lines", 0, "unit_price"), "3,50", "lines.unit_price"),
        (("lines", 0, "line_total"), "NaN", "lines.line_total"),
        (("payments", 0, "amount"), [None], "payments.amount"),
        (("payments", 0, "amount"), "Infinity", "payments.amount"),
    ],
)
def test_journal_amounts_that_are_not_decimals_are_value_errors_naming_the_field(
    path: tuple[Any, ...], value: Any, field: str
) -> None:
    """Found by fuzzing: a non-decimal amount raised decimal.InvalidOperation, not a ValueError."""
    record = copy.deepcopy(EVENT_RECORD)
    target: Any = record
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    with pytest.raises(ValueError, match=re.escape(field)):
        event_from_json(record)


@pytest.mark.parametrize("value", ["", "x", "1e", None])
def test_receipt_vat_amounts_that_are_not_decimals_are_value_errors(value: Any) -> None:
    record = copy.deepcopy(RECEIPT_RECORD)
    record["vat"][0]["base"] = value
    with pytest.raises(ValueError, match=re.escape("vat.base")):
        receipt_from_json(record)
