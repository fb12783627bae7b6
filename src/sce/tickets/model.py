"""The ticket model: what one print shows, built from a journaled event, its FDM answer and the settings.

One :class:`Ticket` serves every renderer. Its kind decides the labels (MB art. 38; ``regulation.md``
§ 6.4): only a signed sale or refund (and, in 1.0, a work in/out signed as NS) is a VAT ticket; only a
VAT ticket carries the signature (1.0) or the short signature and QR code (2.0); every other print ends
with "this is not a valid VAT ticket" (an invoice too, see :mod:`sce.tickets.invoice`). The VAT per
letter of a 2.0 ticket is the FDM's ``vatCalc``, never our own figures (§ 6.3 m-n).

A money in/out and a payment correction print a slip without product lines: the money in/out shows its
amount and reason, the payment correction the negated old payments, the new ones and the corrected sale.
An SCE 1.0 FDM registers neither, so their 1.0 slip carries no control data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sce.domain.identifiers import (
    validate_establishment_number,
    validate_pos_production_number,
    validate_vat_number,
)
from sce.domain.money import Money
from sce.domain.vat import VatLetter
from sce.fiscal.port import (
    VAT_RATES,
    EventKind,
    FiscalCostCenter,
    FiscalEvent,
    FiscalLine,
    FiscalPayment,
    FiscalReceipt,
    FiscalReference,
    VatAmounts,
    split_vat,
)
from sce.tickets.i18n import Lang, parse_language

GENERATIONS = (1, 2)


class TicketError(ValueError):
    """A ticket that must not be printed as asked (unsigned VAT ticket, wrong language, unknown event)."""


class TicketKind(StrEnum):
    VAT = "VAT"
    REFUND = "REFUND"
    PRO_FORMA = "PRO_FORMA"
    PROVISIONAL_BILL = "PROVISIONAL_BILL"
    TRAINING = "TRAINING"
    COPY = "COPY"
    WORK_IN = "WORK_IN"
    WORK_OUT = "WORK_OUT"
    INVOICE = "INVOICE"
    MONEY_IN_OUT = "MONEY_IN_OUT"
    PAYMENT_CORRECTION = "PAYMENT_CORRECTION"


#: The label printed under the title, as an English message id of the ticket catalogue.
KIND_LABELS: dict[TicketKind, str] = {
    TicketKind.VAT: "",
    TicketKind.REFUND: "REFUND",
    TicketKind.PRO_FORMA: "PRO FORMA",
    TicketKind.PROVISIONAL_BILL: "PROVISIONAL BILL",
    TicketKind.TRAINING: "TRAINING",
    TicketKind.COPY: "COPY",
    TicketKind.WORK_IN: "WORK IN",
    TicketKind.WORK_OUT: "WORK OUT",
    TicketKind.INVOICE: "INVOICE",
    TicketKind.MONEY_IN_OUT: "MONEY IN",
    TicketKind.PAYMENT_CORRECTION: "PAYMENT CORRECTION",
}
#: The label of a money in/out slip whose amount is negative (cash taken out of the drawer).
MONEY_OUT = "MONEY OUT"
_EVENT_KINDS = {
    EventKind.WORK_IN: TicketKind.WORK_IN,
    EventKind.WORK_OUT: TicketKind.WORK_OUT,
    EventKind.MONEY_IN_OUT: TicketKind.MONEY_IN_OUT,
    EventKind.PAYMENT_CORRECTION: TicketKind.PAYMENT_CORRECTION,
}
#: Events whose payment lines are no sale's payments: a negative cash line is never change given.
_PAYMENT_EVENTS = frozenset({EventKind.MONEY_IN_OUT, EventKind.PAYMENT_CORRECTION})


@dataclass(frozen=True, slots=True)
class TicketSettings:
    """Issuer, establishment and POS data printed on every ticket, read once from the configuration.

    ``generation`` is the SCE generation of the FDM in use; a 1.0 register may carry a legacy 14-character
    production number.
    """

    generation: int
    issuer_name: str
    issuer_address: tuple[str, ...]
    vat_number: str
    establishment_name: str
    establishment_number: str
    pos_production_number: str
    software_version: str
    terminal_id: str
    device_id: str
    language: Lang

    def __post_init__(self) -> None:
        if self.generation not in GENERATIONS:
            raise TicketError(f"generation: {self.generation} is not 1 or 2")
        object.__setattr__(self, "vat_number", validate_vat_number(self.vat_number))
        if self.generation == 2 or self.establishment_number:
            number = validate_establishment_number(self.establishment_number)
            object.__setattr__(self, "establishment_number", number)
        validate_pos_production_number(self.pos_production_number, legacy=self.generation == 1)
        for name in ("issuer_name", "establishment_name", "software_version", "terminal_id"):
            if not getattr(self, name).strip():
                raise TicketError(f"{name}: required on every ticket")
        if not self.issuer_address:
            raise TicketError("issuer_address: required on every ticket")
        if self.generation == 2 and not self.device_id.strip():
            raise TicketError("device_id: required on an SCE 2.0 ticket")


@dataclass(frozen=True, slots=True)
class TicketLine:
    """One product line: quantity, description, unit price, line total (after price changes), VAT letter."""

    description: str
    quantity: Decimal
    unit_price: Money
    total: Money
    vat: VatLetter

    @property
    def price_change(self) -> Money:
        """What the line total differs from quantity x unit price (a discount is negative)."""
        return self.total - self.unit_price.times(self.quantity)


@dataclass(frozen=True, slots=True)
class TicketVatRow:
    """Taxable base and VAT of one letter, as the FDM computed them (2.0) or as the 1.0 FDM was told."""

    letter: VatLetter
    rate: Decimal
    base: Money
    vat: Money

    @property
    def total(self) -> Money:
        return self.base + self.vat


class PaymentRole(StrEnum):
    PAYMENT = "PAYMENT"
    CHANGE = "CHANGE"
    TIP = "TIP"
    ROUNDING = "ROUNDING"
    MONEY_IN_OUT = "MONEY_IN_OUT"


@dataclass(frozen=True, slots=True)
class TicketPayment:
    """One payment line: a payment per method, the change given, a tip, the cash rounding, or cash put in
    or taken out of the drawer (``name`` is then the reason)."""

    role: PaymentRole
    method: str
    name: str
    amount: Money


@dataclass(frozen=True, slots=True)
class ControlData:
    """The FDM's control data as printed; signatures and the verification URL only on a VAT ticket."""

    generation: int
    fdm_id: str
    fdm_datetime: datetime
    event_label: str
    event_counter: int
    total_counter: int
    signature: str = ""
    vsc_id: str = ""
    plu_hash: str = ""
    short_signature: str = ""
    verification_url: str = ""

    @property
    def counters(self) -> str:
        """``141/154 NS``: the counter of the label, the total counter and the label."""
        return f"{self.event_counter}/{self.total_counter} {self.event_label}"


@dataclass(frozen=True, slots=True)
class InvoiceCustomer:
    """The customer an invoice is made out to (art. 5 KB no. 1): name, address and, if any, VAT number."""

    name: str
    address: str
    vat_no: str = ""


@dataclass(frozen=True, slots=True)
class InvoicedTicket:
    """One VAT ticket an invoice covers: its POS number and date, its product lines and total, and the
    FDM's reference of it (printed as the control data of an SCE 1.0 invoice, which the FDM never sees)."""

    ticket_number: int
    pos_datetime: datetime
    lines: tuple[TicketLine, ...]
    total: Money
    reference: FiscalReference | None = None


@dataclass(frozen=True, slots=True)
class Ticket:
    """Everything one print shows, in the order of the law's lists; renderers only lay it out."""

    kind: TicketKind
    settings: TicketSettings
    user_alias: str
    ticket_number: int
    pos_datetime: datetime
    lines: tuple[TicketLine, ...]
    total: Money
    vat_rows: tuple[TicketVatRow, ...]
    payments: tuple[TicketPayment, ...]
    control: ControlData | None
    reference: FiscalReference | None = None
    cost_center: FiscalCostCenter | None = None
    footer: tuple[str, ...] = ()
    show_amounts: bool = True
    invoice_number: str = ""
    customer: InvoiceCustomer | None = None
    invoiced: tuple[InvoicedTicket, ...] = ()

    @property
    def generation(self) -> int:
        return self.settings.generation

    @property
    def language(self) -> Lang:
        return self.settings.language

    @property
    def is_vat_ticket(self) -> bool:
        """A signed sale or refund; in 1.0 also a work in/out, which the FDM signs as an NS ticket."""
        if self.kind in (TicketKind.VAT, TicketKind.REFUND):
            return True
        if self.kind in (TicketKind.WORK_IN, TicketKind.WORK_OUT) and self.generation == 1:
            return self.control is not None and self.control.event_label == "NS"
        return False

    @property
    def labels(self) -> tuple[str, ...]:
        """The title and labels (message ids) printed at the top, in order; a money in/out slip says
        "MONEY IN" or "MONEY OUT" after the sign of its amount."""
        label = KIND_LABELS[self.kind]
        if self.kind is TicketKind.MONEY_IN_OUT and self.total.cents < 0:
            label = MONEY_OUT
        head = ("VAT TICKET",) if self.is_vat_ticket else ()
        return (*head, label) if label else head


def _money(value: Decimal) -> Money:
    return Money.from_decimal(value)


def _line(line: FiscalLine) -> TicketLine:
    return TicketLine(
        description=line.name,
        quantity=line.quantity,
        unit_price=_money(line.unit_price),
        total=_money(line.total),
        vat=VatLetter(line.vat),
    )


def _payment(payment: FiscalPayment, change: bool) -> TicketPayment:
    """A negative cash line is the change given on a sale (``change``), the money paid back on a refund, the
    cash taken out on a money out, an old payment taken back on a payment correction."""
    amount = _money(payment.amount)
    if payment.kind in ("TIP", "ROUNDING", "MONEY_IN_OUT"):
        role = PaymentRole(payment.kind)
    elif payment.method == "CASH" and amount.cents < 0 and change:
        role = PaymentRole.CHANGE
    else:
        role = PaymentRole.PAYMENT
    return TicketPayment(role, payment.method, payment.name, amount)


def _vat_rows(amounts: dict[str, VatAmounts]) -> tuple[TicketVatRow, ...]:
    return tuple(
        TicketVatRow(VatLetter(letter), VAT_RATES[letter], Money(row.base_cents), Money(row.vat_cents))
        for letter, row in sorted(amounts.items())
    )


def _kind(event: FiscalEvent, receipt: FiscalReceipt | None) -> TicketKind:
    label = receipt.event_label if receipt is not None else ""
    if event.training or label.startswith("T"):
        return TicketKind.TRAINING
    if event.kind is EventKind.COPY or label.startswith("C"):
        return TicketKind.COPY
    if event.kind is EventKind.PRE_BILL:
        return TicketKind.PROVISIONAL_BILL
    if event.kind in (EventKind.ORDER, EventKind.COST_CENTER_CHANGE) or label.startswith("P"):
        return TicketKind.PRO_FORMA
    if event.kind in _EVENT_KINDS:
        return _EVENT_KINDS[event.kind]
    if event.kind is EventKind.SALE:
        refund = label == "NR" or event.total_cents < 0
        return TicketKind.REFUND if refund else TicketKind.VAT
    if event.kind is EventKind.INVOICE:
        raise TicketError("INVOICE: an invoice is built from the tickets it covers (build_invoice)")
    raise TicketError(f"{event.kind.value}: no ticket for this event (reports have their own layout)")


def control_data(receipt: FiscalReceipt, vat_ticket: bool) -> ControlData:
    """The FDM's control data as printed: without signature or verification URL unless a VAT ticket."""
    control = ControlData(
        generation=receipt.generation,
        fdm_id=receipt.fdm_id,
        fdm_datetime=receipt.fdm_datetime,
        event_label=receipt.event_label,
        event_counter=receipt.event_counter,
        total_counter=receipt.total_counter,
        signature=receipt.signature if receipt.generation == 1 else "",
        vsc_id=receipt.vsc_id,
        plu_hash=receipt.plu_hash[-8:],
        short_signature=receipt.short_signature,
        verification_url=receipt.verification_url,
    )
    if vat_ticket:
        return control
    return replace(control, signature="", short_signature="", verification_url="")


def checked_alias(
    event: FiscalEvent, receipt: FiscalReceipt | None, settings: TicketSettings, user_alias: str
) -> str:
    """The user alias to print, after the checks every print makes: an alias that is not the INSZ/BIS
    number, the language sent to the FDM and the generation of its answer. Raises :class:`TicketError`."""
    alias = user_alias.strip()
    if not alias:
        raise TicketError("user_alias: the print names the user")
    if alias.replace(" ", "") == event.employee_id:
        raise TicketError("user_alias: a print never shows the INSZ/BIS number")
    if event.language and parse_language(event.language) != settings.language:
        raise TicketError(f"language: the FDM was told {event.language}, the print is {settings.language}")
    if receipt is not None and receipt.generation != settings.generation:
        raise TicketError(
            f"generation: the receipt is SCE {receipt.generation}.0, the POS is set up otherwise"
        )
    return alias


def build_ticket(
    event: FiscalEvent,
    receipt: FiscalReceipt | None,
    settings: TicketSettings,
    user_alias: str,
    *,
    interrupted: bool = False,
) -> Ticket:
    """The ticket of ``event`` as signed by the FDM (``receipt``), or of an unsigned print.

    ``user_alias`` is the name the company knows the user by, never the INSZ/BIS number sent to the FDM.
    ``interrupted`` prints an interrupted sale without amounts (MB art. 6). The total of a money in/out is
    its amount; a payment correction has no product lines and totals zero. A money in/out or payment
    correction without ``receipt`` (SCE 1.0, whose FDM registers neither) prints without control data.
    Raises :class:`TicketError` for a VAT ticket without the FDM's signature, a language other than the
    one sent to the FDM, or an alias that is the employee number.
    """
    alias = checked_alias(event, receipt, settings, user_alias)
    kind = _kind(event, receipt)
    change = event.total_cents >= 0 and event.kind not in _PAYMENT_EVENTS
    payments = tuple(_payment(payment, change) for payment in event.payments)
    total = Money(event.total_cents)
    if not event.lines and payments and all(p.role is PaymentRole.MONEY_IN_OUT for p in payments):
        total = Money.sum(payment.amount for payment in payments)  # a money in/out or its copy
    draft = Ticket(
        kind=kind,
        settings=settings,
        user_alias=alias,
        ticket_number=event.ticket_number,
        pos_datetime=event.pos_datetime,
        lines=tuple(_line(line) for line in event.lines),
        total=total,
        vat_rows=(),
        payments=payments,
        control=None,
        reference=event.reference,
        cost_center=event.cost_center,
        show_amounts=not interrupted,
    )
    if receipt is None:
        if draft.kind in (TicketKind.VAT, TicketKind.REFUND):
            raise TicketError("a VAT ticket is printed only after the FDM signed the event")
        if draft.kind in (TicketKind.WORK_IN, TicketKind.WORK_OUT):
            raise TicketError("a work in/out ticket is printed only after the FDM registered the event")
        return draft
    vat_ticket = replace(draft, control=control_data(receipt, True)).is_vat_ticket
    if vat_ticket and interrupted:
        raise TicketError("a VAT ticket always shows its amounts")
    if vat_ticket:
        signed = receipt.signature if receipt.generation == 1 else receipt.short_signature
        if not signed:
            raise TicketError("a VAT ticket is printed only after the FDM signed the event")
    if receipt.generation == 2:
        vat_rows = _vat_rows(receipt.vat) if vat_ticket else ()
    else:
        vat_rows = _vat_rows(receipt.vat or split_vat(event.lines)) if vat_ticket else ()
    return replace(
        draft,
        vat_rows=vat_rows,
        control=control_data(receipt, vat_ticket),
        footer=receipt.footer if vat_ticket else (),
    )


__all__ = [
    "KIND_LABELS",
    "MONEY_OUT",
    "ControlData",
    "InvoiceCustomer",
    "InvoicedTicket",
    "PaymentRole",
    "Ticket",
    "TicketError",
    "TicketKind",
    "TicketLine",
    "TicketPayment",
    "TicketSettings",
    "TicketVatRow",
    "build_ticket",
    "checked_alias",
    "control_data",
]
