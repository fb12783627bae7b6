"""A restaurant service from clock-in to Z report through the real services, FDM and database."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import text

from sce.domain.errors import DomainError
from sce.domain.money import Money
from sce.domain.orders import CostCentre, CostCentreType
from sce.domain.payments import PaymentMethod, Tender, Tip
from sce.journal.format import GENESIS, record_hash
from tests.pos.support import MANAGER, WAITER, Rig

TABLE_5 = CostCentre(CostCentreType.TABLE, "5")
TABLE_4 = CostCentre(CostCentreType.TABLE, "4")


def test_table_service_with_rounds_correction_transfer_and_payment(rig: Rig) -> None:
    pos = rig.pos
    pos.clock_in(WAITER, "T1")
    view = pos.open_order(WAITER, TABLE_5)
    order_id = view.order.order_id
    view = pos.add_item(order_id, view.version, WAITER, "BEER", Decimal(2))
    view = pos.add_item(order_id, view.version, WAITER, "SOUP", Decimal(2))
    first = pos.send_round(order_id, view.version, WAITER, "T1")
    rig.clock.advance(minutes=20)
    view = pos.order(order_id)
    view = pos.add_item(order_id, view.version, WAITER, "STEAK", Decimal(2), modifier_ids=("RARE",))
    view = pos.correct(order_id, view.version, WAITER, 1, Decimal(1))
    second = pos.send_round(order_id, view.version, WAITER, "T1")
    view = pos.order(order_id)
    moved, target = pos.transfer(order_id, view.version, WAITER, "T1", TABLE_4)
    target_view = pos.order(target)
    assert pos.order(order_id).status == "moved"
    assert target_view.order.total == Money(350 + 1300 + 5300)
    bill = pos.provisional_bill(target, target_view.version, WAITER, "T1")
    target_view = pos.order(target)
    sale = pos.pay(
        target,
        target_view.version,
        WAITER,
        "T1",
        [Tender(PaymentMethod.CASH, Money(5000)), Tender(PaymentMethod.CARD, Money(2000))],
        [Tip(PaymentMethod.CARD, Money(50))],
    )
    assert pos.order(target).status == "closed"
    numbers = [s.event.ticket_number for s in (first, second, moved, bill, sale)]
    assert numbers == sorted(numbers) and len(set(numbers)) == 5
    assert sale.receipt is not None and sale.receipt.signature
    if rig.generation == 1:
        assert (first.receipt and first.receipt.event_label) == "PS"
        assert sale.receipt.event_label == "NS"
    else:
        assert (first.receipt and first.receipt.event_label) == "P"
        assert sale.receipt.event_label == "N"
        assert sale.receipt.vat  # the FDM's VAT computation
    payments = {(p.kind, p.method): p.amount for p in sale.event.payments}
    assert payments[("TIP", "CARD_UNKNOWN")] == Decimal("0.50")
    assert sum(p.amount for p in sale.event.payments) == sale.event.total_cents / Decimal(100) + Decimal(
        "0.50"
    )


def test_journal_is_chained_and_append_only(rig: Rig) -> None:
    pos = rig.pos
    pos.clock_in(WAITER, "T1")
    pos.quick_sale(WAITER, "T1", [("COLA", Decimal(1))], [Tender(PaymentMethod.CASH, Money(500))])
    pos.clock_out(WAITER, "T1")
    with rig.store.engine.connect() as connection:
        rows = connection.execute(text("SELECT seq, prev_hash, hash, body FROM journal ORDER BY seq")).all()
    prev = GENESIS
    for seq, prev_hash, digest, body in rows:
        record = json.loads(body)
        assert (record["seq"], record["prev"], prev_hash) == (seq, prev, prev)
        assert record_hash(record) == digest == record["hash"]
        prev = digest
    assert [json.loads(r[3])["event"]["kind"] for r in rows] == ["WORK_IN", "SALE", "WORK_OUT"]
    for statement in ("UPDATE journal SET total_cents = 0", "DELETE FROM journal"):
        try:
            with rig.store.engine.begin() as connection:
                connection.execute(text(statement))
        except Exception as error:  # the database refuses: append-only
            assert "append-only" in str(error)
        else:
            raise AssertionError(f"{statement} was accepted")


def test_z_report_closes_the_day(rig: Rig) -> None:
    pos = rig.pos
    pos.clock_in(MANAGER, "T1")
    pos.quick_sale(MANAGER, "T1", [("BEER", Decimal(2))], [Tender(PaymentMethod.CASH, Money(700))])
    pos.drawer_open(MANAGER, "T1")
    with pytest.raises(DomainError, match="USERS_CLOCKED_IN"):
        pos.report("turnover", "Z", MANAGER, "T1")
    pos.clock_out(MANAGER, "T1")
    made = pos.report("turnover", "Z", MANAGER, "T1")
    kinds = [m.event.kind.value for m in made]
    assert kinds == ["REPORT_TURNOVER_Z", "REPORT_USER_Z"]
    report = made[0].record["pos"]["report"]
    assert report["number"] == 1 and made[1].record["pos"]["report"]["number"] == 1
    assert report["sales"] == {"count": 1, "amount": "7.00"}
    assert report["vat"] == [{"letter": "A", "base": "5.79", "vat": "1.21", "total": "7.00"}]
    assert report["drawer_openings"] == 1
    assert report["payments"] == [{"method": "CASH", "amount": "7.00"}]
