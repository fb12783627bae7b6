"""Ticket test data: the settings, events and FDM answers of each ticket type in both generations.

The 2.0 sale is the worked example A of the FDM 2.0 notes (Dry Martini, Burger of the Chef, FDM
FOD01000001); the 1.0 sale is the worked example 11.4 of the serial notes (FDM RET02000123). The invoice
covers that sale and a second one. The money in/out slip takes cash out of the drawer for the bank; the
payment correction turns the cash payment of the example sale into a card payment. An SCE 1.0 FDM
registers neither, so their 1.0 slips have no FDM answer.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from sce.fiscal.port import (
    EventKind,
    FiscalCostCenter,
    FiscalDrawer,
    FiscalEvent,
    FiscalLine,
    FiscalPayment,
    FiscalReceipt,
    FiscalReference,
    VatAmounts,
    split_vat,
)
from sce.tickets.i18n import LANGUAGES, Lang
from sce.tickets.invoice import build_invoice
from sce.tickets.model import InvoiceCustomer, Ticket, TicketSettings, build_ticket

GOLDEN = Path(__file__).parent / "golden"
KINDS = (
    "vat",
    "refund",
    "pro_forma",
    "provisional_bill",
    "training",
    "copy",
    "work_in",
    "money_in_out",
    "payment_correction",
)
#: The slips of events an SCE 1.0 FDM does not register.
SLIPS = ("money_in_out", "payment_correction")
MONEY_OUT_REASON = "Bank deposit"
DRAWER = FiscalDrawer("DRAWER-1", "DRAWER-1")
GENERATIONS = (1, 2)
CEST = timezone(timedelta(hours=2))
CET = timezone(timedelta(hours=1))
INSZ = "75061189702"
ALIAS = "Maria"
V1_SIGNATURE = "325EA6137927E9F60CD0A091443A812E0F004E90"
V2_SHORT = "ACFDA20CF8383CB4CA8841ACA11327B3CB3B5F96"
V2_URL = f"https://fps.example.test/verify/FOD01000001/15/59/{V2_SHORT}"
V2_REFUND_URL = f"https://fps.example.test/verify/FOD01000001/16/60/{V2_SHORT}"
V2_FOOTER = ("fps.example.test",)


def settings(generation: int, lang: Lang) -> TicketSettings:
    """The issuer, establishment and POS of the examples."""
    return TicketSettings(
        generation=generation,
        issuer_name="Drinks & Nibbles BV",
        issuer_address=("Parkstraat 1", "1000 Brussel"),
        vat_number="BE0000000097",
        establishment_name="Brasserie Parkzicht",
        establishment_number="2000000042",
        pos_production_number="CPOS0031234567" if generation == 2 else "BODO0011A2B3C4",
        software_version="1.8.3",
        terminal_id="TER-2-DIN",
        device_id="1631678d-7a85-4ac3-b296-bb4565e873fe" if generation == 2 else "",
        language=lang,
    )


def _lines(generation: int, sign: int = 1) -> tuple[FiscalLine, ...]:
    if generation == 2:
        return (
            FiscalLine("Dry Martini", Decimal(2 * sign), Decimal("12.00"), "A"),
            FiscalLine(
                "Burger of the Chef", Decimal(sign), Decimal("30.00"), "B", line_total=Decimal(28 * sign)
            ),
        )
    return (
        FiscalLine("DAGSOEP", Decimal(sign), Decimal("5.00"), "B"),
        FiscalLine("SEIZOENSSUGGESTIE", Decimal(sign), Decimal("20.00"), "B"),
        FiscalLine("CRÈME BRULÉE", Decimal(sign), Decimal("5.00"), "B"),
    )


def _payments(generation: int, sign: int = 1) -> tuple[FiscalPayment, ...]:
    if generation == 2 and sign < 0:
        return (FiscalPayment("CASH", Decimal(-52), "CONTANT"),)
    if generation == 2:
        return (
            FiscalPayment("CASH", Decimal(60 * sign), "CONTANT"),
            FiscalPayment("CASH", Decimal(-8 * sign), "CONTANT"),
            FiscalPayment("CARD_DEBIT", Decimal(2 * sign), "BANCONTACT", kind="TIP"),
        )
    return (FiscalPayment("CASH", Decimal(30 * sign), "CONTANT"),)


ORIGINAL_V2 = FiscalReference("FOD01000001", datetime(2024, 7, 29, 11, 0, 8, tzinfo=UTC), "N", 15, 59)
ORIGINAL_V1 = FiscalReference("RET02000123", datetime(2024, 1, 15, 12, 30, 46, tzinfo=CET), "NS", 12, 345)

_LABELS = {
    1: {
        "vat": "NS",
        "refund": "NR",
        "pro_forma": "PS",
        "provisional_bill": "PS",
        "training": "TS",
        "copy": "CS",
        "work_in": "NS",
    },
    2: {
        "vat": "N",
        "refund": "N",
        "pro_forma": "P",
        "provisional_bill": "P",
        "training": "T",
        "copy": "C",
        "work_in": "S",
        "money_in_out": "F",
        "payment_correction": "F",
    },
}
#: The FDM's counters per ticket type: (counter of the label, total counter).
_COUNTERS = {
    1: {
        "vat": (12, 345),
        "refund": (3, 346),
        "pro_forma": (40, 347),
        "provisional_bill": (41, 348),
        "training": (5, 349),
        "copy": (1, 350),
        "work_in": (13, 351),
    },
    2: {
        "vat": (15, 59),
        "refund": (16, 60),
        "pro_forma": (7, 61),
        "provisional_bill": (8, 62),
        "training": (3, 63),
        "copy": (1, 64),
        "work_in": (20, 65),
        "money_in_out": (5, 68),
        "payment_correction": (6, 69),
    },
}
_EVENT_KINDS = {
    "vat": EventKind.SALE,
    "refund": EventKind.SALE,
    "pro_forma": EventKind.ORDER,
    "provisional_bill": EventKind.PRE_BILL,
    "training": EventKind.SALE,
    "copy": EventKind.COPY,
    "work_in": EventKind.WORK_IN,
    "money_in_out": EventKind.MONEY_IN_OUT,
    "payment_correction": EventKind.PAYMENT_CORRECTION,
}


def _slip_payments(kind: str, generation: int) -> tuple[FiscalPayment, ...]:
    """Cash taken out for the bank; or the example sale's payments negated and paid by card instead, the
    lines numbered on as the POS does."""
    if kind == "money_in_out":
        return (FiscalPayment("CASH", Decimal("-150.00"), MONEY_OUT_REASON, "MONEY_IN_OUT", drawer=DRAWER),)
    old = [p for p in _payments(generation) if p.kind == "PAYMENT"]
    negated = tuple(
        FiscalPayment(p.method, -p.amount, p.name, p.kind, str(i)) for i, p in enumerate(old, start=1)
    )
    due = sum((p.amount for p in old), Decimal(0))
    return (*negated, FiscalPayment("CARD_DEBIT", due, "BANCONTACT", payment_id=str(len(old) + 1)))


def event(kind: str, generation: int, lang: Lang) -> FiscalEvent:
    """The event of ticket type ``kind``: a sale, its refund, an order, a bill, a training sale..."""
    sign = -1 if kind == "refund" else 1
    pos_time = (
        datetime(2024, 7, 29, 13, 0, tzinfo=CEST)
        if generation == 2
        else datetime(2024, 1, 15, 12, 30, 45, tzinfo=CET)
    )
    lines = _lines(generation, sign)
    if kind == "work_in":
        lines = (FiscalLine("WORK IN", Decimal(1), Decimal(0), "D"),) if generation == 1 else ()
    if kind in SLIPS:
        lines = ()
    reference = None
    if kind in ("refund", "copy", "payment_correction"):
        reference = ORIGINAL_V2 if generation == 2 else ORIGINAL_V1
    payments = _payments(generation, sign) if kind in ("vat", "refund", "training", "copy") else ()
    if kind in SLIPS:
        payments = _slip_payments(kind, generation)
    return FiscalEvent(
        kind=_EVENT_KINDS[kind],
        ticket_number=1000 if generation == 2 else 42,
        pos_datetime=pos_time,
        employee_id=INSZ,
        lines=lines,
        training=kind == "training",
        terminal_id="TER-2-DIN",
        reference=reference,
        payments=payments,
        cost_center=(
            FiscalCostCenter("5", "TABLE", "order-00043") if generation == 2 and kind not in SLIPS else None
        ),
        drawer=DRAWER if kind == "money_in_out" else None,
        language=lang.upper() if generation == 2 else "",
    )


def receipt(kind: str, generation: int, fiscal_event: FiscalEvent) -> FiscalReceipt:
    """The FDM's answer to ``fiscal_event``; signatures only where the FDM gives them (a 2.0 FDM signs a
    money in/out and a payment correction too, which their slips must leave out)."""
    label = _LABELS[generation][kind]
    sale = kind in ("vat", "refund")
    signed = sale or kind in SLIPS
    if generation == 1:
        return FiscalReceipt(
            generation=1,
            fdm_id="RET02000123",
            fdm_datetime=datetime(2024, 1, 15, 12, 30, 46, tzinfo=CET),
            event_label=label,
            event_counter=_COUNTERS[1][kind][0],
            total_counter=_COUNTERS[1][kind][1],
            signature=V1_SIGNATURE,
            request="H01...",
            reply="H01...",
            vat=split_vat(fiscal_event.lines),
            vsc_id="0887456321-002",
            plu_hash="046bfc9425c488b9fe31b78820c21a70ae28005a",
        )
    sign = -1 if kind == "refund" else 1
    counter, total_counter = _COUNTERS[2][kind]
    url = V2_REFUND_URL if kind == "refund" else V2_URL
    if kind in SLIPS:
        url = f"https://fps.example.test/verify/FOD01000001/{counter}/{total_counter}/{V2_SHORT}"
    vat = (
        {
            "A": VatAmounts("A", 1983 * sign, 417 * sign),
            "B": VatAmounts("B", 2500 * sign, 300 * sign),
        }
        if kind in ("vat", "refund", "training")
        else {}
    )
    return FiscalReceipt(
        generation=2,
        fdm_id="FOD01000001",
        fdm_datetime=datetime(2024, 7, 29, 11, 0, 8, tzinfo=UTC),
        event_label=label,
        event_counter=counter,
        total_counter=total_counter,
        signature="jtA78J/WwBeA9ty1MK+irfx1kHs3WvUPJ59NNQ2skjOOtLrmODm4qD1eBu1YZqjRg7O/qz3+pxfBrGFByl9Stw==",
        request="{}",
        reply="{}",
        vat=vat,
        short_signature=V2_SHORT if signed else "",
        verification_url=url if signed else "",
        footer=V2_FOOTER if signed else (),
    )


def answer(kind: str, generation: int, fiscal_event: FiscalEvent) -> FiscalReceipt | None:
    """The FDM's answer as the POS journals it: none for a slip an SCE 1.0 FDM does not register."""
    if generation == 1 and kind in SLIPS:
        return None
    return receipt(kind, generation, fiscal_event)


def ticket(kind: str, generation: int, lang: Lang) -> Ticket:
    """The ticket of type ``kind`` in ``generation`` and ``lang``, as the POS builds it."""
    fiscal_event = event(kind, generation, lang)
    return build_ticket(
        fiscal_event, answer(kind, generation, fiscal_event), settings(generation, lang), ALIAS
    )


def cases() -> list[tuple[str, int, Lang]]:
    """Every ticket type x generation x language of the golden files."""
    return [(kind, generation, lang) for kind in KINDS for generation in GENERATIONS for lang in LANGUAGES]


def golden_path(kind: str, generation: int, lang: Lang, width: int = 42) -> Path:
    suffix = "" if width == 42 else f"-{width}"
    return GOLDEN / f"{kind}-sce{generation}-{lang}{suffix}.txt"


#: The 48-column goldens: one VAT ticket and one non-VAT ticket per generation.
WIDE_CASES: list[tuple[str, int, Lang]] = [
    ("vat", 1, "nl"),
    ("vat", 2, "fr"),
    ("pro_forma", 2, "de"),
    ("copy", 1, "en"),
]


# ---------------------------------------------------------------- invoices (event I)

#: The customer of the example invoice, and its number in the invoice series.
CUSTOMER = InvoiceCustomer("Bedrijf NV", "Markt 1, 9000 Gent", "BE0477472701")
INVOICE_NUMBER = "3"
#: The invoice of the golden files: every generation x language, and two at 48 columns.
INVOICE_CASES: list[tuple[int, Lang]] = [
    (generation, lang) for generation in GENERATIONS for lang in LANGUAGES
]
WIDE_INVOICE_CASES: list[tuple[int, Lang]] = [(1, "fr"), (2, "nl")]
V2_INVOICE_SHORT = "0F1E2D3C4B5A69788796A5B4C3D2E1F00F1E2D3C"


def second_sale(generation: int, lang: Lang) -> Ticket:
    """A second paid VAT ticket, after the example sale, for an invoice covering two tickets."""
    if generation == 2:
        lines = (
            FiscalLine("Cola", Decimal(2), Decimal("3.20"), "A"),
            FiscalLine("Spaghetti Bolognese", Decimal(1), Decimal("16.50"), "B"),
        )
        at = datetime(2024, 7, 29, 13, 30, 4, tzinfo=CEST)
    else:
        lines = (
            FiscalLine("KOFFIE", Decimal(2), Decimal("2.80"), "A"),
            FiscalLine("SPAGHETTI", Decimal(1), Decimal("14.00"), "B"),
        )
        at = datetime(2024, 1, 15, 12, 45, 10, tzinfo=CET)
    fiscal_event = FiscalEvent(
        kind=EventKind.SALE,
        ticket_number=1001 if generation == 2 else 43,
        pos_datetime=at,
        employee_id=INSZ,
        lines=lines,
        terminal_id="TER-2-DIN",
        payments=(
            FiscalPayment("CARD_DEBIT", sum((line.total for line in lines), Decimal(0)), "BANCONTACT"),
        ),
        language=lang.upper() if generation == 2 else "",
    )
    if generation == 2:
        answer = FiscalReceipt(
            generation=2,
            fdm_id="FOD01000001",
            fdm_datetime=datetime(2024, 7, 29, 11, 30, 5, tzinfo=UTC),
            event_label="N",
            event_counter=17,
            total_counter=66,
            signature="c2Vjb25kIHNhbGU=",
            request="{}",
            reply="{}",
            vat={"A": VatAmounts("A", 529, 111), "B": VatAmounts("B", 1473, 177)},
            short_signature=V2_SHORT,
            verification_url=f"https://fps.example.test/verify/FOD01000001/17/66/{V2_SHORT}",
            footer=V2_FOOTER,
        )
    else:
        answer = FiscalReceipt(
            generation=1,
            fdm_id="RET02000123",
            fdm_datetime=datetime(2024, 1, 15, 12, 45, 11, tzinfo=CET),
            event_label="NS",
            event_counter=14,
            total_counter=352,
            signature=V1_SIGNATURE,
            request="H01...",
            reply="H01...",
            vat=split_vat(lines),
            vsc_id="0887456321-002",
            plu_hash="046bfc9425c488b9fe31b78820c21a70ae28005a",
        )
    return build_ticket(fiscal_event, answer, settings(generation, lang), ALIAS)


def invoice_event(generation: int, lang: Lang) -> FiscalEvent:
    """The invoice event (I) for the example sale and the second sale."""
    sales = (ORIGINAL_V2, replace(ORIGINAL_V2, event_counter=17, total_counter=66))
    if generation == 1:
        sales = (ORIGINAL_V1, replace(ORIGINAL_V1, event_counter=14, total_counter=352))
    return FiscalEvent(
        kind=EventKind.INVOICE,
        ticket_number=1002 if generation == 2 else 44,
        pos_datetime=(
            datetime(2024, 7, 29, 14, 0, tzinfo=CEST)
            if generation == 2
            else datetime(2024, 1, 15, 13, 0, tzinfo=CET)
        ),
        employee_id=INSZ,
        terminal_id="TER-2-DIN",
        references=sales,
        invoice_number=INVOICE_NUMBER,
        customer_vat_no=CUSTOMER.vat_no,
        language=lang.upper() if generation == 2 else "",
    )


def invoice_receipt(generation: int) -> FiscalReceipt | None:
    """The FDM's answer to the invoice: an I event in 2.0 (with a short signature the print must leave
    out); none in 1.0, whose FDM never registers an invoice."""
    if generation == 1:
        return None
    return FiscalReceipt(
        generation=2,
        fdm_id="FOD01000001",
        fdm_datetime=datetime(2024, 7, 29, 12, 0, 3, tzinfo=UTC),
        event_label="I",
        event_counter=1,
        total_counter=67,
        signature="aW52b2ljZQ==",
        request="{}",
        reply="{}",
        short_signature=V2_INVOICE_SHORT,
        verification_url=f"https://fps.example.test/verify/FOD01000001/1/67/{V2_INVOICE_SHORT}",
        footer=V2_FOOTER,
    )


def invoice(generation: int, lang: Lang) -> Ticket:
    """The invoice of the example sale and the second sale, as the POS builds it."""
    tickets = (ticket("vat", generation, lang), second_sale(generation, lang))
    return build_invoice(
        invoice_event(generation, lang),
        invoice_receipt(generation),
        settings(generation, lang),
        ALIAS,
        CUSTOMER,
        tickets,
    )
