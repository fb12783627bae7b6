"""The FiscalModule port: what the POS asks of any FDM, whatever its generation.

The POS builds one :class:`FiscalEvent` per user action and calls :meth:`FiscalModule.sign`; the
adapter of the FDM in use (SCE 1.0 serial, SCE 2.0 GraphQL) turns it into its own messages and returns a
:class:`FiscalReceipt` carrying the control data to print and the exchange in original form to journal.
Errors are the generation-neutral classes of :mod:`sce.fiscal.errors`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any, Protocol, runtime_checkable

from sce.domain.vat import RATES

#: Rate in percent per VAT letter, as the domain defines them.
VAT_RATES: dict[str, Decimal] = {letter.value: rate for letter, rate in RATES.items()}
CENT = Decimal("0.01")


class EventKind(Enum):
    """Every event the law asks the POS to register (SCE 2.0 names; SCE 1.0 signs a subset)."""

    WORK_IN = "WORK_IN"
    WORK_OUT = "WORK_OUT"
    SALE = "SALE"
    ORDER = "ORDER"
    COST_CENTER_CHANGE = "COST_CENTER_CHANGE"
    PRE_BILL = "PRE_BILL"
    MONEY_IN_OUT = "MONEY_IN_OUT"
    DRAWER_OPEN = "DRAWER_OPEN"
    PAYMENT_CORRECTION = "PAYMENT_CORRECTION"
    INVOICE = "INVOICE"
    COPY = "COPY"
    REPORT_TURNOVER_X = "REPORT_TURNOVER_X"
    REPORT_TURNOVER_Z = "REPORT_TURNOVER_Z"
    REPORT_USER_X = "REPORT_USER_X"
    REPORT_USER_Z = "REPORT_USER_Z"


@dataclass(frozen=True, slots=True)
class FiscalLine:
    """One product line. Prices include VAT; ``line_total`` is after discount and signed."""

    name: str
    quantity: Decimal
    unit_price: Decimal
    vat: str
    uom: str = "unit"
    line_total: Decimal | None = None
    product_id: str = ""
    department_id: str = ""
    department_name: str = ""
    neg_reason: str = ""

    def __post_init__(self) -> None:
        if self.vat not in VAT_RATES:
            raise ValueError(f"vat: letter {self.vat!r} is not one of A, B, C, D, X")
        for name in ("quantity", "unit_price"):
            if not isinstance(getattr(self, name), Decimal):
                raise TypeError(f"{name}: must be a Decimal, never a float")

    @property
    def total(self) -> Decimal:
        if self.line_total is not None:
            return self.line_total.quantize(CENT, rounding=ROUND_HALF_UP)
        return (self.unit_price * self.quantity).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def total_cents(self) -> int:
        return int(self.total * 100)


@dataclass(frozen=True, slots=True)
class FiscalReference:
    """An earlier signed event the new one refers to (refund, copy, invoice)."""

    fdm_id: str
    fdm_datetime: datetime
    event_label: str
    event_counter: int
    total_counter: int


@dataclass(frozen=True, slots=True)
class FiscalDrawer:
    """A cash drawer (SCE 2.0 money in/out, drawer open)."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class FiscalPayment:
    """One payment line (SCE 2.0 ``financials``): signed amount incl. VAT in EUR.

    ``method`` is the payment type (CASH, CARD_UNKNOWN, ONLINE...); ``kind`` is PAYMENT, TIP, ROUNDING or
    MONEY_IN_OUT.
    """

    method: str
    amount: Decimal
    name: str = ""
    kind: str = "PAYMENT"
    payment_id: str = "1"
    input_method: str = "MANUAL"
    drawer: FiscalDrawer | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("amount: must be a Decimal, never a float")


@dataclass(frozen=True, slots=True)
class FiscalCostCenter:
    """Where an order is kept (table, customer, kiosk...), SCE 2.0 ``costCenter``."""

    id: str
    type: str = "TABLE"
    reference: str = ""


@dataclass(frozen=True, slots=True)
class FiscalEvent:
    """One user action to register. Fields after ``reference`` are optional and used by SCE 2.0 only.

    ``references`` lists the sales an invoice covers; ``details`` carries generation-specific input the
    adapter merges last into its request (SCE 2.0 report figures, a cost-centre ``transfer``).
    """

    kind: EventKind
    ticket_number: int
    pos_datetime: datetime
    employee_id: str
    lines: tuple[FiscalLine, ...] = ()
    training: bool = False
    terminal_id: str = ""
    reference: FiscalReference | None = None
    payments: tuple[FiscalPayment, ...] = ()
    cost_center: FiscalCostCenter | None = None
    drawer: FiscalDrawer | None = None
    language: str = ""
    booking_period_id: str = ""
    booking_date: date | None = None
    ticket_medium: str = ""
    references: tuple[FiscalReference, ...] = ()
    invoice_number: str = ""
    customer_vat_no: str = ""
    report_number: int | None = None
    details: Mapping[str, Any] | None = None

    @property
    def total_cents(self) -> int:
        return sum(line.total_cents for line in self.lines)


@dataclass(frozen=True, slots=True)
class VatAmounts:
    """Per VAT letter: taxable base, VAT and total incl. VAT, in cents (signed)."""

    letter: str
    base_cents: int
    vat_cents: int

    @property
    def total_cents(self) -> int:
        return self.base_cents + self.vat_cents


def split_vat(lines: tuple[FiscalLine, ...] | list[FiscalLine]) -> dict[str, VatAmounts]:
    """Per line VAT = round_half_up(P x t / (100 + t), 2), base = P - VAT, summed per letter."""
    base: dict[str, int] = {}
    vat: dict[str, int] = {}
    for line in lines:
        rate = VAT_RATES[line.vat]
        total = line.total
        line_vat = (total * rate / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
        vat[line.vat] = vat.get(line.vat, 0) + int(line_vat * 100)
        base[line.vat] = base.get(line.vat, 0) + int((total - line_vat) * 100)
    return {letter: VatAmounts(letter, base[letter], vat[letter]) for letter in sorted(base)}


@dataclass(frozen=True, slots=True)
class FiscalReceipt:
    """The FDM's answer to one event: control data to print and the exchange to journal."""

    generation: int
    fdm_id: str
    fdm_datetime: datetime
    event_label: str
    event_counter: int
    total_counter: int
    signature: str
    request: str
    reply: str
    vat: dict[str, VatAmounts] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    vsc_id: str = ""
    plu_hash: str = ""
    short_signature: str = ""
    verification_url: str = ""
    footer: tuple[str, ...] = ()
    buffer_capacity_used: Decimal | None = None

    @property
    def printed_counters(self) -> str:
        return f"{self.event_counter}/{self.total_counter} {self.event_label}"

    @property
    def reference(self) -> FiscalReference:
        return FiscalReference(
            self.fdm_id, self.fdm_datetime, self.event_label, self.event_counter, self.total_counter
        )


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    generation: int
    fdm_id: str
    firmware: str
    ready: bool
    condition: str
    vsc_id: str = ""


@runtime_checkable
class FiscalModule(Protocol):
    """What the POS needs from an FDM."""

    generation: int

    def start(self) -> DeviceInfo:
        """Status and identification, as required after every POS (re)start."""
        ...

    def status(self) -> DeviceInfo: ...

    def unlock(self, pin: str) -> None:
        """Give the PIN the FDM asked for (SCE 1.0 VSC); a no-op where the FDM needs none."""
        ...

    def supports(self, kind: EventKind) -> bool:
        """Whether this generation signs events of ``kind`` (SCE 1.0 journals the others only)."""
        ...

    def prepare(self, event: FiscalEvent) -> str:
        """What to keep durably before sending ``event`` so it can be re-sent identically after a crash
        (SCE 1.0: the exact H request with its sequence number; SCE 2.0: nothing, the event suffices)."""
        ...

    def sign(self, event: FiscalEvent, prepared: str = "") -> FiscalReceipt:
        """Sign ``event``, sending exactly ``prepared`` when given (from :meth:`prepare`)."""
        ...

    def resume(self, event: FiscalEvent, prepared: str) -> FiscalReceipt:
        """Send a prepared event again after a crash; the FDM answers what it signed, never signs twice."""
        ...
