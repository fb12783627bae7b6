"""The rows of a ticket in print order, translated and formatted: what every renderer lays out.

Text, HTML, PDF and ESC/POS output all draw the same rows, so a mention present on one medium is
present on all of them. A row is a kind and its cells: ``title`` and ``notice`` (capitals, bold,
centred), ``center`` and ``text`` (one cell), ``pair`` (label left, value right), ``total`` (a bold pair),
``columns`` (the VAT table), ``rule`` (no cell) and ``qr`` (the URL to encode).

A print without product lines (a money in/out or a payment correction slip) shows its payment lines, the
reason of a money in/out, and a total only where its lines add up to an amount that changed hands: a
payment correction's negated and new payments add up to zero, so it shows none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sce.domain.money import Money
from sce.tickets.i18n import TicketLanguage
from sce.tickets.model import PaymentRole, Ticket, TicketKind, TicketLine, TicketPayment

RowKind = Literal["title", "notice", "center", "text", "pair", "total", "columns", "rule", "qr"]
NOT_VALID = "THIS IS NOT A VALID VAT TICKET"
_CARDS = {"CARD_UNKNOWN", "CARD_DEBIT", "CARD_CREDIT", "CARD"}


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the ticket; ``cells`` hold finished text in the ticket language."""

    kind: RowKind
    cells: tuple[str, ...] = ()


def _row(kind: RowKind, *cells: str) -> Row:
    return Row(kind, cells)


def _payment_label(payment: TicketPayment, t: TicketLanguage) -> str:
    if payment.role is PaymentRole.TIP:
        return t("Tip")
    if payment.role is PaymentRole.ROUNDING:
        return t("Rounding")
    if payment.role is PaymentRole.CHANGE:
        return t("Change")
    if payment.method == "CASH":
        return t("Cash")
    if payment.method in _CARDS:
        return t("Card")
    return payment.name or payment.method


def _header(ticket: Ticket, t: TicketLanguage) -> list[Row]:
    settings = ticket.settings
    rows = [_row("title", t.title(label, ticket.generation)) for label in ticket.labels]
    rows.append(_row("center", settings.issuer_name))
    rows.extend(_row("center", line) for line in settings.issuer_address)
    rows.append(_row("center", f"{t('VAT no.')} {settings.vat_number}"))
    rows.append(_row("center", settings.establishment_name))
    if ticket.generation == 2:
        rows.append(_row("pair", t("Establishment unit"), settings.establishment_number))
    rows.append(_row("rule"))
    rows.append(_row("pair", t("POS"), settings.pos_production_number))
    rows.append(_row("pair", t("Software"), settings.software_version))
    rows.append(_row("pair", t("Terminal"), settings.terminal_id))
    if ticket.generation == 2:
        rows.append(_row("pair", t("Device"), settings.device_id))
    rows.append(_row("pair", t("Served by"), ticket.user_alias))
    rows.append(_row("pair", t("Date"), t.date_time(ticket.pos_datetime)))
    rows.append(_row("pair", t("Ticket no."), str(ticket.ticket_number)))
    if ticket.kind is TicketKind.INVOICE:
        rows.append(_row("pair", t("Invoice no."), ticket.invoice_number))
    if ticket.cost_center is not None and ticket.cost_center.type == "TABLE":
        rows.append(_row("pair", t("Table"), ticket.cost_center.id))
    if ticket.reference is not None:
        ref = ticket.reference
        counters = f"{ref.event_counter}/{ref.total_counter} {ref.event_label}"
        rows.append(_row("pair", t("Original ticket"), f"{ref.fdm_id} {counters}"))
        rows.append(_row("pair", "", t.date_time(ref.fdm_datetime)))
    return rows


def _invoice_header(ticket: Ticket, t: TicketLanguage) -> list[Row]:
    """The customer (name, address, VAT number) and the VAT tickets an invoice covers, with their dates."""
    customer = ticket.customer
    if ticket.kind is not TicketKind.INVOICE or customer is None:
        return []
    rows = [_row("rule"), _row("text", t("Customer")), _row("text", customer.name)]
    rows.append(_row("text", customer.address))
    if customer.vat_no:
        rows.append(_row("pair", t("VAT no."), customer.vat_no))
    rows.append(_row("rule"))
    numbers = ", ".join(str(item.ticket_number) for item in ticket.invoiced)
    rows.append(_row("pair", t("VAT tickets"), numbers))
    rows.extend(
        _row("pair", f"   {t('Ticket no.')} {item.ticket_number}", t.date_time(item.pos_datetime))
        for item in ticket.invoiced
    )
    return rows


def _line_rows(line: TicketLine, show_amounts: bool, t: TicketLanguage) -> list[Row]:
    described = f"{t.quantity(line.quantity)} {line.description}"
    if not show_amounts:
        return [_row("text", described)]
    rows = [_row("pair", described, f"{t.amount(line.total)} {line.vat.value}")]
    if abs(line.quantity) != 1:
        rows.append(_row("text", f"   {t.quantity(line.quantity)} x {t.amount(line.unit_price)}"))
    if not line.price_change.is_zero():
        rows.append(_row("pair", f"   {t('Price change')}", t.amount(line.price_change)))
    return rows


def _lines(ticket: Ticket, t: TicketLanguage) -> list[Row]:
    """The product lines; on an invoice all lines of each ticket it covers, under that ticket's number."""
    rows: list[Row] = []
    if ticket.invoiced:
        for item in ticket.invoiced:
            rows.append(_row("pair", f"{t('Ticket no.')} {item.ticket_number}", t.money(item.total)))
            for line in item.lines:
                rows.extend(_line_rows(line, ticket.show_amounts, t))
        return rows
    for line in ticket.lines:
        rows.extend(_line_rows(line, ticket.show_amounts, t))
    return rows


def _payments_only(ticket: Ticket, t: TicketLanguage) -> list[Row]:
    """The body of a slip without product lines: the reason and amount of a money in/out, the lines of a
    payment correction; the total where it is not zero."""
    rows = [_row("rule")]
    for payment in ticket.payments:
        if payment.role is PaymentRole.MONEY_IN_OUT and payment.name:
            rows.append(_row("pair", t("Reason"), payment.name))
        rows.append(_row("pair", _payment_label(payment, t), t.amount(payment.amount)))
    if not ticket.total.is_zero():
        rows.append(_row("rule"))
        rows.append(_row("total", t("TOTAL"), t.money(ticket.total)))
    return rows


def _body(ticket: Ticket, t: TicketLanguage) -> list[Row]:
    if not ticket.lines and not ticket.payments:
        return []
    if not ticket.lines and not ticket.invoiced:
        return _payments_only(ticket, t)
    rows = [_row("rule"), *_lines(ticket, t)]
    if not ticket.show_amounts:
        return rows
    rows.append(_row("rule"))
    if ticket.kind is TicketKind.INVOICE:
        base = Money.sum(vat.base for vat in ticket.vat_rows)
        rows.append(_row("pair", t("Total excl. VAT"), t.money(base)))
        rows.append(_row("pair", t("VAT"), t.money(Money.sum(vat.vat for vat in ticket.vat_rows))))
    rows.append(_row("total", t("TOTAL"), t.money(ticket.total)))
    if ticket.vat_rows:
        rows.append(_row("rule"))
        rows.append(_row("columns", t("VAT"), t("Rate"), t("Base"), t("VAT"), t("Total")))
        for vat in ticket.vat_rows:
            rate = t.rate(vat.rate)
            rows.append(
                _row(
                    "columns",
                    vat.letter.value,
                    rate,
                    t.amount(vat.base),
                    t.amount(vat.vat),
                    t.amount(vat.total),
                )
            )
    if ticket.payments:
        rows.append(_row("rule"))
        rows.extend(_row("pair", _payment_label(p, t), t.amount(p.amount)) for p in ticket.payments)
    return rows


def _invoiced_control(ticket: Ticket, t: TicketLanguage) -> list[Row]:
    """An SCE 1.0 invoice, which the FDM never registers: the FDM data of each ticket it covers."""
    references = [(item.ticket_number, item.reference) for item in ticket.invoiced]
    if not any(reference is not None for _number, reference in references):
        return []
    rows = [_row("rule"), _row("text", t("Control data"))]
    for number, ref in references:
        if ref is None:
            continue
        rows.append(_row("text", f"{t('Ticket no.')} {number}"))
        rows.append(_row("pair", t("FDM date/time"), t.date_time(ref.fdm_datetime)))
        rows.append(_row("pair", t("Counters"), f"{ref.event_counter}/{ref.total_counter} {ref.event_label}"))
        rows.append(_row("pair", t("FDM"), ref.fdm_id))
    return rows


def _control(ticket: Ticket, t: TicketLanguage) -> list[Row]:
    control = ticket.control
    if control is None:
        return _invoiced_control(ticket, t)
    rows = [_row("rule"), _row("text", t("Control data"))]
    if control.generation == 1 and control.plu_hash:
        rows.append(_row("pair", t("PLU"), control.plu_hash))
    rows.append(_row("pair", t("FDM date/time"), t.date_time(control.fdm_datetime)))
    rows.append(_row("pair", t("Counters"), control.counters))
    if control.signature:
        rows.append(_row("text", f"{t('Signature')}:"))
        rows.append(_row("text", control.signature))
    if control.short_signature:
        rows.append(_row("text", f"{t('Short signature')}:"))
        rows.append(_row("text", control.short_signature))
    rows.append(_row("pair", t("FDM"), control.fdm_id))
    if control.generation == 1 and control.vsc_id:
        rows.append(_row("pair", t("VSC"), control.vsc_id))
    rows.extend(_row("center", line) for line in ticket.footer)
    if control.verification_url:
        rows.append(_row("center", t("Verify this ticket")))
        rows.append(_row("qr", control.verification_url))
    return rows


def ticket_rows(ticket: Ticket) -> tuple[Row, ...]:
    """The rows of ``ticket`` in print order, in its language."""
    t = TicketLanguage(ticket.language)
    rows = [*_header(ticket, t), *_invoice_header(ticket, t), *_body(ticket, t), *_control(ticket, t)]
    if not ticket.is_vat_ticket:
        rows.append(_row("rule"))
        rows.append(_row("notice", t(NOT_VALID)))
    return tuple(rows)
