"""The invoice print (event I): a :class:`~sce.tickets.model.Ticket` of kind INVOICE built from the
invoice event and the VAT tickets it covers (``regulation.md`` § 3.3, arts 31-33 and art. 5 KB no. 1).

An invoice is always printed, headed "FACTUUR", with its own continuous invoice number next to the
continuous event number, the customer's name, address and VAT number, the numbers and dates of the
original VAT tickets, all their product lines, the taxable base, rate and VAT per VAT letter (the sum of
the tickets' rows, which in SCE 2.0 are the FDM's ``vatCalc``) and the total. The control data are those
of the invoice event as the FDM registered it, never a signature, short signature or QR code (those are
printed on a VAT ticket only); an SCE 1.0 FDM never sees the invoice, so its print shows the FDM data of
the tickets it covers instead. Like every print that is not a VAT ticket it ends with "this is not a
valid VAT ticket". The payments stay on the VAT tickets: the invoice shows none.
"""

from __future__ import annotations

from collections.abc import Sequence

from sce.domain.money import Money
from sce.domain.vat import VatLetter
from sce.fiscal.port import EventKind, FiscalEvent, FiscalReceipt, FiscalReference
from sce.tickets.model import (
    InvoiceCustomer,
    InvoicedTicket,
    Ticket,
    TicketError,
    TicketKind,
    TicketSettings,
    TicketVatRow,
    checked_alias,
    control_data,
)


def _reference(ticket: Ticket) -> FiscalReference | None:
    control = ticket.control
    if control is None:
        return None
    return FiscalReference(
        control.fdm_id,
        control.fdm_datetime,
        control.event_label,
        control.event_counter,
        control.total_counter,
    )


def _vat_rows(tickets: Sequence[Ticket]) -> tuple[TicketVatRow, ...]:
    """The tickets' VAT rows summed per letter, in letter order."""
    rows: dict[VatLetter, TicketVatRow] = {}
    for ticket in tickets:
        for row in ticket.vat_rows:
            known = rows.get(row.letter)
            if known is None:
                rows[row.letter] = row
            elif known.rate != row.rate:
                raise TicketError(f"vat_rows: letter {row.letter.value} has two rates")
            else:
                rows[row.letter] = TicketVatRow(
                    row.letter, row.rate, known.base + row.base, known.vat + row.vat
                )
    return tuple(rows[letter] for letter in sorted(rows, key=lambda letter: letter.value))


def _check(ticket: Ticket, settings: TicketSettings, seen: set[int]) -> None:
    number = ticket.ticket_number
    if not ticket.is_vat_ticket or ticket.kind not in (TicketKind.VAT, TicketKind.REFUND):
        raise TicketError(f"tickets: {number} is not a signed VAT ticket ({ticket.kind.value})")
    if ticket.generation != settings.generation:
        raise TicketError(f"tickets: {number} is an SCE {ticket.generation}.0 ticket")
    if number in seen:
        raise TicketError(f"tickets: {number} is covered twice")
    seen.add(number)


def build_invoice(
    event: FiscalEvent,
    receipt: FiscalReceipt | None,
    settings: TicketSettings,
    user_alias: str,
    customer: InvoiceCustomer,
    tickets: Sequence[Ticket],
) -> Ticket:
    """The invoice print of ``event`` (kind INVOICE) for the VAT ``tickets`` it covers, in their order.

    ``receipt`` is the FDM's answer to the invoice event (``None`` in SCE 1.0, whose FDM does not
    register invoices). Raises :class:`TicketError` for another event, no ticket, a ticket that is not a
    signed sale, a ticket twice, a customer without name or address, or an alias that is the INSZ.
    """
    if event.kind is not EventKind.INVOICE:
        raise TicketError(f"{event.kind.value}: not an invoice event")
    if not event.invoice_number.strip():
        raise TicketError("invoice_number: an invoice has its own number")
    if not tickets:
        raise TicketError("tickets: an invoice covers at least one VAT ticket")
    if not customer.name.strip() or not customer.address.strip():
        raise TicketError("customer: an invoice names its customer and address")
    alias = checked_alias(event, receipt, settings, user_alias)
    seen: set[int] = set()
    for ticket in tickets:
        _check(ticket, settings, seen)
    invoiced = tuple(
        InvoicedTicket(
            ticket.ticket_number, ticket.pos_datetime, ticket.lines, ticket.total, _reference(ticket)
        )
        for ticket in tickets
    )
    return Ticket(
        kind=TicketKind.INVOICE,
        settings=settings,
        user_alias=alias,
        ticket_number=event.ticket_number,
        pos_datetime=event.pos_datetime,
        lines=tuple(line for ticket in tickets for line in ticket.lines),
        total=Money.sum(ticket.total for ticket in tickets),
        vat_rows=_vat_rows(tickets),
        payments=(),
        control=control_data(receipt, False) if receipt is not None else None,
        invoice_number=event.invoice_number.strip(),
        customer=customer,
        invoiced=invoiced,
    )


__all__ = ["build_invoice"]
