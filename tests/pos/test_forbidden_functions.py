"""One test per forbidden function of regulation.md § 4, named after it, showing it is impossible."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import text

from sce.domain.catalogue import Names, Product
from sce.domain.errors import DomainError
from sce.domain.money import Money
from sce.domain.orders import CostCentre, CostCentreType
from sce.domain.payments import PaymentMethod, Tender
from sce.domain.vat import ProductVat, VatLetter
from sce.fiscal.port import EventKind
from sce.pos.errors import FiscalBlockedError
from sce.pos.ticket_view import ticket_for
from sce.tickets.render_text import render_text
from tests.pos.support import MANAGER, WAITER, Rig

TABLE = CostCentre(CostCentreType.TABLE, "3")
CASH_10 = [Tender(PaymentMethod.CASH, Money(1000))]


@pytest.fixture
def working(rig: Rig) -> Rig:
    rig.pos.clock_in(WAITER, "T1")
    rig.pos.clock_in(MANAGER, "T1")
    return rig


def test_forbidden_changing_an_entered_line_within_the_event(working: Rig) -> None:
    """A change to an entered line is an extra line in the message (art. 41), never an edit."""
    view = working.pos.open_order(WAITER, TABLE)
    view = working.pos.add_item(view.order.order_id, view.version, WAITER, "BEER", Decimal(3))
    view = working.pos.correct(view.order.order_id, view.version, WAITER, 1, Decimal(2))
    assert [str(line.quantity) for line in view.order.lines] == ["3", "-2"]
    assert not hasattr(working.pos, "edit_line") and not hasattr(working.pos, "delete_line")
    round_event = working.pos.send_round(view.order.order_id, view.version, WAITER, "T1")
    assert [str(line.quantity) for line in round_event.event.lines] == ["3", "-2"]


def test_forbidden_changing_or_deleting_a_sent_event(working: Rig) -> None:
    """A closed event is corrected only by a new event (art. 42): the journal refuses edits."""
    sale = working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], CASH_10)
    for statement in (
        "UPDATE journal SET body = replace(body, '3.50', '0.50')",
        f"DELETE FROM journal WHERE ticket_number = {sale.event.ticket_number}",
    ):
        with pytest.raises(Exception, match="append-only"), working.store.engine.begin() as connection:
            connection.execute(text(statement))
    closed = working.pos.order_for_ticket(sale.event.ticket_number)
    with pytest.raises(DomainError, match="NOT_OPEN"):
        working.pos.add_item(closed.order.order_id, closed.version, WAITER, "COLA")
    assert working.pos.record(sale.event.ticket_number)["event"]["total"] == "3.50"


def test_forbidden_vat_ticket_before_the_signature(working: Rig) -> None:
    """No finished sale, hence no VAT ticket, without the FDM's signature (art. 43, 14)."""
    assert working.fdm.fault is not None
    working.fdm.fault("drop-reply@H*4" if working.generation == 1 else '{"unreachable": true}')
    with pytest.raises(FiscalBlockedError):
        working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], CASH_10)
    with working.store.tx() as tx:
        assert list(tx.journal_bodies(event_kind="SALE")) == []  # nothing to print from
        assert len(tx.pending()) == 1


def test_forbidden_signature_on_anything_but_a_vat_ticket(working: Rig) -> None:
    """The tickets of pro forma and reports carry no signature (art. 43)."""
    view = working.pos.open_order(WAITER, TABLE)
    view = working.pos.add_item(view.order.order_id, view.version, WAITER, "BEER")
    pro_forma = working.pos.send_round(view.order.order_id, view.version, WAITER, "T1")
    sale = working.pos.quick_sale(WAITER, "T1", [("COLA", Decimal(1))], CASH_10)
    assert sale.receipt is not None and pro_forma.receipt is not None
    vat_ticket = ticket_for(working.pos, sale.event.ticket_number)
    other = ticket_for(working.pos, pro_forma.event.ticket_number)
    assert vat_ticket.is_vat_ticket and not other.is_vat_ticket
    printed = sale.receipt.signature if working.generation == 1 else sale.receipt.short_signature
    assert printed and printed in render_text(vat_ticket, 42).replace("\n", "")
    other_text = render_text(other, 42).replace("\n", "")
    assert pro_forma.receipt.signature[:12] not in other_text
    assert "verify" not in other_text


def test_forbidden_changing_preset_article_settings_of_signed_lines(working: Rig) -> None:
    """A new price or VAT rate never alters lines already entered or signed (art. 44)."""
    view = working.pos.open_order(WAITER, TABLE)
    view = working.pos.add_item(view.order.order_id, view.version, WAITER, "BEER")
    working.pos.send_round(view.order.order_id, view.version, WAITER, "T1")
    working.pos.add_product(
        Product("BEER", Names.of("Pils"), "DRINKS", Money(990), ProductVat.single(VatLetter.B)), by=MANAGER
    )
    line = working.pos.order(view.order.order_id).order.lines[0]
    assert (line.unit_price, line.vat) == (Money(350), VatLetter.A)
    with pytest.raises(DomainError, match="RESERVED_PRODUCT"):
        working.pos.add_product(
            Product("WORK_IN", Names.of("x"), "DRINKS", Money(100), ProductVat.single(VatLetter.A)),
            by=MANAGER,
        )


def test_forbidden_settings_that_allow_a_forbidden_function(rig: Rig) -> None:
    """No setting turns off the journal, the FDM or the user check (art. 45)."""
    site = rig.pos.site().to_dict()
    for name in site:
        assert not any(word in name for word in ("journal", "fdm", "offline", "delete", "skip"))
    with pytest.raises(DomainError, match="UNKNOWN_SCOPE"):
        rig.pos.set_training("everything", "x", True, MANAGER)


def test_forbidden_event_without_fdm_or_without_user(rig: Rig) -> None:
    """No event without a logged-in user or a working FDM (arts 14, 15)."""
    with pytest.raises(DomainError, match="NOT_CLOCKED_IN"):
        rig.pos.drawer_open(WAITER, "T1")
    assert rig.fdm.fault is not None
    rig.fdm.fault("drop-reply@H*4" if rig.generation == 1 else '{"unreachable": true}')
    with pytest.raises(FiscalBlockedError):
        rig.pos.clock_in(WAITER, "T1")
    assert rig.pos.clocked_in() == {}


def test_forbidden_undocumented_messages_to_the_fdm(working: Rig) -> None:
    """Only the documented messages go to the FDM (art. 49)."""
    working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], CASH_10)
    working.pos.drawer_open(MANAGER, "T1")
    working.pos.report("turnover", "X", MANAGER, "T1")
    with working.store.tx() as tx:
        requests = [r["request"] for r in tx.journal_bodies() if r.get("request")]
    for request in requests:
        if working.generation == 1:
            assert request[0] == "H"
        else:
            name = json.loads(request)["operationName"]
            assert name.startswith("Sign"), name


def test_forbidden_v1_copy_of_a_vat_ticket(working: Rig) -> None:
    """SCE 1.0: no copy of a VAT ticket unless enabled by configuration (Decision 3)."""
    sale = working.pos.quick_sale(WAITER, "T1", [("BEER", Decimal(1))], CASH_10)
    if working.generation == 2:
        assert working.pos.copy(sale.event.ticket_number, MANAGER, "T1").event.kind is EventKind.COPY
        return
    with pytest.raises(DomainError, match="COPY_NOT_ALLOWED"):
        working.pos.copy(sale.event.ticket_number, MANAGER, "T1")


def test_forbidden_v1_price_modification_and_deletion_in_order_lines(working: Rig) -> None:
    """A price change is minus the old price plus the new one; lines are never deleted."""
    view = working.pos.open_order(WAITER, TABLE)
    view = working.pos.add_item(view.order.order_id, view.version, WAITER, "BEER")
    view = working.pos.change_price(view.order.order_id, view.version, MANAGER, 1, Money(300))
    assert [(str(x.quantity), x.unit_price.cents) for x in view.order.lines] == [
        ("1", 350),
        ("-1", 350),
        ("1", 300),
    ]
    with pytest.raises(DomainError, match="EXCEEDS_REMAINING"):
        working.pos.correct(view.order.order_id, view.version, WAITER, 1, Decimal(1))


def test_forbidden_selling_the_reserved_work_products(working: Rig) -> None:
    view = working.pos.open_order(WAITER, TABLE)
    with pytest.raises(DomainError, match="RESERVED_PRODUCT"):
        working.pos.add_item(view.order.order_id, view.version, WAITER, "WORK_IN")


def test_forbidden_global_discount_on_a_ticket(working: Rig) -> None:
    """Discounts are lines of one item at its VAT letter; there is no ticket-wide discount."""
    assert not hasattr(working.pos, "global_discount")
    view = working.pos.open_order(WAITER, TABLE)
    view = working.pos.add_item(view.order.order_id, view.version, WAITER, "BEER")
    with pytest.raises(DomainError, match="EXCEEDS_LINE_VALUE"):
        working.pos.discount(view.order.order_id, view.version, MANAGER, 1, Money(351))
