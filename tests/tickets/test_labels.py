"""Ticket types: labels per language, no signature outside a VAT ticket, the not-valid line (MB art. 38)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from sce.fiscal.port import EventKind, FiscalEvent, FiscalLine
from sce.tickets.i18n import Lang
from sce.tickets.model import TicketError, TicketKind, build_ticket
from sce.tickets.render_html import render_html
from sce.tickets.render_text import render_text
from tests.tickets.support import (
    ALIAS,
    INSZ,
    KINDS,
    V1_SIGNATURE,
    V2_SHORT,
    event,
    receipt,
    settings,
    ticket,
)

NOT_VALID: dict[Lang, str] = {
    "nl": "DIT IS GEEN GELDIG BTW-KASTICKET",
    "fr": "CECI N'EST PAS UN TICKET DE CAISSE TVA VALABLE",
    "de": "DIES IST KEIN GÜLTIGER MWST-KASSENBON",
    "en": "THIS IS NOT A VALID VAT TICKET",
}
LABELS: dict[tuple[str, Lang], str] = {
    ("refund", "nl"): "REFUND",
    ("refund", "fr"): "REMBOURSEMENT",
    ("refund", "de"): "ERSTATTUNG",
    ("refund", "en"): "REFUND",
    ("pro_forma", "nl"): "PRO FORMA",
    ("pro_forma", "fr"): "PRO FORMA",
    ("pro_forma", "de"): "PRO FORMA",
    ("pro_forma", "en"): "PRO FORMA",
    ("provisional_bill", "nl"): "VOORLOPIGE REKENING",
    ("provisional_bill", "fr"): "ADDITION PROVISOIRE",
    ("provisional_bill", "de"): "VORLÄUFIGE RECHNUNG",
    ("provisional_bill", "en"): "PROVISIONAL BILL",
    ("training", "nl"): "TRAINING",
    ("training", "fr"): "FORMATION",
    ("training", "de"): "TRAINING",
    ("training", "en"): "TRAINING",
    ("copy", "nl"): "KOPIE",
    ("copy", "fr"): "COPIE",
    ("copy", "de"): "KOPIE",
    ("copy", "en"): "COPY",
}
LANGS: tuple[Lang, ...] = ("nl", "fr", "de", "en")
NON_VAT = [
    (kind, generation)
    for kind in KINDS
    for generation in (1, 2)
    if kind not in ("vat", "refund") and not (kind == "work_in" and generation == 1)
]


def _flat(text: str) -> str:
    return " ".join(line.strip() for line in text.splitlines())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("kind", "generation"), NON_VAT)
def test_non_vat_ticket_has_no_signature_and_ends_with_the_not_valid_line(
    kind: str, generation: int, lang: Lang
) -> None:
    built = ticket(kind, generation, lang)
    text = render_text(built)
    html = render_html(built)
    assert not built.is_vat_ticket
    for signature in (V1_SIGNATURE, V2_SHORT, "verify/"):
        assert signature not in text
        assert signature not in html
    assert "<img" not in html
    assert _flat(text).endswith(NOT_VALID[lang])
    assert NOT_VALID[lang].replace("'", "&#39;") in html


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("kind", "generation"), [("vat", 1), ("vat", 2), ("refund", 1), ("refund", 2)])
def test_vat_ticket_carries_its_signature_and_no_not_valid_line(
    kind: str, generation: int, lang: Lang
) -> None:
    built = ticket(kind, generation, lang)
    text = render_text(built)
    assert built.is_vat_ticket
    assert (V1_SIGNATURE if generation == 1 else V2_SHORT) in text
    assert NOT_VALID[lang] not in _flat(text)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("generation", [1, 2])
@pytest.mark.parametrize("kind", ["refund", "pro_forma", "provisional_bill", "training", "copy"])
def test_label_in_the_ticket_language(kind: str, generation: int, lang: Lang) -> None:
    head = [line.strip() for line in render_text(ticket(kind, generation, lang)).splitlines()[:2]]
    assert LABELS[kind, lang] in head


def test_kinds_follow_the_event_and_the_fdm_label() -> None:
    assert ticket("vat", 2, "nl").kind is TicketKind.VAT
    assert ticket("refund", 1, "nl").kind is TicketKind.REFUND
    assert ticket("pro_forma", 1, "nl").kind is TicketKind.PRO_FORMA
    assert ticket("provisional_bill", 2, "nl").kind is TicketKind.PROVISIONAL_BILL
    assert ticket("training", 2, "nl").kind is TicketKind.TRAINING
    assert ticket("copy", 2, "nl").kind is TicketKind.COPY
    assert ticket("work_in", 2, "nl").kind is TicketKind.WORK_IN


def test_sce1_work_in_is_signed_as_an_ns_ticket() -> None:
    built = ticket("work_in", 1, "nl")
    assert built.is_vat_ticket
    assert V1_SIGNATURE in render_text(built)


def test_unsigned_sale_is_refused() -> None:
    sale = event("vat", 2, "nl")
    with pytest.raises(TicketError, match="signed"):
        build_ticket(sale, None, settings(2, "nl"), ALIAS)
    unsigned = replace(receipt("vat", 2, sale), short_signature="")
    with pytest.raises(TicketError, match="signed"):
        build_ticket(sale, unsigned, settings(2, "nl"), ALIAS)


def test_unsigned_pro_forma_prints_without_control_data() -> None:
    order = event("pro_forma", 2, "fr")
    text = render_text(build_ticket(order, None, settings(2, "fr"), ALIAS))
    assert "Données de contrôle" not in text
    assert _flat(text).endswith(NOT_VALID["fr"])


def test_the_alias_may_not_be_the_insz() -> None:
    sale = event("vat", 2, "nl")
    with pytest.raises(TicketError, match="INSZ"):
        build_ticket(sale, receipt("vat", 2, sale), settings(2, "nl"), INSZ)


def test_the_ticket_language_is_the_language_sent_to_the_fdm() -> None:
    sale = event("vat", 2, "nl")
    with pytest.raises(TicketError, match="language"):
        build_ticket(sale, receipt("vat", 2, sale), settings(2, "fr"), ALIAS)


def test_a_report_has_no_ticket() -> None:
    report = FiscalEvent(EventKind.REPORT_TURNOVER_Z, 7, event("vat", 2, "nl").pos_datetime, INSZ)
    with pytest.raises(TicketError, match="REPORT_TURNOVER_Z"):
        build_ticket(report, None, settings(2, "nl"), ALIAS)


def test_interrupted_sale_prints_without_amounts() -> None:
    order = event("pro_forma", 2, "nl")
    built = build_ticket(order, receipt("pro_forma", 2, order), settings(2, "nl"), ALIAS, interrupted=True)
    text = render_text(built)
    assert "2 Dry Martini" in text
    assert "24,00" not in text
    assert "TOTAAL" not in text
    assert _flat(text).endswith(NOT_VALID["nl"])


def test_a_vat_ticket_always_shows_its_amounts() -> None:
    sale = event("vat", 1, "nl")
    with pytest.raises(TicketError, match="amounts"):
        build_ticket(sale, receipt("vat", 1, sale), settings(1, "nl"), ALIAS, interrupted=True)


def test_weights_print_with_three_decimals() -> None:
    sale = replace(
        event("vat", 1, "de"), lines=(FiscalLine("Käse", Decimal("0.375"), Decimal("24.00"), "C"),)
    )
    text = render_text(build_ticket(sale, receipt("vat", 1, sale), settings(1, "de"), ALIAS))
    assert "0,375 Käse" in text
    assert "0,375 x 24,00" in text
    assert "9,00 C" in text


def test_receipt_of_the_other_generation_is_refused() -> None:
    sale = event("vat", 2, "nl")
    with pytest.raises(TicketError, match="generation"):
        build_ticket(sale, receipt("vat", 1, sale), settings(2, "nl"), ALIAS)


def test_unregistered_work_in_is_refused() -> None:
    with pytest.raises(TicketError, match="registered"):
        build_ticket(event("work_in", 2, "nl"), None, settings(2, "nl"), ALIAS)
