"""One test per mandatory function of regulation.md §§ 3, 7, 10, 11, each named after it, for both FDM
generations, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from sce.domain.catalogue import Names, Product
from sce.domain.errors import DomainError
from sce.domain.money import Money
from sce.domain.orders import CostCentre, CostCentreType, LineReason
from sce.domain.payments import PaymentMethod, Tender, Tip
from sce.domain.staff import Employee
from sce.domain.vat import ProductVat, VatLetter
from sce.fiscal.port import EventKind
from sce.pos.errors import FiscalBlockedError
from sce.pos.ticket_view import ticket_for
from sce.tickets.render_text import render_text
from tests.pos.support import MANAGER, WAITER, Rig

TABLE = CostCentre(CostCentreType.TABLE, "7")
CASH_10 = [Tender(PaymentMethod.CASH, Money(1000))]


def _kinds(rig: Rig) -> list[str]:
    with rig.store.tx() as tx:
        return [r["event"]["kind"] for r in tx.journal_bodies(record_type="event")]


def _records(rig: Rig) -> list[dict[str, object]]:
    with rig.store.tx() as tx:
        return list(tx.journal_bodies())


def _table_with_round(rig: Rig, *items: tuple[str, int]) -> str:
    view = rig.pos.open_order(WAITER, TABLE)
    for product, quantity in items or (("BEER", 2),):
        view = rig.pos.add_item(view.order.order_id, view.version, WAITER, product, Decimal(quantity))
    rig.pos.send_round(view.order.order_id, view.version, WAITER, "T1")
    return view.order.order_id


def _pay(rig: Rig, order_id: str, tenders: list[Tender] | None = None, tips: list[Tip] | None = None):  # type: ignore[no-untyped-def]
    view = rig.pos.order(order_id)
    due = view.order.total
    return rig.pos.pay(
        order_id, view.version, WAITER, "T1", tenders or [Tender(PaymentMethod.CARD, due)], tips or []
    )


@pytest.fixture
def working(rig: Rig) -> Rig:
    rig.pos.clock_in(WAITER, "T1")
    rig.pos.clock_in(MANAGER, "T1")
    return rig


# ----------------------------------------------------------------- § 3.1 entered data


def test_mandatory_supplies_are_registered_with_their_vat_rate(working: Rig) -> None:
    sale = working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1)), ("SOUP", Decimal(1))], CASH_10)
    letters = {line.name: line.vat for line in sale.event.lines}
    assert letters == {"Pils": "A", "Dagsoep": "C"}  # take-away: soup at 6 %
    eat_in = working.pos.order(_table_with_round(working, ("SOUP", 1))).order
    assert eat_in.lines[0].vat is VatLetter.B  # eat-in: 12 %


def test_mandatory_start_and_end_of_work_are_registered(rig: Rig) -> None:
    rig.pos.clock_in(WAITER, "T1")
    rig.pos.clock_out(WAITER, "T1")
    records = _records(rig)
    assert [r["event"]["kind"] for r in records] == ["WORK_IN", "WORK_OUT"]  # type: ignore[index]
    assert all(r["event"]["employee_id"] == WAITER for r in records)  # type: ignore[index]
    labels = [r["fdm"]["event_label"] for r in records]  # type: ignore[index]
    assert labels == (["NS", "NS"] if rig.generation == 1 else ["S", "S"])


def test_mandatory_training_events_are_registered_and_marked(working: Rig) -> None:
    working.pos.set_training("terminal", "T9", True, MANAGER)
    sale = working.pos.quick_sale(WAITER, "T9", [("COLA", Decimal(1))], CASH_10)
    assert sale.event.training and sale.receipt is not None
    assert sale.receipt.event_label == ("TS" if working.generation == 1 else "T")
    normal = working.pos.quick_sale(WAITER, "T1", [("COLA", Decimal(1))], CASH_10)
    assert not normal.event.training


def test_mandatory_pro_forma_events_are_registered_for_every_round(working: Rig) -> None:
    order_id = _table_with_round(working)
    view = working.pos.add_item(order_id, working.pos.order(order_id).version, WAITER, "COLA")
    working.pos.send_round(order_id, view.version, WAITER, "T1")
    records = [r for r in _records(working) if r["event"]["kind"] == "ORDER"]  # type: ignore[index]
    assert len(records) == 2
    assert [len(r["event"]["lines"]) for r in records] == [1, 1]  # type: ignore[index]  # only the difference
    assert {r["fdm"]["event_label"] for r in records} == ({"PS"} if working.generation == 1 else {"P"})  # type: ignore[index]


def test_mandatory_price_changes_are_registered_as_extra_lines(working: Rig) -> None:
    view = working.pos.open_order(WAITER, TABLE)
    view = working.pos.add_item(view.order.order_id, view.version, WAITER, "STEAK")
    view = working.pos.change_price(view.order.order_id, view.version, MANAGER, 1, Money(2000))
    sale = _pay(working, view.order.order_id)
    lines = [(str(line.quantity), str(line.unit_price), line.neg_reason) for line in sale.event.lines]
    assert lines == [("1", "26.50", ""), ("-1", "26.50", "PRICE_CHANGE"), ("1", "20.00", "")]


def test_mandatory_corrections_and_refunds_are_registered(working: Rig) -> None:
    order_id = _table_with_round(working, ("BEER", 3))
    view = working.pos.correct(order_id, working.pos.order(order_id).version, WAITER, 1, Decimal(1))
    sale = _pay(working, order_id)
    assert [(str(line.quantity), line.neg_reason) for line in sale.event.lines] == [
        ("3", ""),
        ("-1", "CORRECTION"),
    ]
    refund = working.pos.refund(
        sale.event.ticket_number, MANAGER, "T1", [Tender(PaymentMethod.CASH, Money(-350))], {1: Decimal(1)}
    )
    assert [line.neg_reason for line in refund.event.lines] == ["REFUND"]
    assert refund.event.total_cents == -350
    del view


def test_mandatory_payments_tips_and_rounding_are_registered(working: Rig) -> None:
    view = working.pos.open_order(WAITER, TABLE)
    view = working.pos.add_item(view.order.order_id, view.version, WAITER, "COLA")  # 3.20
    view = working.pos.add_item(view.order.order_id, view.version, WAITER, "SCAMPI")  # 24.50 -> 27.70
    view = working.pos.add_item(view.order.order_id, view.version, WAITER, "WATER")  # 3.00 -> 30.70
    view = working.pos.correct(view.order.order_id, view.version, WAITER, 3, Decimal(1))  # 27.70
    view = working.pos.add_item(view.order.order_id, view.version, WAITER, "BEER")  # 31.20
    view = working.pos.discount(view.order.order_id, view.version, MANAGER, 1, Money(8))  # 31.12
    sale = _pay(
        working,
        view.order.order_id,
        [Tender(PaymentMethod.CASH, Money(3500))],
        [Tip(PaymentMethod.CASH, Money(100))],
    )
    kinds = {(p.kind, str(p.amount)) for p in sale.event.payments}
    # 31.12 + 1.00 tip = 32.12 cash, rounded to 32.10: rounding line 0.02, change 2.90
    assert ("TIP", "1.00") in kinds and ("ROUNDING", "0.02") in kinds
    assert ("PAYMENT", "-2.90") in kinds


def test_mandatory_drawer_openings_and_cash_in_out_are_registered(working: Rig) -> None:
    working.pos.drawer_open(MANAGER, "T1", "change for a customer")
    working.pos.money_in_out(MANAGER, "T1", Money(15000), "float")
    working.pos.money_in_out(MANAGER, "T1", Money(-2000), "supplier paid")
    records = _records(working)[2:]
    assert [r["event"]["kind"] for r in records] == ["DRAWER_OPEN", "MONEY_IN_OUT", "MONEY_IN_OUT"]  # type: ignore[index]
    amounts = [r["event"]["payments"][0]["amount"] for r in records[1:]]  # type: ignore[index]
    assert amounts == ["150.00", "-20.00"]
    signed = [r["fdm"] is not None for r in records]
    assert signed == ([False] * 3 if working.generation == 1 else [True] * 3)  # 1.0 journals them itself


def test_mandatory_report_creation_is_registered(working: Rig) -> None:
    working.pos.report("turnover", "X", MANAGER, "T1")
    working.pos.report("user", "X", MANAGER, "T1")
    assert _kinds(working)[-2:] == ["REPORT_TURNOVER_X", "REPORT_USER_X"]


def test_mandatory_configuration_changes_are_logged(rig: Rig) -> None:
    rig.pos.add_product(
        Product("TEA", Names.of("Thee"), "DRINKS", Money(280), ProductVat.single(VatLetter.A)), by=MANAGER
    )
    rig.pos.add_product(
        Product("TEA", Names.of("Thee"), "DRINKS", Money(300), ProductVat.single(VatLetter.A)), by=MANAGER
    )
    with rig.store.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT body FROM config_log WHERE entity_id = 'TEA' ORDER BY seq")
        ).all()
    changes = [json.loads(row[0]) for row in rows]
    assert [c["action"] for c in changes] == ["create", "update"]
    assert changes[1]["before"]["price"] == 280 and changes[1]["after"]["price"] == 300
    assert changes[1]["employee_id"] == MANAGER
    with pytest.raises(Exception, match="append-only"), rig.store.engine.begin() as connection:
        connection.execute(text("DELETE FROM config_log"))


def test_mandatory_every_table_booking_is_registered(working: Rig) -> None:
    order_id = _table_with_round(working)
    working.pos.provisional_bill(order_id, working.pos.order(order_id).version, WAITER, "T1")
    signed, target = working.pos.transfer(
        order_id, working.pos.order(order_id).version, WAITER, "T1", CostCentre(CostCentreType.TABLE, "8")
    )
    assert _kinds(working)[-3:] == ["ORDER", "PRE_BILL", "COST_CENTER_CHANGE"]
    assert signed.receipt is not None and signed.receipt.event_label in ("PS", "PR", "P")
    assert working.pos.order(target).order.total == Money(700)


# ----------------------------------------------------------------- § 3.3 events and rules


def test_mandatory_normal_sale_always_produces_a_signed_vat_ticket(working: Rig) -> None:
    sale = working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], CASH_10)
    assert sale.receipt is not None and sale.receipt.signature and sale.receipt.fdm_id
    assert sale.receipt.event_label == ("NS" if working.generation == 1 else "N")
    record = working.pos.record(sale.event.ticket_number)
    assert record["fdm"]["signature"] == sale.receipt.signature


def test_mandatory_refund_of_a_ticket_references_the_original(working: Rig) -> None:
    sale = working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(2))], CASH_10)
    refund = working.pos.refund(
        sale.event.ticket_number, MANAGER, "T1", [Tender(PaymentMethod.CASH, Money(-700))]
    )
    assert refund.event.reference is not None and sale.receipt is not None
    assert refund.event.reference.total_counter == sale.receipt.total_counter
    assert refund.receipt is not None and refund.receipt.event_label == (
        "NR" if working.generation == 1 else "N"
    )
    with pytest.raises(DomainError, match=r"ALREADY_REFUNDED|EXCEEDS"):
        working.pos.refund(
            sale.event.ticket_number,
            MANAGER,
            "T1",
            [Tender(PaymentMethod.CASH, Money(-350))],
            {1: Decimal(1)},
        )


def test_mandatory_interrupted_sale_ends_in_a_normal_sale(working: Rig) -> None:
    order_id = _table_with_round(working)
    working.pos.clock_out(WAITER, "T1")
    working.pos.clock_out(MANAGER, "T1")
    with pytest.raises(DomainError, match="OPEN_TABLES"):
        working.pos.report("turnover", "Z", MANAGER, "T1")
    working.pos.clock_in(WAITER, "T1")
    _pay(working, order_id)
    working.pos.clock_out(WAITER, "T1")
    assert [s.event.kind for s in working.pos.report("turnover", "Z", MANAGER, "T1")] == [
        EventKind.REPORT_TURNOVER_Z,
        EventKind.REPORT_USER_Z,
    ]


def test_mandatory_bill_overview_is_a_pro_forma_event(working: Rig) -> None:
    order_id = _table_with_round(working)
    bill = working.pos.provisional_bill(order_id, working.pos.order(order_id).version, WAITER, "T1")
    assert bill.event.kind is EventKind.PRE_BILL and bill.receipt is not None
    assert bill.receipt.event_label in ("PS", "P")
    assert working.pos.order(order_id).status == "open"


def test_mandatory_copy_references_the_original(working: Rig) -> None:
    sale = working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], CASH_10)
    if working.generation == 1:
        with pytest.raises(DomainError, match="COPY_NOT_ALLOWED"):
            working.pos.copy(sale.event.ticket_number, MANAGER, "T1")
        return
    copy = working.pos.copy(sale.event.ticket_number, MANAGER, "T1")
    assert copy.receipt is not None and copy.receipt.event_label == "C"
    assert copy.event.reference is not None and sale.receipt is not None
    assert copy.event.reference.total_counter == sale.receipt.total_counter
    # the copy shows what the original showed, payments included, and counts in no total
    assert copy.event.payments == sale.event.payments and copy.event.lines == sale.event.lines
    printed = render_text(ticket_for(working.pos, copy.event.ticket_number))
    assert "10,00" in printed  # the cash given, as on the original
    cash_out = working.pos.money_in_out(MANAGER, "T1", Money(-2500), "bank")
    again = working.pos.copy(cash_out.event.ticket_number, MANAGER, "T1")
    slip = render_text(ticket_for(working.pos, again.event.ticket_number))
    assert "-25,00" in slip and "bank" in slip
    x = working.pos.report("turnover", "X", MANAGER, "T1")[0]
    payments = {p["method"]: p["amount"] for p in x.record["pos"]["report"]["payments"]}
    assert payments == {"CASH": str(Money(sale.event.total_cents))}


def test_mandatory_financial_events_payment_method_correction(working: Rig) -> None:
    sale = working.pos.quick_sale(
        WAITER, "T1", [("BEER", Decimal(2))], [Tender(PaymentMethod.CASH, Money(700))]
    )
    fix = working.pos.payment_correction(
        sale.event.ticket_number, MANAGER, "T1", [Tender(PaymentMethod.CARD, Money(700))]
    )
    amounts = [(p.method, str(p.amount)) for p in fix.event.payments]
    assert amounts == [("CASH", "-7.00"), ("CARD_UNKNOWN", "7.00")]
    assert (fix.receipt.event_label if fix.receipt else None) == (None if working.generation == 1 else "F")
    with pytest.raises(DomainError, match="SUM_MISMATCH"):
        working.pos.payment_correction(
            sale.event.ticket_number, MANAGER, "T1", [Tender(PaymentMethod.CARD, Money(600))]
        )


def test_mandatory_invoice_has_its_own_continuous_numbering(working: Rig) -> None:
    first = working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], CASH_10)
    second = working.pos.quick_sale(WAITER, "T1", [("COLA", Decimal(1))], CASH_10)
    customer = {"name": "Bedrijf NV", "address": "Markt 1, 9000 Gent", "vat_no": "BE0477472701"}
    one = working.pos.invoice([first.event.ticket_number], MANAGER, "T1", customer)
    two = working.pos.invoice([second.event.ticket_number], MANAGER, "T1", customer)
    assert (one.event.invoice_number, two.event.invoice_number) == ("1", "2")
    assert one.record["pos"]["tickets"] == [first.event.ticket_number]
    with pytest.raises(DomainError, match="ALREADY_INVOICED"):
        working.pos.invoice([first.event.ticket_number], MANAGER, "T1", customer)
    with pytest.raises(DomainError, match=r"customer\.name"):
        working.pos.invoice([second.event.ticket_number], MANAGER, "T1", {"address": "x"})


def test_mandatory_continuous_numbering_of_every_event(working: Rig) -> None:
    working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], CASH_10)
    with pytest.raises(DomainError):
        working.pos.quick_sale(WAITER, "T1", [("NOPE", Decimal(1))], CASH_10)  # refused before numbering
    working.pos.drawer_open(MANAGER, "T1")
    numbers = [r["event"]["ticket_number"] for r in _records(working)]  # type: ignore[index]
    assert numbers == list(range(1, len(numbers) + 1))


def test_mandatory_fdm_present_or_the_sale_is_not_finished(working: Rig) -> None:
    """FDM unreachable: refused with the reason, the order kept, sent again on request, signed once."""
    order_id = _table_with_round(working)
    assert working.fdm.fault is not None
    working.fdm.fault("drop-reply@H*4" if working.generation == 1 else '{"unreachable": true}')
    with pytest.raises(FiscalBlockedError) as blocked:
        _pay(working, order_id)
    assert blocked.value.pending and "did not answer" in blocked.value.message
    assert working.pos.order(order_id).status == "signing"
    if working.generation == 2:
        working.fdm.fault('{"unreachable": false}')
    done = working.pos.retry_pending()
    assert [d.event.kind for d in done] == [EventKind.SALE]
    assert working.pos.order(order_id).status == "closed"
    sales = [r for r in _records(working) if r["event"]["kind"] == "SALE"]  # type: ignore[index]
    assert len(sales) == 1
    counters = [r["fdm"]["total_counter"] for r in _records(working)]  # type: ignore[index]
    assert counters == list(range(counters[0], counters[0] + len(counters)))  # signed once: no gap, no double


def test_mandatory_logged_in_user_for_every_event(rig: Rig) -> None:
    with pytest.raises(DomainError, match="NOT_CLOCKED_IN"):
        rig.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], CASH_10)
    with pytest.raises(DomainError, match="UNKNOWN_EMPLOYEE"):
        rig.pos.clock_in("75061189702", "T1")
    assert _records(rig) == []


def test_mandatory_storage_of_fdm_messages_in_original_form(working: Rig) -> None:
    sale = working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], CASH_10)
    record = working.pos.record(sale.event.ticket_number)
    assert sale.receipt is not None
    assert (record["request"], record["reply"]) == (sale.receipt.request, sale.receipt.reply)
    if working.generation == 1:
        assert record["request"].startswith("H") and record["reply"].startswith("H")
    else:
        assert json.loads(record["request"])["operationName"] and "signResult" in record["reply"]


def test_mandatory_vat_codes_a_b_c_d(working: Rig) -> None:
    with pytest.raises(DomainError):
        VatLetter.parse("E")
    sale = working.pos.quick_sale(
        WAITER,
        "T1",
        [("WINE_L", Decimal("0.5")), ("SOUP", Decimal(1))],
        [Tender(PaymentMethod.CASH, Money(2000))],
    )
    assert sorted(sale.receipt.vat) == ["A", "C"] if sale.receipt else False
    work = _records(working)[0]
    assert work["event"]["lines"][0]["vat"] == "D"  # type: ignore[index]


def test_mandatory_fdm_vat_computation_is_stored(working: Rig) -> None:
    sale = working.pos.quick_sale(
        WAITER, "T1", [("BEER", Decimal(2))], [Tender(PaymentMethod.CASH, Money(700))]
    )
    record = working.pos.record(sale.event.ticket_number)
    assert record["fdm"]["vat"] == [{"letter": "A", "base": "5.79", "vat": "1.21"}]
    if working.generation == 2:
        assert "vatCalc" in record["reply"]  # from the FDM's answer


def test_mandatory_all_entered_lines_go_to_the_fdm_in_order(working: Rig) -> None:
    """Consolidation is for printouts only: the sale carries every line, corrections included."""
    order_id = _table_with_round(working, ("BEER", 2), ("COLA", 1))
    view = working.pos.correct(order_id, working.pos.order(order_id).version, WAITER, 2, Decimal(1))
    view = working.pos.add_item(order_id, view.version, WAITER, "COLA")
    sale = _pay(working, order_id)
    assert [(line.name, str(line.quantity)) for line in sale.event.lines] == [
        ("Pils", "2"),
        ("Cola", "1"),
        ("Cola", "-1"),
        ("Cola", "1"),
    ]
    if working.generation == 1:
        assert sale.receipt is not None and len(sale.receipt.plu_hash) == 8


def test_mandatory_cash_rounding_to_five_cents_only_for_cash(working: Rig) -> None:
    cash = working.pos.quick_sale(
        WAITER,
        "T1",
        [("COLA", Decimal(1)), ("CHEESE_KG", Decimal("0.123"))],
        [Tender(PaymentMethod.CASH, Money(1000))],
    )
    total = cash.event.total_cents  # 3.20 + 3.94 = 7.14
    assert total == 714
    rounding = [p for p in cash.event.payments if p.kind == "ROUNDING"]
    assert [str(p.amount) for p in rounding] == ["-0.01"]
    card = working.pos.quick_sale(
        WAITER, "T1", [("CHEESE_KG", Decimal("0.123"))], [Tender(PaymentMethod.CARD, Money(394))]
    )
    assert not [p for p in card.event.payments if p.kind == "ROUNDING"]


def test_mandatory_identification_is_sent_with_every_message(working: Rig) -> None:
    sale = working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], CASH_10)
    assert sale.receipt is not None
    site = working.pos.site()
    if working.generation == 1:
        assert site.pos_id in sale.receipt.request  # the POS production number in the H request
    else:
        data = json.loads(sale.receipt.request)["variables"]["data"]
        assert (data["posId"], data["posSwVersion"]) == (site.pos_id, site.sw_version)


# ----------------------------------------------------------------- § 7 reports


def test_mandatory_x_and_z_reports_have_the_same_content_and_z_is_numbered(working: Rig) -> None:
    working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(2))], [Tender(PaymentMethod.CASH, Money(700))])
    x = working.pos.report("turnover", "X", MANAGER, "T1")[-1].record["pos"]["report"]
    working.pos.clock_out(WAITER, "T1")
    working.pos.clock_out(MANAGER, "T1")
    z = working.pos.report("turnover", "Z", MANAGER, "T1")[0].record["pos"]["report"]
    assert x["number"] is None and z["number"] == 1
    for key in ("sales", "vat", "departments", "payments", "rounding", "drawer_openings", "pro_forma"):
        assert x[key] == z[key], key


def test_mandatory_missing_z_reports_are_made_before_the_next_report(working: Rig) -> None:
    working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], CASH_10)
    working.clock.advance(hours=25)  # the opening period is over without Z reports
    working.pos.quick_sale(WAITER, "T1", [("COLA", Decimal(1))], CASH_10)
    made = working.pos.report("turnover", "X", MANAGER, "T1")
    assert [m.event.kind for m in made] == [
        EventKind.REPORT_TURNOVER_Z,
        EventKind.REPORT_USER_Z,
        EventKind.REPORT_TURNOVER_X,
    ]
    z = made[0].record["pos"]["report"]
    assert z["sales"] == {"count": 1, "amount": "3.50"} and z["number"] == 1
    assert made[2].record["pos"]["report"]["sales"] == {"count": 1, "amount": "3.20"}


def test_mandatory_opening_period_at_most_24_hours_booked_on_its_start_date(working: Rig) -> None:
    working.clock.now = working.clock.now.replace(hour=23, minute=30)
    working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], CASH_10)
    start = working.clock.now
    working.clock.advance(hours=2)  # past midnight, same opening period
    late = working.pos.quick_sale(WAITER, "T1", [("COLA", Decimal(1))], CASH_10)
    assert late.event.booking_date == start.date()
    working.clock.advance(hours=23)
    next_day = working.pos.quick_sale(WAITER, "T1", [("COLA", Decimal(1))], CASH_10)
    assert next_day.event.booking_date == working.clock.now.date()
    assert next_day.event.booking_period_id != late.event.booking_period_id


def test_mandatory_user_report_lists_each_user_with_work_times(working: Rig) -> None:
    working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(2))], [Tender(PaymentMethod.CASH, Money(700))])
    report = working.pos.report("user", "X", MANAGER, "T1")[-1].record["pos"]["report"]
    users = {u["employee_id"]: u for u in report["users"]}
    assert users[WAITER]["turnover"] == "7.00" and users[WAITER]["alias"] == "Bram"
    assert [w["kind"] for w in users[WAITER]["work"]] == ["WORK_IN"]
    assert users[MANAGER]["turnover"] == "0.00"


# ----------------------------------------------------------------- § 3.4, § 10, § 11


def test_mandatory_work_in_out_as_zero_tickets_at_vat_d(rig: Rig) -> None:
    work_in = rig.pos.clock_in(WAITER, "T1")
    assert work_in.receipt is not None
    if rig.generation == 1:
        assert " 0,00" not in work_in.receipt.request  # amounts are digits
        assert (
            work_in.receipt.request[1 + 2 + 1 + 14 + 11 + 14 + 6 : 1 + 2 + 1 + 14 + 11 + 14 + 6 + 2] == "NS"
        )
    assert [line.vat for line in work_in.event.lines] == ["D"] and work_in.event.total_cents == 0


def test_mandatory_manual_receipt_fallback_is_recorded(working: Rig) -> None:
    started = working.clock.now - timedelta(hours=2)
    record = working.pos.incident(MANAGER, "FDM does not answer", started, ["M-0001", "M-0002"])
    assert record["type"] == "incident"
    assert record["incident"]["manual_receipts"] == ["M-0001", "M-0002"]
    assert "secr.gksce@minfin.fed.be" in record["incident"]["notice"]
    assert (started + timedelta(days=7)).date().isoformat() in record["incident"]["notice"]


def test_mandatory_pin_entry_unlocks_the_sce1_card(rig: Rig) -> None:
    if rig.generation == 2:
        assert rig.pos.unlock("00000") == []  # an FDM 2.0 asks for no PIN
        return
    assert rig.pos.device is not None and rig.pos.device.fdm_id
    rig.pos.clock_in(WAITER, "T1")  # the PIN was given at start-up
    assert len(_records(rig)) == 1


def test_mandatory_booking_data_on_every_event(working: Rig) -> None:
    sale = working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], CASH_10)
    assert sale.event.booking_date == datetime.fromisoformat(sale.event.pos_datetime.isoformat()).date()
    assert sale.event.booking_period_id and sale.event.terminal_id == "T1"
    assert sale.event.language == "NL"


def test_mandatory_line_reasons_are_kept(working: Rig) -> None:
    order_id = _table_with_round(working, ("BEER", 2))
    view = working.pos.correct(
        order_id, working.pos.order(order_id).version, WAITER, 1, Decimal(1), LineReason.WASTE
    )
    assert view.order.lines[-1].reason is LineReason.WASTE


def test_mandatory_configuration_log_never_holds_a_secret(rig: Rig) -> None:
    rig.pos.add_employee(
        Employee("93051822361", "Bram"),
        "waiter",
        by=MANAGER,
        pin_hash="$argon2id$v=19$secret-hash",
        access={"badge_code": "4711-0815", "label": "front"},
    )
    with rig.store.engine.connect() as connection:
        bodies = [
            row[0]
            for row in connection.execute(text("SELECT body FROM config_log WHERE entity = 'employee'"))
        ]
    logged = "\n".join(bodies)
    assert "argon2id" not in logged and "4711-0815" not in logged
    assert '"label":"front"' in logged.replace(" ", "")
