"""Mandatory mentions of the VAT ticket, one test per mention (``regulation.md`` § 6.2 and § 6.3), and
what the money in/out and payment correction slips show and must not show.

The expected text is written out here from the example data, independently of the renderer, so a
mention that disappears from the layout fails the test that names it.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from sce.tickets.i18n import Lang
from sce.tickets.layout import ticket_rows
from sce.tickets.model import TicketKind, build_ticket
from sce.tickets.render_html import render_html
from sce.tickets.render_text import render_text
from tests.tickets.support import (
    ALIAS,
    MONEY_OUT_REASON,
    SLIPS,
    V1_SIGNATURE,
    V2_SHORT,
    V2_URL,
    answer,
    event,
    settings,
    ticket,
)

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


# ---------------------------------------------------------------- money in/out and payment correction

SLIP_TITLES: dict[tuple[str, Lang], str] = {
    ("money_in_out", "nl"): "GELD UIT",
    ("money_in_out", "fr"): "SORTIE D'ARGENT",
    ("money_in_out", "de"): "AUSZAHLUNG",
    ("money_in_out", "en"): "MONEY OUT",
    ("payment_correction", "nl"): "CORRECTIE BETAALWIJZE",
    ("payment_correction", "fr"): "CORRECTION DU MODE DE PAIEMENT",
    ("payment_correction", "de"): "KORREKTUR DER ZAHLUNGSART",
    ("payment_correction", "en"): "PAYMENT CORRECTION",
}
MONEY_IN_TITLES: dict[Lang, str] = {
    "nl": "GELD IN",
    "fr": "ENTRÉE D'ARGENT",
    "de": "EINZAHLUNG",
    "en": "MONEY IN",
}
NOT_VALID: dict[Lang, str] = {
    "nl": "DIT IS GEEN GELDIG BTW-KASTICKET",
    "fr": "CECI N'EST PAS UN TICKET DE CAISSE TVA VALABLE",
    "de": "DIES IST KEIN GÜLTIGER MWST-KASSENBON",
    "en": "THIS IS NOT A VALID VAT TICKET",
}
REASON_WORDS: dict[Lang, str] = {"nl": "Reden", "fr": "Motif", "de": "Grund", "en": "Reason"}
TOTAL_WORDS: dict[Lang, str] = {"nl": "TOTAAL", "fr": "TOTAL", "de": "GESAMT", "en": "TOTAL"}
MONEY_OUT_TOTALS: dict[Lang, str] = {
    "nl": "€ -150,00",
    "fr": "-150,00 €",
    "de": "-150,00 €",
    "en": "-150,00 €",
}
#: The payment lines of the payment correction: the example sale's payments negated, then the card.
CORRECTION_LINES = {1: ("-30,00", "30,00"), 2: ("-60,00", "8,00", "52,00")}
CORRECTED_SALE = {1: "RET02000123 12/345 NS", 2: "FOD01000001 15/59 N"}
SLIP_COUNTERS = {"money_in_out": "5/68 F", "payment_correction": "6/69 F"}
SLIP_CASES = [(kind, generation, lang) for kind in SLIPS for generation in (1, 2) for lang in LANGS]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


@pytest.mark.parametrize(("kind", "generation", "lang"), SLIP_CASES)
def test_slip_carries_no_signature_qr_or_vat_ticket_title(kind: str, generation: int, lang: Lang) -> None:
    built = ticket(kind, generation, lang)
    text = render_text(built)
    html = render_html(built)
    assert not built.is_vat_ticket
    assert "VAT TICKET" not in built.labels
    assert _lines(text)[0] == SLIP_TITLES[kind, lang], "title"
    assert TITLES[generation, lang] not in _lines(text), "VAT ticket title"
    assert f"<title>{TITLES[generation, lang]}</title>" not in html
    for mark in (V1_SIGNATURE, V2_SHORT, "verify/"):
        assert mark not in text, mark
        assert mark not in html, mark
    assert "<img" not in html
    assert all(row.kind != "qr" for row in ticket_rows(built))
    if built.control is not None:
        assert (built.control.signature, built.control.short_signature) == ("", "")
        assert built.control.verification_url == ""
    assert built.footer == ()
    assert " ".join(_lines(text)).endswith(NOT_VALID[lang]), "not-valid line"


@pytest.mark.parametrize(("generation", "lang"), [(g, lang) for g in (1, 2) for lang in LANGS])
def test_money_out_slip_shows_the_amount_the_reason_the_user_and_the_date(
    generation: int, lang: Lang
) -> None:
    text = render_text(ticket("money_in_out", generation, lang))
    lines = _lines(text)
    assert any(line.startswith(REASON_WORDS[lang]) and line.endswith(MONEY_OUT_REASON) for line in lines)
    assert "-150,00" in text, "amount"
    total = [line for line in lines if line.startswith(TOTAL_WORDS[lang])]
    assert total == [f"{TOTAL_WORDS[lang]}{' ' * (42 - len(TOTAL_WORDS[lang]) - 9)}{MONEY_OUT_TOTALS[lang]}"]
    assert COMMON["user_alias"] in text
    assert DATES[generation, lang] in text


@pytest.mark.parametrize("lang", LANGS)
def test_money_in_slip_says_money_in(lang: Lang) -> None:
    money_out = event("money_in_out", 2, lang)
    (payment,) = money_out.payments
    money_in = replace(money_out, payments=(replace(payment, amount=Decimal("200.00"), name="Float"),))
    built = build_ticket(money_in, answer("money_in_out", 2, money_in), settings(2, lang), ALIAS)
    text = render_text(built)
    assert _lines(text)[0] == MONEY_IN_TITLES[lang]
    assert "200,00" in text and "Float" in text
    assert "-200,00" not in text


@pytest.mark.parametrize(("generation", "lang"), [(g, lang) for g in (1, 2) for lang in LANGS])
def test_payment_correction_slip_shows_every_line_and_the_corrected_sale(generation: int, lang: Lang) -> None:
    text = render_text(ticket("payment_correction", generation, lang))
    amounts = [line.split()[-1] for line in _lines(text) if line and line.split()[-1][-3:-2] == ","]
    assert tuple(amounts) == CORRECTION_LINES[generation], "old payments negated, then the new ones"
    assert CORRECTED_SALE[generation] in text, "reference of the corrected sale"
    assert not any(line.startswith(TOTAL_WORDS[lang]) for line in _lines(text)), "a total of 0 misleads"
    assert COMMON["user_alias"] in text
    assert DATES[generation, lang] in text


@pytest.mark.parametrize(("kind", "lang"), [(kind, lang) for kind in SLIPS for lang in LANGS])
def test_sce2_slip_shows_the_fdm_control_data(kind: str, lang: Lang) -> None:
    built = ticket(kind, 2, lang)
    text = render_text(built)
    assert built.kind is TicketKind(kind.upper())
    assert SLIP_COUNTERS[kind] in text
    assert FDM_DATES[2, lang] in text
    assert "FOD01000001" in text


@pytest.mark.parametrize("kind", SLIPS)
def test_sce1_slip_is_printed_without_control_data(kind: str) -> None:
    fiscal_event = event(kind, 1, "nl")
    assert answer(kind, 1, fiscal_event) is None
    built = build_ticket(fiscal_event, None, settings(1, "nl"), ALIAS)
    assert built.control is None
    assert "Controlegegevens" not in render_text(built)
