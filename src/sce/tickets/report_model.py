"""The view model of the X/Z turnover and user reports, filled by the POS core and laid out like tickets.

The fields follow the lists of the law (MB arts 29 and 30; ``regulation.md`` § 7.2 and § 7.3); the letter
of each item is given in the field's comment. Amounts are signed integer cents including VAT unless the
name says otherwise; rates are :class:`~decimal.Decimal` percentages. X and Z reports have exactly the same
content; a Z report adds its continuous number (MB art. 27). The user report names the user and the
INSZ/BIS number, as MB art. 30 f) asks; tickets never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from sce.domain.identifiers import (
    validate_employee_id,
    validate_establishment_number,
    validate_vat_number,
)
from sce.domain.vat import VatLetter
from sce.fiscal.port import FiscalReference
from sce.tickets.i18n import Lang


class ReportError(ValueError):
    """A report whose figures do not hold together or miss what the law asks."""


class ReportKind(StrEnum):
    TURNOVER_X = "TURNOVER_X"
    TURNOVER_Z = "TURNOVER_Z"
    USER_X = "USER_X"
    USER_Z = "USER_Z"

    @property
    def is_z(self) -> bool:
        return self in (ReportKind.TURNOVER_Z, ReportKind.USER_Z)

    @property
    def is_user(self) -> bool:
        return self in (ReportKind.USER_X, ReportKind.USER_Z)


#: The heading of each report as an English message id; NL "X OMZET", "Z GEBRUIKERS"... (MB arts 29, 30).
REPORT_HEADINGS: dict[ReportKind, str] = {
    ReportKind.TURNOVER_X: "X TURNOVER",
    ReportKind.TURNOVER_Z: "Z TURNOVER",
    ReportKind.USER_X: "X USERS",
    ReportKind.USER_Z: "Z USERS",
}

#: Reasons of the reducing functions (MB art. 29 v), as the FDM 2.0 ``NegQuantityReason``.
Reason = Literal["REFUND", "CORRECTION", "PRICE_CHANGE", "COST_CENTER_CHANGE", "WASTE", "DAMAGE", "VOUCHER"]
REASONS: tuple[Reason, ...] = (
    "REFUND",
    "CORRECTION",
    "PRICE_CHANGE",
    "COST_CENTER_CHANGE",
    "WASTE",
    "DAMAGE",
    "VOUCHER",
)


def _cents(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReportError(f"{field}: {value!r} is not a whole number of cents")
    return value


def _count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ReportError(f"{field}: {value!r} is not a count")
    return value


def _text(value: str, field: str) -> None:
    if not value.strip():
        raise ReportError(f"{field}: required on a report")


@dataclass(frozen=True, slots=True)
class ReportIssuer:
    """Items a-c: name, VAT number, KBO establishment unit (and its commercial name); the report language."""

    name: str
    vat_number: str
    establishment_number: str
    establishment_name: str
    language: Lang

    def __post_init__(self) -> None:
        _text(self.name, "name")
        _text(self.establishment_name, "establishment_name")
        object.__setattr__(self, "vat_number", validate_vat_number(self.vat_number))
        number = validate_establishment_number(self.establishment_number)
        object.__setattr__(self, "establishment_number", number)


@dataclass(frozen=True, slots=True)
class PosDevice:
    """Item e: one register (production number and terminal) covered, with its first and last event."""

    pos_id: str
    terminal_id: str
    first_pos_datetime: datetime
    last_pos_datetime: datetime

    def __post_init__(self) -> None:
        _text(self.pos_id, "pos_id")
        if self.last_pos_datetime < self.first_pos_datetime:
            raise ReportError(f"pos device {self.pos_id}: last event before the first")


@dataclass(frozen=True, slots=True)
class FdmDevice:
    """Items f and x: one FDM covered, with the date/time and total counter of its first and last event."""

    fdm_id: str
    first_fdm_datetime: datetime
    first_total_counter: int
    last_fdm_datetime: datetime
    last_total_counter: int

    def __post_init__(self) -> None:
        _text(self.fdm_id, "fdm_id")
        _count(self.first_total_counter, "first_total_counter")
        _count(self.last_total_counter, "last_total_counter")
        if self.last_total_counter < self.first_total_counter:
            raise ReportError(f"fdm device {self.fdm_id}: last counter before the first")


@dataclass(frozen=True, slots=True)
class DepartmentTotal:
    """Item j: turnover (label N, incl. VAT) of one main group or department."""

    department_id: str
    name: str
    amount_cents: int

    def __post_init__(self) -> None:
        _cents(self.amount_cents, "amount_cents")


@dataclass(frozen=True, slots=True)
class VatRateTotal:
    """Items k, l, m: taxable base, VAT and their sum for one VAT letter (label N)."""

    letter: VatLetter
    rate: Decimal
    base_cents: int
    vat_cents: int

    def __post_init__(self) -> None:
        if not isinstance(self.rate, Decimal):
            raise ReportError("rate: must be a Decimal, never a float")
        _cents(self.base_cents, "base_cents")
        _cents(self.vat_cents, "vat_cents")

    @property
    def total_cents(self) -> int:
        return self.base_cents + self.vat_cents


@dataclass(frozen=True, slots=True)
class PaymentTotal:
    """Item n (and user item h): the registered payments of one method, its name as on the tickets."""

    method: str
    name: str
    amount_cents: int
    count: int = 0

    def __post_init__(self) -> None:
        _cents(self.amount_cents, "amount_cents")
        _count(self.count, "count")


@dataclass(frozen=True, slots=True)
class CountTotal:
    """A number of tickets or operations and their total incl. VAT (items r, s, t, w, copies)."""

    count: int = 0
    amount_cents: int = 0

    def __post_init__(self) -> None:
        _count(self.count, "count")
        _cents(self.amount_cents, "amount_cents")


@dataclass(frozen=True, slots=True)
class PriceChangeTotal:
    """Item u: the discounts or surcharges of one type (its name in the POS) granted in the period."""

    name: str
    kind: Literal["DISCOUNT", "SURCHARGE"]
    count: int
    amount_cents: int

    def __post_init__(self) -> None:
        _text(self.name, "name")
        _count(self.count, "count")
        _cents(self.amount_cents, "amount_cents")


@dataclass(frozen=True, slots=True)
class ReductionTotal:
    """Item v: corrections, take-backs, line cancellations... of one reason, per label first booked in."""

    reason: Reason
    label: Literal["N", "P"]
    count: int
    amount_cents: int

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise ReportError(f"reason: {self.reason!r} is not one of {REASONS}")
        _count(self.count, "count")
        _cents(self.amount_cents, "amount_cents")


@dataclass(frozen=True, slots=True)
class InvoiceTotal:
    """Item w: one invoice (MB art. 31) made in the period."""

    number: str
    amount_cents: int

    def __post_init__(self) -> None:
        _text(self.number, "number")
        _cents(self.amount_cents, "amount_cents")


@dataclass(frozen=True, slots=True)
class GrandTotals:
    """The cumulative totals since the register was put into use (sales, refunds), as 1.0 reports show."""

    sales_cents: int
    refunds_cents: int

    def __post_init__(self) -> None:
        _cents(self.sales_cents, "sales_cents")
        _cents(self.refunds_cents, "refunds_cents")

    @property
    def net_cents(self) -> int:
        return self.sales_cents + self.refunds_cents


@dataclass(frozen=True, slots=True)
class ReportControl:
    """The FDM data of the report event (label R): FDM id, date/time, counters. No signature is printed."""

    fdm_id: str
    fdm_datetime: datetime
    event_label: str
    event_counter: int
    total_counter: int

    @property
    def counters(self) -> str:
        return f"{self.event_counter}/{self.total_counter} {self.event_label}"


@dataclass(frozen=True, slots=True)
class WorkEvent:
    """User item i: a log-in (work in) or log-out (work out) registered by an event S."""

    at: datetime
    direction: Literal["IN", "OUT"]


@dataclass(frozen=True, slots=True)
class ReportHeader:
    """Items a-h (turnover) and a-e (users), and the Z number (y, l): what opens every report."""

    kind: ReportKind
    issuer: ReportIssuer
    created_at: datetime
    pos_devices: tuple[PosDevice, ...]
    fdm_devices: tuple[FdmDevice, ...]
    booking_date: date
    period_start: datetime
    period_end: datetime
    report_number: int | None = None

    def __post_init__(self) -> None:
        if not self.pos_devices:
            raise ReportError("pos_devices: a report names the registers it covers")
        if not self.fdm_devices:
            raise ReportError("fdm_devices: a report names the FDMs it covers")
        if self.kind.is_z and (self.report_number is None or _count(self.report_number, "report_number") < 1):
            raise ReportError("report_number: a Z report carries its continuous number")
        if not self.kind.is_z and self.report_number is not None:
            raise ReportError("report_number: only a Z report is numbered")
        if self.period_end < self.period_start:
            raise ReportError("period: ends before it starts")


@dataclass(frozen=True, slots=True)
class TurnoverReport:
    """The X or Z turnover report ("X OMZET" / "Z OMZET", MB art. 29)."""

    header: ReportHeader
    turnover_cents: int  # i: label N incl. VAT
    departments: tuple[DepartmentTotal, ...]  # j
    vat_rates: tuple[VatRateTotal, ...]  # k, l, m
    payments: tuple[PaymentTotal, ...]  # n
    rounding_cents: int  # o
    vat_ticket_count: int  # p
    drawer_openings: int  # q: without a transaction
    training: CountTotal  # r
    refunds: CountTotal  # s
    pro_forma: CountTotal  # t
    price_changes: tuple[PriceChangeTotal, ...]  # u
    reductions: tuple[ReductionTotal, ...]  # v
    invoices: tuple[InvoiceTotal, ...]  # w
    copies: CountTotal = CountTotal()
    grand_totals: GrandTotals | None = None
    control: ReportControl | None = None

    def __post_init__(self) -> None:
        if self.header.kind.is_user:
            raise ReportError(f"{self.header.kind}: a turnover report is X or Z TURNOVER")
        _cents(self.turnover_cents, "turnover_cents")
        _cents(self.rounding_cents, "rounding_cents")
        _count(self.vat_ticket_count, "vat_ticket_count")
        _count(self.drawer_openings, "drawer_openings")
        by_rate = sum(rate.total_cents for rate in self.vat_rates)
        if by_rate != self.turnover_cents:
            raise ReportError(f"vat_rates: add up to {by_rate} cents, the turnover is {self.turnover_cents}")
        if self.departments:
            by_department = sum(department.amount_cents for department in self.departments)
            if by_department != self.turnover_cents:
                raise ReportError(
                    f"departments: add up to {by_department} cents, the turnover is {self.turnover_cents}"
                )

    @property
    def invoice_total(self) -> CountTotal:
        return CountTotal(len(self.invoices), sum(invoice.amount_cents for invoice in self.invoices))


@dataclass(frozen=True, slots=True)
class UserTotals:
    """Items f-k of one user: name and INSZ/BIS, turnover, drawer, work in/out, first and last event."""

    name: str
    employee_id: str  # f: INSZ or BIS number, printed on the user report only
    turnover_cents: int  # g
    drawer: tuple[PaymentTotal, ...]  # h: drawer content per method, if drawers per user are used
    work_events: tuple[WorkEvent, ...]  # i
    first_event_at: datetime  # j
    last_event_at: datetime  # j
    first_event: FiscalReference  # k
    last_event: FiscalReference  # k

    def __post_init__(self) -> None:
        _text(self.name, "name")
        object.__setattr__(self, "employee_id", validate_employee_id(self.employee_id))
        _cents(self.turnover_cents, "turnover_cents")
        if self.last_event_at < self.first_event_at:
            raise ReportError(f"user {self.name}: last event before the first")


@dataclass(frozen=True, slots=True)
class UserReport:
    """The X or Z user report ("X GEBRUIKERS" / "Z GEBRUIKERS", MB art. 30)."""

    header: ReportHeader
    users: tuple[UserTotals, ...]
    control: ReportControl | None = None

    def __post_init__(self) -> None:
        if not self.header.kind.is_user:
            raise ReportError(f"{self.header.kind}: a user report is X or Z USERS")


Report = TurnoverReport | UserReport

__all__ = [
    "REASONS",
    "REPORT_HEADINGS",
    "CountTotal",
    "DepartmentTotal",
    "FdmDevice",
    "GrandTotals",
    "InvoiceTotal",
    "PaymentTotal",
    "PosDevice",
    "PriceChangeTotal",
    "Reason",
    "ReductionTotal",
    "Report",
    "ReportControl",
    "ReportError",
    "ReportHeader",
    "ReportIssuer",
    "ReportKind",
    "TurnoverReport",
    "UserReport",
    "UserTotals",
    "VatRateTotal",
    "WorkEvent",
]
