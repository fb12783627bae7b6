"""Domain facts to the port's FiscalEvent: sale, refund, pro forma order, provisional bill, work in/out."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sce.domain.catalogue import Language
from sce.domain.errors import DomainError
from sce.domain.events import EventContext, order_event, pre_bill_event, sale_event, work_event
from sce.domain.money import Money
from sce.domain.orders import CostCentre, CostCentreType, LineReason, Order, refund
from sce.domain.payments import PaymentMethod, Tender, Tip, settle
from sce.domain.vat import vat_totals
from sce.fiscal.port import EventKind, FiscalReference, split_vat
from sce.fiscal.v1.adapter import event_label
from sce.fiscal.v2.adapter import FdmV2Module, PosIdentity
from sce.fiscal.v2.client import FdmClient
from sce.fiscal.v2.validation import check_transaction
from tests.domain.support import BURGER, CHEESE, COLA, table

AT = datetime(2026, 11, 21, 19, 30, tzinfo=ZoneInfo("Europe/Brussels"))
MARIA = "85073003328"


def ctx(number: int = 1, **extra: object) -> EventContext:
    return EventContext(number, AT, MARIA, terminal_id="BAR", booking_period_id="shift-1", **extra)  # type: ignore[arg-type]


def _dinner() -> Order:
    order = table(7)
    order.add(COLA, Decimal(2))
    order.add(BURGER, Decimal(1), modifiers=[CHEESE])
    order.correct(1, Decimal(1))
    order.discount(2, Money(163))
    return order


def test_context_rules() -> None:
    with pytest.raises(DomainError) as number:
        EventContext(0, AT, MARIA)
    assert (number.value.field, number.value.rule) == ("ticket_number", "AT_LEAST_ONE")
    with pytest.raises(DomainError) as naive:
        EventContext(1, AT.replace(tzinfo=None), MARIA)
    assert (naive.value.field, naive.value.rule) == ("at", "NAIVE_DATETIME")
    with pytest.raises(DomainError) as user:
        EventContext(1, AT, "12345678901")
    assert (user.value.field, user.value.rule) == ("employee_id", "INVALID_CHECKSUM")
    assert EventContext(1, AT, "00000000029").employee_id == "00000000029"
    with pytest.raises(DomainError) as language:
        EventContext(1, AT, MARIA, language=Language.EN)
    assert (language.value.field, language.value.rule) == ("language", "NOT_AN_FDM_LANGUAGE")
    assert EventContext(1, AT, MARIA, language=Language.FR).language is Language.FR


def test_sale_event_carries_every_line_in_order_and_the_payments() -> None:
    order = _dinner()
    order.commit_round()
    settlement = settle(
        order.total, [Tender(PaymentMethod.CASH, Money(5000))], [Tip(PaymentMethod.CASH, Money(200))]
    )
    event = sale_event(order, settlement, ctx(12), departments={"DRINKS": "Dranken"})
    assert event.kind is EventKind.SALE
    assert (event.ticket_number, event.employee_id, event.terminal_id) == (12, MARIA, "BAR")
    assert event.booking_period_id == "shift-1" and event.language == "NL"
    assert [line.name for line in event.lines] == ["Cola", "Hamburger", "Extra kaas", "Cola", "- Hamburger"]
    assert event.lines[3].quantity == Decimal(-1) and event.lines[3].neg_reason == "CORRECTION"
    assert event.lines[4].total == Decimal("-1.63") and event.lines[4].neg_reason == "DISCOUNT"
    assert event.lines[0].department_name == "Dranken"
    assert event.total_cents == order.total.cents == 320 + 1650 + 150 - 163
    assert sum(p.amount for p in event.payments) == (order.total + Money(200)).euros
    assert [p.kind for p in event.payments] == ["PAYMENT", "TIP", "PAYMENT", "ROUNDING"]
    assert event.payments[0].method == "CASH"
    assert event.cost_center is not None
    assert (event.cost_center.id, event.cost_center.type, event.cost_center.reference) == (
        "7",
        "TABLE",
        "order-7",
    )


def test_sale_event_checks_the_settlement_total() -> None:
    order = _dinner()
    with pytest.raises(DomainError) as caught:
        sale_event(order, settle(Money(100), [Tender(PaymentMethod.CARD, Money(100))]), ctx())
    assert (caught.value.field, caught.value.rule) == ("settlement.total", "TOTAL_MISMATCH")


def test_refund_event_references_the_original_and_is_labelled_refund() -> None:
    paid = _dinner()
    paid.close()
    back = Order("r1", CostCentre(CostCentreType.ON_HOLD, "refund"))
    refund(paid, back, {2: Decimal(1)})
    settlement = settle(back.total, [Tender(PaymentMethod.CARD, back.total)])
    with pytest.raises(DomainError) as caught:
        sale_event(back, settlement, ctx())
    assert (caught.value.field, caught.value.rule) == ("reference", "REQUIRED")
    original = FiscalReference("FDM01", AT - timedelta(hours=1), "N", 41, 101)
    event = sale_event(back, settlement, ctx(2), reference=original)
    assert event.reference == original
    assert all(line.neg_reason == LineReason.REFUND.value for line in event.lines)
    assert event_label(event).value == "NR"


def test_order_event_carries_only_the_difference_since_the_last_signed_order() -> None:
    order = table(5)
    order.add(COLA, Decimal(3))
    first = order_event(order, ctx(1))
    assert first.kind is EventKind.ORDER and [line.quantity for line in first.lines] == [Decimal(3)]
    order.commit_round()
    with pytest.raises(DomainError) as nothing:
        order_event(order, ctx(2))
    assert (nothing.value.field, nothing.value.rule) == ("order", "NOTHING_TO_SIGN")
    order.correct(1, Decimal(1))
    second = order_event(order, ctx(2))
    assert [(line.quantity, line.neg_reason) for line in second.lines] == [(Decimal(-1), "CORRECTION")]
    assert event_label(second).value == "PR"
    with pytest.raises(DomainError) as pending:
        pre_bill_event(order, ctx(3))
    assert pending.value.rule == "PENDING_LINES"
    order.commit_round()
    bill = pre_bill_event(order, ctx(3))
    assert bill.kind is EventKind.PRE_BILL and bill.total_cents == 640


def test_work_in_and_out_events() -> None:
    start = work_event(True, ctx(1, booking_date=AT.date() - timedelta(days=1)))
    end = work_event(False, ctx(2, training=True))
    assert (start.kind, end.kind) == (EventKind.WORK_IN, EventKind.WORK_OUT)
    assert [(ln.name, ln.unit_price, ln.vat) for ln in start.lines] == [("WORK IN", Decimal(0), "D")]
    assert end.lines[0].name == "WORK OUT" and end.training
    assert start.total_cents == 0 and start.employee_id == MARIA
    assert start.booking_date == AT.date() - timedelta(days=1) and start.booking_period_id == "shift-1"


def test_sale_event_is_accepted_by_the_fdm_transaction_rules() -> None:
    order = _dinner()
    event = sale_event(order, settle(order.total, [Tender(PaymentMethod.CARD, order.total)]), ctx(3))
    client = FdmClient("http://127.0.0.1:9")
    pos = PosIdentity("BE0403019261", "2000000141", "CABC123XYZ0001", "1.0", "dev-1")
    data = FdmV2Module(client, pos).request_data(event)
    check_transaction(data["transaction"], "SaleInput.transaction")
    assert data["transaction"]["transactionTotal"] == pytest.approx(float(order.total.euros))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([COLA, BURGER]), st.integers(1, 5), st.integers(0, 3)), max_size=8))
def test_event_vat_per_letter_equals_the_domain_figures(items: list[tuple[object, int, int]]) -> None:
    order = table(1)
    for product, quantity, correction in items:
        (line, *_) = order.add(product, Decimal(quantity))  # type: ignore[arg-type]
        if correction and correction <= quantity:
            order.correct(line.number, Decimal(correction))
    event = sale_event(
        order,
        settle(order.total, [Tender(PaymentMethod.CARD, order.total)] if order.total.cents else []),
        ctx(),
    )
    ours = vat_totals(order.vat_lines())
    assert {k.value: (v.base.cents, v.vat.cents) for k, v in ours.items()} == {
        k: (v.base_cents, v.vat_cents) for k, v in split_vat(event.lines).items()
    }
    assert event.total_cents == order.total.cents
