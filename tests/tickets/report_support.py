"""Report test data: one opening period of the example brasserie, as X/Z turnover and user reports.

The figures hold together: the turnover is the sum of the VAT rates and of the departments; the payments
add up to the turnover plus the tips.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sce.domain.vat import VatLetter
from sce.fiscal.port import FiscalReference
from sce.tickets.i18n import LANGUAGES, Lang
from sce.tickets.report_model import (
    CountTotal,
    DepartmentTotal,
    FdmDevice,
    GrandTotals,
    InvoiceTotal,
    PaymentTotal,
    PosDevice,
    PriceChangeTotal,
    ReductionTotal,
    Report,
    ReportControl,
    ReportHeader,
    ReportIssuer,
    ReportKind,
    TurnoverReport,
    UserReport,
    UserTotals,
    VatRateTotal,
    WorkEvent,
)
from tests.tickets.support import CEST, GOLDEN, INSZ

REPORT_KINDS = ("turnover_x", "turnover_z", "user_x", "user_z")
_KINDS = {
    "turnover_x": ReportKind.TURNOVER_X,
    "turnover_z": ReportKind.TURNOVER_Z,
    "user_x": ReportKind.USER_X,
    "user_z": ReportKind.USER_Z,
}
SECOND_INSZ = "00000000097"
Z_NUMBER = 214


def issuer(lang: Lang) -> ReportIssuer:
    return ReportIssuer(
        name="Drinks & Nibbles BV",
        vat_number="BE0000000097",
        establishment_number="2000000042",
        establishment_name="Brasserie Parkzicht",
        language=lang,
    )


def header(kind: str, lang: Lang) -> ReportHeader:
    report_kind = _KINDS[kind]
    return ReportHeader(
        kind=report_kind,
        issuer=issuer(lang),
        created_at=datetime(2024, 7, 29, 23, 45, 10, tzinfo=CEST),
        pos_devices=(
            PosDevice(
                "CPOS0031234567",
                "TER-2-DIN",
                datetime(2024, 7, 29, 11, 2, 3, tzinfo=CEST),
                datetime(2024, 7, 29, 23, 40, 0, tzinfo=CEST),
            ),
        ),
        fdm_devices=(
            FdmDevice(
                "FOD01000001",
                datetime(2024, 7, 29, 9, 2, 4, tzinfo=UTC),
                41,
                datetime(2024, 7, 29, 21, 40, 1, tzinfo=UTC),
                177,
            ),
        ),
        booking_date=date(2024, 7, 29),
        period_start=datetime(2024, 7, 29, 11, 0, 0, tzinfo=CEST),
        period_end=datetime(2024, 7, 29, 23, 45, 0, tzinfo=CEST),
        report_number=Z_NUMBER if report_kind.is_z else None,
    )


def control(kind: str) -> ReportControl:
    counter = {"turnover_x": 11, "turnover_z": 12, "user_x": 13, "user_z": 14}[kind]
    return ReportControl("FOD01000001", datetime(2024, 7, 29, 21, 45, 11, tzinfo=UTC), "R", counter, 178)


def turnover_report(kind: str, lang: Lang) -> TurnoverReport:
    return TurnoverReport(
        header=header(kind, lang),
        turnover_cents=123_450,
        departments=(
            DepartmentTotal("10", "Keuken", 81_250),
            DepartmentTotal("20", "Bar", 42_200),
        ),
        vat_rates=(
            VatRateTotal(VatLetter.A, Decimal(21), 34_876, 7_324),
            VatRateTotal(VatLetter.B, Decimal(12), 72_545, 8_705),
        ),
        payments=(
            PaymentTotal("CASH", "CONTANT", 40_450, 31),
            PaymentTotal("CARD_DEBIT", "BANCONTACT", 85_000, 42),
        ),
        rounding_cents=-3,
        vat_ticket_count=73,
        drawer_openings=4,
        training=CountTotal(3, 4_150),
        refunds=CountTotal(2, -5_200),
        pro_forma=CountTotal(96, 131_700),
        price_changes=(
            PriceChangeTotal("Happy hour", "DISCOUNT", 12, -1_800),
            PriceChangeTotal("Terras", "SURCHARGE", 5, 250),
        ),
        reductions=(
            ReductionTotal("CORRECTION", "P", 7, -6_350),
            ReductionTotal("REFUND", "N", 2, -5_200),
        ),
        invoices=(InvoiceTotal("2024-0117", 9_800),),
        copies=CountTotal(1, 5_200),
        grand_totals=GrandTotals(98_765_400, -1_234_500),
        control=control(kind),
    )


def user_report(kind: str, lang: Lang) -> UserReport:
    ref = FiscalReference
    return UserReport(
        header=header(kind, lang),
        users=(
            UserTotals(
                name="Maria",
                employee_id=INSZ,
                turnover_cents=81_200,
                drawer=(PaymentTotal("CASH", "CONTANT", 28_450),),
                work_events=(
                    WorkEvent(datetime(2024, 7, 29, 11, 0, 30, tzinfo=CEST), "IN"),
                    WorkEvent(datetime(2024, 7, 29, 23, 30, 0, tzinfo=CEST), "OUT"),
                ),
                first_event_at=datetime(2024, 7, 29, 11, 0, 30, tzinfo=CEST),
                last_event_at=datetime(2024, 7, 29, 23, 30, 0, tzinfo=CEST),
                first_event=ref("FOD01000001", datetime(2024, 7, 29, 9, 0, 31, tzinfo=UTC), "S", 20, 42),
                last_event=ref("FOD01000001", datetime(2024, 7, 29, 21, 30, 1, tzinfo=UTC), "S", 31, 171),
            ),
            UserTotals(
                name="Tom",
                employee_id=SECOND_INSZ,
                turnover_cents=42_250,
                drawer=(),
                work_events=(),
                first_event_at=datetime(2024, 7, 29, 17, 5, 0, tzinfo=CEST),
                last_event_at=datetime(2024, 7, 29, 23, 40, 0, tzinfo=CEST),
                first_event=ref("FOD01000001", datetime(2024, 7, 29, 15, 5, 1, tzinfo=UTC), "N", 30, 101),
                last_event=ref("FOD01000001", datetime(2024, 7, 29, 21, 40, 1, tzinfo=UTC), "N", 88, 177),
            ),
        ),
        control=control(kind),
    )


def report(kind: str, lang: Lang) -> Report:
    """The report of type ``kind`` (turnover_x, turnover_z, user_x, user_z) in ``lang``."""
    if kind.startswith("turnover"):
        return turnover_report(kind, lang)
    return user_report(kind, lang)


def report_cases() -> list[tuple[str, Lang]]:
    return [(kind, lang) for kind in REPORT_KINDS for lang in LANGUAGES]


def report_golden_path(kind: str, lang: Lang, width: int = 42) -> Path:
    suffix = "" if width == 42 else f"-{width}"
    return GOLDEN / "reports" / f"{kind}-{lang}{suffix}.txt"


#: The 48-column report goldens.
WIDE_REPORT_CASES: list[tuple[str, Lang]] = [("turnover_z", "nl"), ("user_x", "fr")]
