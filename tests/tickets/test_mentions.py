"""Mandatory mentions of the VAT ticket, one test per mention (``regulation.md`` § 6.2 and § 6.3).

The expected text is written out here from the example data, independently of the renderer, so a
mention that disappears from the layout fails the test that names it.
"""

from __future__ import annotations

import pytest

from sce.tickets.i18n import Lang
from sce.tickets.render_html import render_html
from sce.tickets.render_text import render_text
from tests.tickets.support import V1_SIGNATURE, V2_SHORT, V2_URL, ticket

TITLES: dict[tuple[int, Lang], str] = {
    (1, "nl"): "BTW-KASTICKET",
    (1, "fr"): "TICKET DE CAISSE TVA",
    (1, "de"): "MWST-KASSENBON",
    (1, "en"): "VAT TICKET",
    (2, "nl"): "btw-KASTICKET",
    (2, "fr"): "TICKET DE CAISSE TVA",
    (2, "de"): "MWST-KASSENBON",
    (2, "en"): "VAT TICKET",
}
DATES: dict[tuple[int, Lang], str] = {
    (1, "nl"): "15/01/2024 12:30:45",
    (1, "fr"): "15/01/2024 12:30:45",
    (1, "de"): "15.01.2024 12:30:45",
    (1, "en"): "15/01/2024 12:30:45",
    (2, "nl"): "29/07/2024 13:00:00",
    (2, "fr"): "29/07/2024 13:00:00",
    (2, "de"): "29.07.2024 13:00:00",
    (2, "en"): "29/07/2024 13:00:00",
}
FDM_DATES: dict[tuple[int, Lang], str] = {
    (1, "nl"): "15/01/2024 12:30:46",
    (1, "fr"): "15/01/2024 12:30:46",
    (1, "de"): "15.01.2024 12:30:46",
    (1, "en"): "15/01/2024 12:30:46",
    (2, "nl"): "29/07/2024 13:00:08",
    (2, "fr"): "29/07/2024 13:00:08",
    (2, "de"): "29.07.2024 13:00:08",
    (2, "en"): "29/07/2024 13:00:08",
}
TOTALS: dict[tuple[int, Lang], str] = {
    (1, "nl"): "€ 30,00",
    (1, "fr"): "30,00 €",
    (1, "de"): "30,00 €",
    (1, "en"): "30,00 €",
    (2, "nl"): "€ 52,00",
    (2, "fr"): "52,00 €",
    (2, "de"): "52,00 €",
    (2, "en"): "52,00 €",
}
COMMON = {
    "issuer_name": "Drinks & Nibbles BV",
    "issuer_address": "1000 Brussel",
    "issuer_vat_number": "BE0000000097",
    "establishment": "Brasserie Parkzicht",
    "software_version": "1.8.3",
    "terminal": "TER-2-DIN",
    "user_alias": "Maria",
}
V1 = {
    **COMMON,
    "pos_production_number": "BODO0011A2B3C4",
    "ticket_number": "42",
    "line_dagsoep": "1 DAGSOEP",
    "line_total_with_vat_letter": "20,00 B",
    "line_accented_description": "CRÈME BRULÉE",
    "taxable_base_per_rate": "26,78",
    "vat_per_rate": "3,22",
    "plu_hash_last_8": "ae28005a",
    "fdm_counters_and_label": "12/345 NS",
    "signature": V1_SIGNATURE,
    "fdm_id": "RET02000123",
    "vsc_id": "0887456321-002",
}
V2 = {
    **COMMON,
    "establishment_unit_number": "2000000042",
    "pos_production_number": "CPOS0031234567",
    "device_id": "1631678d-7a85-4ac3-b296-bb4565e873fe",
    "ticket_number": "1000",
    "line_quantity_and_description": "2 Dry Martini",
    "line_total_with_vat_code": "24,00 A",
    "line_unit_price": "2 x 12,00",
    "price_change": "-2,00",
    "taxable_base_per_rate_from_fdm": "19,83",
    "vat_per_rate_from_fdm": "4,17",
    "second_rate_base": "25,00",
    "payment_cash": "60,00",
    "payment_change": "-8,00",
    "payment_tip": "2,00",
    "fdm_counters_and_label": "15/59 N",
    "fdm_id": "FOD01000001",
    "short_signature": V2_SHORT,
    "footer": "fps.example.test",
}
LANGS: tuple[Lang, ...] = ("nl", "fr", "de", "en")


def _flat(text: str) -> str:
    """The text with wrapped lines joined, so a long value split over two lines is still found."""
    return "".join(line.strip() for line in text.splitlines())


def _cases(generation: int, mentions: dict[str, str]) -> list[tuple[int, Lang, str, str]]:
    return [(generation, lang, name, value) for lang in LANGS for name, value in mentions.items()]


@pytest.mark.parametrize(("generation", "lang", "mention", "value"), _cases(1, V1) + _cases(2, V2))
def test_vat_ticket_shows_mention(generation: int, lang: Lang, mention: str, value: str) -> None:
    text = render_text(ticket("vat", generation, lang))
    assert value in text, f"{mention} missing"


@pytest.mark.parametrize("generation", [1, 2])
@pytest.mark.parametrize("lang", LANGS)
def test_vat_ticket_shows_title_date_total_and_fdm_time(generation: int, lang: Lang) -> None:
    text = render_text(ticket("vat", generation, lang))
    assert text.splitlines()[0].strip() == TITLES[generation, lang], "title"
    assert DATES[generation, lang] in text, "POS date and time"
    assert TOTALS[generation, lang] in text, "total including VAT"
    assert FDM_DATES[generation, lang] in text, "FDM date and time"


@pytest.mark.parametrize("lang", LANGS)
def test_sce2_vat_ticket_shows_the_verification_url(lang: Lang) -> None:
    assert V2_URL in _flat(render_text(ticket("vat", 2, lang)))
    assert f'href="{V2_URL}"' in render_html(ticket("vat", 2, lang))


@pytest.mark.parametrize(("generation", "lang", "mention", "value"), _cases(1, V1) + _cases(2, V2))
def test_html_vat_ticket_shows_mention(generation: int, lang: Lang, mention: str, value: str) -> None:
    html = render_html(ticket("vat", generation, lang)).replace("&amp;", "&")
    assert value in html, f"{mention} missing"


@pytest.mark.parametrize("generation", [1, 2])
@pytest.mark.parametrize("lang", LANGS)
def test_ticket_never_shows_the_insz(generation: int, lang: Lang) -> None:
    for kind in ("vat", "refund", "pro_forma", "work_in"):
        assert "75061189702" not in render_text(ticket(kind, generation, lang))


def test_sce1_ticket_has_no_sce2_only_mention() -> None:
    text = render_text(ticket("vat", 1, "nl"))
    assert "Vestigingseenheid" not in text
    assert "Toestel" not in text


def test_sce2_ticket_has_no_plu_hash_or_vsc() -> None:
    text = render_text(ticket("vat", 2, "nl"))
    assert "PLU" not in text
    assert "VSC" not in text
