"""X/Z turnover and user reports: goldens per type x language and every item of MB arts 29 and 30.

The expected labels and values are written out here from the example data, independently of the layout,
so an item that disappears from the report fails the test that names its letter.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from escpos.printer import Dummy  # type: ignore[import-untyped]

from sce.domain.vat import VatLetter
from sce.tickets.i18n import Lang
from sce.tickets.printing import EscposPrinter
from sce.tickets.report_model import CountTotal, ReportError, ReportHeader, TurnoverReport, VatRateTotal
from sce.tickets.reports import render_report_html, render_report_pdf, render_report_text, report_rows
from tests.tickets.report_support import (
    REPORT_KINDS,
    WIDE_REPORT_CASES,
    Z_NUMBER,
    header,
    report,
    report_cases,
    report_golden_path,
    turnover_report,
)
from tests.tickets.support import INSZ

HEADINGS: dict[Lang, dict[str, str]] = {
    "nl": {
        "turnover_x": "X OMZET",
        "turnover_z": "Z OMZET",
        "user_x": "X GEBRUIKERS",
        "user_z": "Z GEBRUIKERS",
    },
    "fr": {
        "turnover_x": "X CHIFFRE D'AFFAIRES",
        "turnover_z": "Z CHIFFRE D'AFFAIRES",
        "user_x": "X UTILISATEURS",
        "user_z": "Z UTILISATEURS",
    },
    "de": {
        "turnover_x": "X UMSATZ",
        "turnover_z": "Z UMSATZ",
        "user_x": "X BENUTZER",
        "user_z": "Z BENUTZER",
    },
    "en": {"turnover_x": "X TURNOVER", "turnover_z": "Z TURNOVER", "user_x": "X USERS", "user_z": "Z USERS"},
}
NOT_VALID: dict[Lang, str] = {
    "nl": "DIT IS GEEN GELDIG BTW-KASTICKET",
    "fr": "CECI N'EST PAS UN TICKET DE CAISSE TVA VALABLE",
    "de": "DIES IST KEIN GÜLTIGER MWST-KASSENBON",
    "en": "THIS IS NOT A VALID VAT TICKET",
}

#: Item letter -> label per language (nl, fr, de, en); the value checked is in ``_values``.
TURNOVER_LABELS: dict[str, tuple[str, str, str, str]] = {
    "c": ("Vestigingseenheid", "Unité d'établissement", "Niederlassungseinheit", "Establishment unit"),
    "d": ("Aangemaakt", "Créé le", "Erstellt", "Created"),
    "g": ("Boekingsdatum", "Date comptable", "Buchungsdatum", "Booking date"),
    "h-start": ("Begin periode", "Début période", "Beginn Zeitraum", "Period start"),
    "h-end": ("Einde periode", "Fin période", "Ende Zeitraum", "Period end"),
    "i": ("OMZET N", "CHIFFRE D'AFFAIRES N", "UMSATZ N", "TURNOVER N"),
    "j-kitchen": ("Keuken", "Keuken", "Keuken", "Keuken"),
    "j-bar": ("Bar", "Bar", "Bar", "Bar"),
    "n-cash": ("CONTANT", "CONTANT", "CONTANT", "CONTANT"),
    "n-card": ("BANCONTACT", "BANCONTACT", "BANCONTACT", "BANCONTACT"),
    "o": ("Afrondingen", "Arrondis", "Rundungen", "Roundings"),
    "p": ("btw-kastickets", "Tickets de caisse TVA", "MwSt-Kassenbons", "VAT tickets"),
    "q": (
        "Lade geopend zonder verkoop",
        "Ouvertures du tiroir sans vente",
        "Schubladenöffnungen ohne Verkauf",
        "Drawer openings without sale",
    ),
    "r": ("Trainingstickets", "Tickets de formation", "Trainingsbons", "Training tickets"),
    "s": ("Terugbetalingstickets", "Tickets de remboursement", "Erstattungsbons", "Refund tickets"),
    "t": ("Pro-formatickets", "Tickets pro forma", "Pro-forma-Bons", "Pro forma tickets"),
    "u-discount": ("Korting: Happy hour", "Remise: Happy hour", "Rabatt: Happy hour", "Discount: Happy hour"),
    "u-surcharge": ("Toeslag: Terras", "Supplément: Terras", "Zuschlag: Terras", "Surcharge: Terras"),
    "v-correction": ("Correcties (P)", "Corrections (P)", "Korrekturen (P)", "Corrections (P)"),
    "v-refund": ("Terugbetalingen (N)", "Remboursements (N)", "Erstattungen (N)", "Refunds (N)"),
    "w": ("Facturen", "Factures", "Rechnungen", "Invoices"),
    "w-invoice": ("2024-0117", "2024-0117", "2024-0117", "2024-0117"),
    "copies": ("Kopieën", "Copies", "Kopien", "Copies"),
    "grand-total": ("Eindtotaal netto", "Grand total net", "Gesamtsumme netto", "Grand total net"),
    "fdm-counters": ("Tellers", "Compteurs", "Zähler", "Counters"),
}
_LANG_INDEX: dict[Lang, int] = {"nl": 0, "fr": 1, "de": 2, "en": 3}


def _amount(text: str, lang: Lang) -> str:
    """``1234,50`` written with the thousands separator of ``lang`` (fr a space, the others ``.``)."""
    whole, cents = text.split(",")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    separator = " " if lang == "fr" else "."
    return f"{sign}{separator.join(groups)},{cents}"


def _day(text: str, lang: Lang) -> str:
    return text.replace("/", ".") if lang == "de" else text


def _values(lang: Lang) -> dict[str, str]:
    a = _amount
    return {
        "c": "2000000042",
        "d": _day("29/07/2024 23:45:10", lang),
        "g": _day("29/07/2024", lang),
        "h-start": _day("29/07/2024 11:00:00", lang),
        "h-end": _day("29/07/2024 23:45:00", lang),
        "i": a("1234,50", lang),
        "j-kitchen": "812,50",
        "j-bar": "422,00",
        "n-cash": "404,50",
        "n-card": "850,00",
        "o": "-0,03",
        "p": "73",
        "q": "4",
        "r": "3 | 41,50",
        "s": "2 | -52,00",
        "t": f"96 | {a('1317,00', lang)}",
        "u-discount": "12 | -18,00",
        "u-surcharge": "5 | 2,50",
        "v-correction": "7 | -63,50",
        "v-refund": "2 | -52,00",
        "w": "1 | 98,00",
        "w-invoice": "98,00",
        "copies": "1 | 52,00",
        "grand-total": a("975309,00", lang),
        "fdm-counters": "R",
    }


def _line_with(text: str, *parts: str) -> bool:
    """One printed line (or a label line and the value wrapped under it) holding every part."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        joined = " ".join(lines[index : index + 2])
        if parts[0] in line and all(part in joined for part in parts):
            return True
    return False


@pytest.mark.parametrize(("kind", "lang"), report_cases())
def test_report_matches_its_golden_file(kind: str, lang: Lang) -> None:
    expected = report_golden_path(kind, lang).read_text("utf-8")
    assert render_report_text(report(kind, lang)) == expected


@pytest.mark.parametrize(("kind", "lang"), WIDE_REPORT_CASES)
def test_48_column_report_matches_its_golden_file(kind: str, lang: Lang) -> None:
    expected = report_golden_path(kind, lang, 48).read_text("utf-8")
    assert render_report_text(report(kind, lang), 48) == expected


@pytest.mark.parametrize("width", [42, 48])
@pytest.mark.parametrize(("kind", "lang"), report_cases())
def test_no_report_line_is_wider_than_the_paper(kind: str, lang: Lang, width: int) -> None:
    text = render_report_text(report(kind, lang), width)
    assert max(len(line) for line in text.splitlines()) <= width


@pytest.mark.parametrize(("kind", "lang"), report_cases())
def test_heading_in_capitals_is_the_first_line_and_the_not_valid_line_the_last(kind: str, lang: Lang) -> None:
    lines = render_report_text(report(kind, lang)).splitlines()
    assert lines[0].strip() == HEADINGS[lang][kind]
    assert " ".join(line.strip() for line in lines[-2:]).strip().endswith(NOT_VALID[lang])


@pytest.mark.parametrize(("kind", "lang"), report_cases())
def test_common_items_a_to_f_and_x(kind: str, lang: Lang) -> None:
    text = render_report_text(report(kind, lang))
    assert "Drinks & Nibbles BV" in text  # a
    assert "BE0000000097" in text  # b
    assert "2000000042" in text  # c
    assert _day("29/07/2024 23:45:10", lang) in text  # d
    assert _line_with(text, "CPOS0031234567", "TER-2-DIN")  # e
    assert _day("29/07/2024 11:02:03", lang) in text and _day("29/07/2024 23:40:00", lang) in text
    assert "FOD01000001" in text  # f
    total_counter = {
        "nl": "Totaalteller",
        "fr": "Compteur total",
        "de": "Gesamtzähler",
        "en": "Total counter",
    }
    assert f"{total_counter[lang]} 41" in text  # x: first event of the FDM
    assert f"{total_counter[lang]} 177" in text  # x: last event of the FDM


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
@pytest.mark.parametrize("kind", ["turnover_x", "turnover_z"])
@pytest.mark.parametrize("item", sorted(TURNOVER_LABELS))
def test_turnover_report_item(kind: str, lang: Lang, item: str) -> None:
    text = render_report_text(report(kind, lang))
    label = TURNOVER_LABELS[item][_LANG_INDEX[lang]]
    assert _line_with(text, label, _values(lang)[item]), f"item {item}: {label}"


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
@pytest.mark.parametrize("kind", ["turnover_x", "turnover_z"])
def test_turnover_report_items_k_l_m_per_vat_rate(kind: str, lang: Lang) -> None:
    lines = [line.split() for line in render_report_text(report(kind, lang)).splitlines()]
    assert ["A", "21%", "348,76", "73,24", "422,00"] in lines
    assert ["B", "12%", "725,45", "87,05", "812,50"] in lines


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
def test_only_the_z_report_carries_its_continuous_number(lang: Lang) -> None:
    label = {"nl": "Rapportnr.", "fr": "Rapport n°", "de": "Bericht Nr.", "en": "Report no."}[lang]
    for kind in REPORT_KINDS:
        text = render_report_text(report(kind, lang))
        assert _line_with(text, label, str(Z_NUMBER)) == kind.endswith("_z"), kind


@pytest.mark.parametrize("lang", ["nl", "fr", "de", "en"])
@pytest.mark.parametrize("kind", ["user_x", "user_z"])
def test_user_report_items_f_to_k(kind: str, lang: Lang) -> None:
    text = render_report_text(report(kind, lang))
    words = {
        "nl": ("Gebruiker", "INSZ", "Omzet", "Inhoud lade", "BEGIN WERK", "EINDE WERK", "Eerste gebeurtenis"),
        "fr": (
            "Utilisateur",
            "NISS",
            "Chiffre d'affaires",
            "Contenu du tiroir",
            "DÉBUT DU TRAVAIL",
            "FIN",
            "Premier",
        ),
        "de": ("Benutzer", "ENSS", "Umsatz", "Schubladeninhalt", "ARBEITSBEGINN", "ARBEITSENDE", "Erstes"),
        "en": ("User", "INSZ/NISS", "Turnover", "Drawer content", "WORK IN", "WORK OUT", "First event"),
    }[lang]
    user, insz, turnover, drawer, work_in, work_out, first = words
    assert _line_with(text, user, "Maria") and _line_with(text, user, "Tom")  # f
    assert _line_with(text, insz, INSZ) and _line_with(text, insz, "00000000097")  # f
    assert _line_with(text, turnover, _amount("812,00", lang))  # g
    assert _line_with(text, turnover, _amount("422,50", lang))  # g
    assert drawer in text and _line_with(text, "CONTANT", "284,50")  # h
    assert _line_with(text, work_in, _day("29/07/2024 11:00:30", lang))  # i
    assert _line_with(text, work_out, _day("29/07/2024 23:30:00", lang))  # i
    assert _line_with(text, first, _day("29/07/2024 17:05:00", lang))  # j
    assert "FOD01000001 20/42 S" in text and "FOD01000001 31/171 S" in text  # k
    assert "FOD01000001 30/101 N" in text and "FOD01000001 88/177 N" in text  # k


def test_reports_show_fdm_data_but_never_a_signature_or_qr() -> None:
    for kind in REPORT_KINDS:
        rows = report_rows(report(kind, "nl"))
        assert all(row.kind != "qr" for row in rows)
        text = render_report_text(report(kind, "nl"))
        assert "Handtekening" not in text
        assert "FDM-gegevens" in text


def test_report_pdf_and_html_carry_the_heading_and_the_not_valid_line() -> None:
    pdf = render_report_pdf(report("turnover_z", "fr"), compress=False)
    assert pdf.startswith(b"%PDF-")
    assert b"(Z CHIFFRE D'AFFAIRES) Tj" in pdf.replace(b"\\'", b"'")
    assert b"CECI N" in pdf
    html = render_report_html(report("user_x", "de"))
    assert '<html lang="de">' in html
    assert "X BENUTZER" in html
    assert "DIES IST KEIN GÜLTIGER MWST-KASSENBON" in html


def test_model_refuses_figures_that_do_not_add_up() -> None:
    good = turnover_report("turnover_x", "nl")
    with pytest.raises(ReportError, match="vat_rates"):
        replace(good, turnover_cents=good.turnover_cents + 1, departments=())
    with pytest.raises(ReportError, match="departments"):
        replace(good, departments=good.departments[:1])


def test_model_refuses_floats_and_missing_z_numbers() -> None:
    with pytest.raises(ReportError, match="cents"):
        CountTotal(1, 12.5)  # type: ignore[arg-type]
    with pytest.raises(ReportError, match="Decimal"):
        VatRateTotal(VatLetter.A, 21.0, 1, 1)  # type: ignore[arg-type]
    x_header = header("turnover_x", "nl")
    with pytest.raises(ReportError, match="continuous number"):
        ReportHeader(**{**_fields(x_header), "kind": header("turnover_z", "nl").kind})
    with pytest.raises(ReportError, match="only a Z report"):
        replace(x_header, report_number=3)
    with pytest.raises(ReportError, match="turnover report"):
        TurnoverReport(**{**_fields(turnover_report("turnover_x", "nl")), "header": header("user_x", "nl")})
    with pytest.raises(ReportError, match="ends before"):
        replace(x_header, period_end=x_header.period_start.replace(hour=1))
    assert x_header.booking_date == date(2024, 7, 29)


def _fields(value: object) -> dict[str, object]:
    return {name: getattr(value, name) for name in value.__dataclass_fields__}  # type: ignore[attr-defined]


def test_report_number_appears_in_the_pdf_title() -> None:
    pdf = render_report_pdf(report("turnover_z", "en"), compress=False)
    assert re.search(rb"/Title \(Z TURNOVER 214\)", pdf)


def test_report_prints_on_an_escpos_printer_like_a_ticket() -> None:
    device = Dummy()
    EscposPrinter(lambda: device).print_rows(report_rows(report("turnover_z", "nl")))
    data: bytes = device.output
    assert data.startswith(b"\x1b@\x1bt\x13")  # initialise, code page 858
    assert b"Z OMZET" in data
    assert b"\xd5 1.234,50" in data  # the euro sign of code page 858
    assert b"DIT IS GEEN GELDIG BTW-KASTICKET" in data
    assert data.endswith(b"\x1dV\x00")
