"""HTML and PDF tickets: content, the embedded QR code read back module by module, the PDF page."""

from __future__ import annotations

import base64
import io
import re
from dataclasses import replace

import pytest
from PIL import Image

from sce.tickets.i18n import Lang
from sce.tickets.qr import BORDER, qr_code, qr_png
from sce.tickets.render_html import render_html
from sce.tickets.render_pdf import PAGE_WIDTH, render_pdf, to_core_font
from tests.tickets.support import V2_SHORT, V2_URL, cases, ticket

SCALE = 4


def _matrix_from_png(png: bytes, scale: int = SCALE) -> list[list[bool]]:
    """Dark modules read from the centre of each module of a PNG drawn with a 4-module border."""
    image = Image.open(io.BytesIO(png)).convert("L")
    size = image.width // scale - 2 * BORDER
    return [
        [
            image.getpixel(((col + BORDER) * scale + scale // 2, (row + BORDER) * scale + scale // 2)) == 0
            for col in range(size)
        ]
        for row in range(size)
    ]


def _pdf_strings(pdf: bytes) -> list[str]:
    """The text shown by the uncompressed PDF, one string per drawn cell line."""
    return [text.decode("cp1252") for text in re.findall(rb"\((.*?)\) Tj", pdf)]


def _segno_matrix(url: str) -> list[list[bool]]:
    return [[bool(cell) for cell in row] for row in qr_code(url).matrix]


def test_qr_png_holds_the_matrix_of_the_verification_url() -> None:
    assert _matrix_from_png(qr_png(V2_URL)) == _segno_matrix(V2_URL)
    assert _matrix_from_png(qr_png(V2_URL)) != _segno_matrix(V2_URL + "x")


def test_html_vat_ticket_embeds_the_qr_code_of_the_verification_url() -> None:
    html = render_html(ticket("vat", 2, "nl"))
    found = re.search(r'src="data:image/png;base64,([^"]+)"', html)
    assert found is not None
    assert _matrix_from_png(base64.b64decode(found.group(1))) == _segno_matrix(V2_URL)


def test_html_ticket_is_a_page_in_the_ticket_language() -> None:
    html = render_html(ticket("vat", 2, "fr"))
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in html
    assert "<title>TICKET DE CAISSE TVA</title>" in html
    assert "Drinks &amp; Nibbles BV" in html
    assert "52,00 €" in html
    assert V2_SHORT in html
    assert html.count("<tr>") == 3


def test_html_escapes_product_names() -> None:
    built = ticket("vat", 1, "en")
    line = replace(built.lines[0], description="<b>Soup</b>")
    html = render_html(replace(built, lines=(line,)))
    assert "&lt;b&gt;Soup&lt;/b&gt;" in html
    assert "<b>Soup</b>" not in html


@pytest.mark.parametrize(("generation", "lang"), [(1, "nl"), (2, "fr"), (2, "de"), (1, "en")])
def test_pdf_vat_ticket_is_one_80_mm_page_with_the_text(generation: int, lang: str) -> None:
    pdf = render_pdf(ticket("vat", generation, lang), compress=False)  # type: ignore[arg-type]
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1
    box = re.search(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", pdf)
    assert box is not None
    assert float(box.group(1)) == pytest.approx(PAGE_WIDTH / 25.4 * 72, abs=0.01)
    strings = _pdf_strings(pdf)
    assert "Drinks & Nibbles BV" in strings
    assert any("BE0000000097" in text for text in strings)
    assert any("€" in text for text in strings)


def test_pdf_of_sce2_vat_ticket_embeds_the_qr_image_and_the_url() -> None:
    pdf = render_pdf(ticket("vat", 2, "nl"), compress=False)
    assert b"/Subtype /Image" in pdf
    assert V2_URL in "".join(_pdf_strings(pdf))
    assert V2_SHORT in _pdf_strings(pdf)


def test_pdf_of_non_vat_ticket_has_no_image_and_the_not_valid_line() -> None:
    pdf = render_pdf(ticket("training", 2, "nl"), compress=False)
    assert b"/Subtype /Image" not in pdf
    assert " ".join(_pdf_strings(pdf)).endswith("DIT IS GEEN GELDIG BTW-KASTICKET")
    assert V2_SHORT.encode() not in pdf


def test_compressed_pdf_is_smaller_and_still_a_pdf() -> None:
    built = ticket("vat", 2, "de")
    compressed = render_pdf(built)
    assert compressed.startswith(b"%PDF-")
    assert len(compressed) < len(render_pdf(built, compress=False))


def test_core_font_text_keeps_the_euro_and_accents() -> None:
    assert to_core_font("€ 5,00 crème Käse") == "€ 5,00 crème Käse"
    assert to_core_font("Łódź ✓") == "?ódz ?"


@pytest.mark.parametrize(("kind", "generation", "lang"), cases())
def test_every_ticket_fits_one_pdf_page(kind: str, generation: int, lang: Lang) -> None:
    pdf = render_pdf(ticket(kind, generation, lang), compress=False)
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1


@pytest.mark.parametrize(
    ("kind", "generation", "lang", "title", "amount"),
    [
        ("money_in_out", 2, "nl", "GELD UIT", "-150,00"),
        ("money_in_out", 1, "fr", "SORTIE D'ARGENT", "-150,00"),
        ("payment_correction", 2, "de", "KORREKTUR DER ZAHLUNGSART", "52,00"),
        ("payment_correction", 1, "en", "PAYMENT CORRECTION", "-30,00"),
    ],
)
def test_slips_render_as_html_and_pdf_without_qr_code(
    kind: str, generation: int, lang: Lang, title: str, amount: str
) -> None:
    built = ticket(kind, generation, lang)
    html = render_html(built)
    escaped = title.replace("'", "&#39;")
    assert f"<title>{escaped}</title>" in html
    assert amount in html
    assert "<img" not in html
    pdf = render_pdf(built, compress=False)
    strings = _pdf_strings(pdf)
    assert title in strings
    assert any(amount in text for text in strings)
    assert b"/Subtype /Image" not in pdf
