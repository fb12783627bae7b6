"""The ticket of a journaled event, for printing, the screen, the e-mail or a copy (built from the journal
record and its FDM answer, never from live order data); an invoice's print from the journaled VAT tickets
it covers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sce.domain.money import Money
from sce.fiscal.port import EventKind, FiscalEvent, FiscalReceipt
from sce.journal.codec import event_from_json, receipt_from_json
from sce.pos.service import Pos
from sce.tickets.i18n import parse_language
from sce.tickets.invoice import build_invoice
from sce.tickets.model import InvoiceCustomer, Ticket, TicketError, TicketSettings, build_ticket


def settings_for(pos: Pos, record: dict[str, Any]) -> TicketSettings:
    site = pos.site()
    terminal = record["event"].get("terminal_id") or "T1"
    return TicketSettings(
        generation=pos.fdm.generation,
        issuer_name=site.company_name,
        issuer_address=tuple(part.strip() for part in site.company_address.split(",")),
        vat_number=site.vat_no,
        establishment_name=site.establishment_name,
        establishment_number=site.establishment_no,
        pos_production_number=site.pos_id,
        software_version=site.sw_version,
        terminal_id=terminal,
        device_id=terminal,
        language=parse_language(site.language.value),
    )


def _invoice_of_record(
    pos: Pos, record: dict[str, Any], event: FiscalEvent, receipt: FiscalReceipt | None, alias: str
) -> Ticket:
    """The invoice print: built from the journaled VAT tickets it covers, in the order it names them."""
    body = record.get("pos") or {}
    details = body.get("customer") or {}
    customer = InvoiceCustomer(
        name=str(details.get("name", "")),
        address=str(details.get("address", "")),
        vat_no=event.customer_vat_no or str(details.get("vat_no", "")),
    )
    tickets = [ticket_of_record(pos, pos.record(int(number))) for number in body.get("tickets", ())]
    invoice = build_invoice(event, receipt, settings_for(pos, record), alias, customer, tickets)
    amount = body.get("invoice_amount")
    if amount is not None and Money.from_decimal(Decimal(str(amount))) != invoice.total:
        raise TicketError(f"invoice_amount: {amount} journaled, the tickets add up to {invoice.total}")
    return invoice


def ticket_of_record(pos: Pos, record: dict[str, Any]) -> Ticket:
    event = event_from_json(record["event"])
    fdm = record.get("fdm")
    receipt = receipt_from_json(fdm, record.get("request") or "", record.get("reply") or "") if fdm else None
    with pos.store.tx() as tx:
        alias = pos.employee(tx, event.employee_id).alias
    if event.kind is EventKind.INVOICE:
        return _invoice_of_record(pos, record, event, receipt, alias)
    return build_ticket(
        event, receipt, settings_for(pos, record), alias, interrupted=event.kind is EventKind.ORDER
    )


def ticket_for(pos: Pos, ticket_number: int) -> Ticket:
    """The ticket of the event with POS number ``ticket_number``."""
    return ticket_of_record(pos, pos.record(ticket_number))
