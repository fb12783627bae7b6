"""The invoice print (event I): built from the VAT tickets it covers, the golden text files, and the same
mentions on text, HTML, PDF and ESC/POS (``regulation.md`` § 3.3, arts 31-33; § 6.4)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from escpos.printer import Dummy  # type: ignore[import-untyped]

from sce.domain.money import Money
from sce.domain.vat import VatLetter
from sce.fiscal.port import EventKind
from sce.tickets.i18n import Lang
from sce.tickets.invoice import build_invoice
from sce.tickets.model import InvoiceCustomer, TicketError, TicketKind, build_ticket
from sce.tickets.printing import EscposPrinter, ticket_key
from sce.tickets.render_html import render_html
from sce.tickets.render_pdf import render_pdf
from sce.tickets.render_text import render_text
from tests.tickets.support import (
    ALIAS,
    CUSTOMER,
    INSZ,
    INVOICE_CASES,
    V1_SIGNATURE,
    V2_INVOICE_SHORT,
    V2_SHORT,
    WIDE_INVOICE_CASES,
    golden_path,
    invoice,
    invoice_event,
    invoice_receipt,
    second_sale,
    settings,
    ticket,
)


def _build(generation: int, tickets: tuple[object, ...] | None = None, **changes: object) -> object:
    args: dict[str, object] = {
        "event": invoice_event(generation, "nl"),
        "receipt": invoice_receipt(generation),
        "settings": settings(generation, "nl"),
        "user_alias": ALIAS,
        "customer": CUSTOMER,
        "tickets": tickets
        if tickets is not None
        else (ticket("vat", generation, "nl"), second_sale(generation, "nl")),
    }
    args.update(changes)
    return build_invoice(**args)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the builder


@pytest.mark.parametrize("generation", [1, 2])
def test_invoice_has_every_line_of_every_ticket_in_order(generation: int) -> None:
    first, second = ticket("vat", generation, "nl"), second_sale(generation, "nl")
    built = invoice(generation, "nl")
    assert built.kind is TicketKind.INVOICE and not built.is_vat_ticket
    assert built.lines == first.lines + second.lines
    assert [item.ticket_number for item in built.invoiced] == [first.ticket_number, second.ticket_number]
    assert [item.lines for item in built.invoiced] == [first.lines, second.lines]
    assert built.total == first.total + second.total
    assert built.payments == ()
    assert built.invoice_number == "3" and built.customer == CUSTOMER
    assert built.ticket_number == invoice_event(generation, "nl").ticket_number


def test_sce2_vat_rows_are_the_sum_per_letter_of_the_tickets_fdm_rows() -> None:
    built = invoice(2, "nl")
    rows = {row.letter: (row.base, row.vat) for row in built.vat_rows}
    assert rows == {
        VatLetter.A: (Money(1983 + 529), Money(417 + 111)),
        VatLetter.B: (Money(2500 + 1473), Money(300 + 177)),
    }
    assert Money.sum(row.total for row in built.vat_rows) == built.total == Money(7490)


def test_sce1_vat_rows_add_letters_found_on_one_ticket_only() -> None:
    built = invoice(1, "nl")
    assert [row.letter for row in built.vat_rows] == [VatLetter.A, VatLetter.B]
    assert Money.sum(row.total for row in built.vat_rows) == built.total == Money(4960)


def test_sce2_invoice_keeps_the_fdm_control_data_but_never_a_signature() -> None:
    built = invoice(2, "nl")
    assert built.control is not None
    assert built.control.counters == "1/67 I" and built.control.fdm_id == "FOD01000001"
    assert built.control.short_signature == built.control.signature == built.control.verification_url == ""
    assert built.footer == ()
    text = render_text(built)
    for secret in (V2_INVOICE_SHORT, V2_SHORT, "https://fps.example.test"):
        assert secret not in text
    assert "1/67 I" in text


def test_sce1_invoice_has_no_fdm_answer_and_prints_the_tickets_fdm_data() -> None:
    built = invoice(1, "nl")
    assert built.control is None
    assert [item.reference.event_counter for item in built.invoiced if item.reference] == [12, 14]
    text = render_text(built)
    assert "12/345 NS" in text and "14/352 NS" in text and "RET02000123" in text
    assert V1_SIGNATURE not in text


@pytest.mark.parametrize("generation", [1, 2])
def test_an_invoice_without_tickets_is_refused(generation: int) -> None:
    with pytest.raises(TicketError, match="at least one VAT ticket"):
        _build(generation, ())


@pytest.mark.parametrize("kind", ["pro_forma", "training", "provisional_bill", "copy"])
def test_an_invoice_covers_only_vat_tickets(kind: str) -> None:
    with pytest.raises(TicketError, match="not a signed VAT ticket"):
        _build(2, (ticket("vat", 2, "nl"), ticket(kind, 2, "nl")))


def test_a_ticket_is_invoiced_once_per_invoice() -> None:
    sale = ticket("vat", 2, "nl")
    with pytest.raises(TicketError, match="covered twice"):
        _build(2, (sale, sale))


def test_the_customer_the_number_the_event_and_the_alias_are_checked() -> None:
    with pytest.raises(TicketError, match="customer"):
        _build(2, customer=InvoiceCustomer("Bedrijf NV", " "))
    with pytest.raises(TicketError, match="invoice_number"):
        _build(2, event=replace(invoice_event(2, "nl"), invoice_number=""))
    with pytest.raises(TicketError, match="not an invoice"):
        _build(2, event=replace(invoice_event(2, "nl"), kind=EventKind.SALE))
    with pytest.raises(TicketError, match="INSZ"):
        _build(2, user_alias=INSZ)
    with pytest.raises(TicketError, match="language"):
        _build(2, settings=settings(2, "fr"))
    with pytest.raises(TicketError, match=r"SCE 1\.0 ticket"):
        _build(2, (ticket("vat", 2, "nl"), ticket("vat", 1, "nl")))


def test_build_ticket_points_to_the_invoice_builder() -> None:
    with pytest.raises(TicketError, match="build_invoice"):
        build_ticket(invoice_event(2, "nl"), invoice_receipt(2), settings(2, "nl"), ALIAS)


def test_the_print_key_of_an_invoice_differs_from_its_tickets() -> None:
    for generation in (1, 2):
        built = invoice(generation, "nl")
        keys = {ticket_key(built), ticket_key(ticket("vat", generation, "nl"))}
        keys.add(ticket_key(second_sale(generation, "nl")))
        assert len(keys) == 3


# ---------------------------------------------------------------- golden files and media


@pytest.mark.parametrize(("generation", "lang"), INVOICE_CASES)
def test_invoice_matches_its_golden_file(generation: int, lang: Lang) -> None:
    expected = golden_path("invoice", generation, lang).read_text("utf-8")
    assert render_text(invoice(generation, lang)) == expected


@pytest.mark.parametrize(("generation", "lang"), WIDE_INVOICE_CASES)
def test_48_column_invoice_matches_its_golden_file(generation: int, lang: Lang) -> None:
    expected = golden_path("invoice", generation, lang, 48).read_text("utf-8")
    assert render_text(invoice(generation, lang), 48) == expected


@pytest.mark.parametrize("width", [42, 48])
@pytest.mark.parametrize(("generation", "lang"), INVOICE_CASES)
def test_no_invoice_line_is_wider_than_the_paper(generation: int, lang: Lang, width: int) -> None:
    text = render_text(invoice(generation, lang), width)
    assert max(len(line) for line in text.splitlines()) <= width


@pytest.mark.parametrize("generation", [1, 2])
def test_html_and_pdf_invoice_show_title_customer_lines_and_not_valid_line(generation: int) -> None:
    built = invoice(generation, "nl")
    html = render_html(built).replace("&amp;", "&")
    pdf = render_pdf(built, compress=False)
    strings = " ".join(text.decode("cp1252") for text in re.findall(rb"\((.*?)\) Tj", pdf))
    for shown in (html, strings):
        assert "FACTUUR" in shown
        assert "Bedrijf NV" in shown and "BE0477472701" in shown
        for line in built.lines:
            assert line.description in shown
        assert "DIT IS GEEN GELDIG BTW-KASTICKET" in shown
    assert b"/Subtype /Image" not in pdf  # no QR code on an invoice
    assert "<title>FACTUUR</title>" in html


def test_escpos_invoice_prints_the_mentions_and_no_qr() -> None:
    device = Dummy()
    EscposPrinter(lambda: device, 42).print_ticket(invoice(2, "nl"))
    data: bytes = device.output
    assert b"FACTUUR" in data and b"Factuurnr." in data and b"BE0477472701" in data
    assert b"Spaghetti Bolognese" in data and b"Dry Martini" in data
    assert b"\x1d(k" not in data
    assert V2_INVOICE_SHORT.encode() not in data
