"""Mandatory mentions of the invoice (event I), one test per mention: art. 5 KB no. 1 and MB arts 31-33
(``regulation.md`` § 3.3 and § 6.4).

The expected text is written out here from the example data, independently of the renderer, so a
mention that disappears from the invoice layout fails the test that names it.
"""

from __future__ import annotations

import pytest

from sce.tickets.i18n import Lang
from sce.tickets.render_html import render_html
from sce.tickets.render_text import render_text
from tests.tickets.support import invoice

LANGS: tuple[Lang, ...] = ("nl", "fr", "de", "en")
TITLES: dict[Lang, str] = {"nl": "FACTUUR", "fr": "FACTURE", "de": "RECHNUNG", "en": "INVOICE"}
INVOICE_NUMBER: dict[Lang, str] = {
    "nl": "Factuurnr.",
    "fr": "Facture n°",
    "de": "Rechnungs-Nr.",
    "en": "Invoice no.",
}
NOT_VALID: dict[Lang, str] = {
    "nl": "DIT IS GEEN GELDIG BTW-KASTICKET",
    "fr": "CECI N'EST PAS UN TICKET DE CAISSE TVA VALABLE",
    "de": "DIES IST KEIN GÜLTIGER MWST-KASSENBON",
    "en": "THIS IS NOT A VALID VAT TICKET",
}
EXCLUDING_VAT: dict[Lang, str] = {
    "nl": "Totaal excl. btw",
    "fr": "Total hors TVA",
    "de": "Summe ohne MwSt",
    "en": "Total excl. VAT",
}
ISSUE_DATE: dict[tuple[int, Lang], str] = {
    (1, "de"): "15.01.2024 13:00:00",
    (2, "de"): "29.07.2024 14:00:00",
    **{(1, lang): "15/01/2024 13:00:00" for lang in ("nl", "fr", "en")},
    **{(2, lang): "29/07/2024 14:00:00" for lang in ("nl", "fr", "en")},
}
TOTALS: dict[tuple[int, Lang], tuple[str, str, str]] = {
    (1, "nl"): ("€ 43,91", "€ 5,69", "€ 49,60"),
    (2, "nl"): ("€ 64,85", "€ 10,05", "€ 74,90"),
    **{(1, lang): ("43,91 €", "5,69 €", "49,60 €") for lang in ("fr", "de", "en")},
    **{(2, lang): ("64,85 €", "10,05 €", "74,90 €") for lang in ("fr", "de", "en")},
}
COMMON = {
    "supplier_name": "Drinks & Nibbles BV",
    "supplier_address": "1000 Brussel",
    "supplier_vat_number": "BE0000000097",
    "customer_name": "Bedrijf NV",
    "customer_address": "Markt 1, 9000 Gent",
    "customer_vat_number": "BE0477472701",
    "user_alias": "Maria",
    "terminal": "TER-2-DIN",
}
V1 = {
    **COMMON,
    "pos_production_number": "BODO0011A2B3C4",
    "event_number": "44",
    "referenced_tickets": "42, 43",
    "line_of_first_ticket": "1 SEIZOENSSUGGESTIE",
    "accented_line_of_first_ticket": "1 CRÈME BRULÉE",
    "line_of_second_ticket": "2 KOFFIE",
    "second_ticket_quantity_and_price": "2 x 2,80",
    "rate_a_base_vat_total": "21%     4,63     0,97     5,60",
    "rate_b_base_vat_total": "12%    39,28     4,72    44,00",
    "first_ticket_fdm_counters": "12/345 NS",
    "second_ticket_fdm_counters": "14/352 NS",
    "fdm_id": "RET02000123",
}
V2 = {
    **COMMON,
    "pos_production_number": "CPOS0031234567",
    "establishment_unit_number": "2000000042",
    "event_number": "1002",
    "referenced_tickets": "1000, 1001",
    "line_of_first_ticket": "2 Dry Martini",
    "price_change_of_first_ticket": "-2,00",
    "line_of_second_ticket": "1 Spaghetti Bolognese",
    "rate_a_base_vat_total": "21%    25,12     5,28    30,40",
    "rate_b_base_vat_total": "12%    39,73     4,77    44,50",
    "invoice_fdm_counters": "1/67 I",
    "fdm_id": "FOD01000001",
}


def _cases(generation: int, mentions: dict[str, str]) -> list[tuple[int, Lang, str, str]]:
    return [(generation, lang, name, value) for lang in LANGS for name, value in mentions.items()]


@pytest.mark.parametrize(("generation", "lang", "mention", "value"), _cases(1, V1) + _cases(2, V2))
def test_invoice_shows_mention(generation: int, lang: Lang, mention: str, value: str) -> None:
    assert value in render_text(invoice(generation, lang)), f"{mention} missing"


@pytest.mark.parametrize(("generation", "lang", "mention", "value"), _cases(1, V1) + _cases(2, V2))
def test_html_invoice_shows_mention(generation: int, lang: Lang, mention: str, value: str) -> None:
    html = render_html(invoice(generation, lang)).replace("&amp;", "&")
    if mention.startswith("rate_"):
        value = value.split(maxsplit=1)[0]  # the HTML table has one cell per figure
    assert value in html, f"{mention} missing"


@pytest.mark.parametrize("generation", [1, 2])
@pytest.mark.parametrize("lang", LANGS)
def test_invoice_is_headed_numbered_dated_totalled_and_not_a_vat_ticket(generation: int, lang: Lang) -> None:
    text = render_text(invoice(generation, lang))
    lines = text.splitlines()
    assert lines[0].strip() == TITLES[lang], "title"
    number = next(line for line in lines if line.startswith(INVOICE_NUMBER[lang]))
    assert number.split()[-1] == "3", "own invoice number"
    assert ISSUE_DATE[generation, lang] in text, "date of issue"
    excluding, vat, including = TOTALS[generation, lang]
    assert any(line.startswith(EXCLUDING_VAT[lang]) and line.endswith(excluding) for line in lines)
    assert vat in text, "total VAT"
    assert including in text, "total including VAT"
    last_rule = max(i for i, line in enumerate(lines) if line.startswith("---"))
    bottom = " ".join(line.strip() for line in lines[last_rule + 1 :])
    assert bottom == NOT_VALID[lang], "not a valid VAT ticket, at the bottom"
    assert "75061189702" not in text, "never the INSZ"


@pytest.mark.parametrize("generation", [1, 2])
def test_invoice_never_carries_a_signature_or_qr_code(generation: int) -> None:
    built = invoice(generation, "en")
    text = render_text(built)
    html = render_html(built)
    assert "Signature" not in text and "Short signature" not in text
    assert "Verify this ticket" not in text and "<img" not in html
