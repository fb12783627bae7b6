"""Domain facts to fiscal events: a paid order, a pro forma order or bill, a work in/out -> ``FiscalEvent``.

The POS services build the event here and hand it to the ``FiscalModule`` port; the adapter of the FDM
generation in use does the rest. Lines go out in the order they were entered, corrections included, never
netted (MB arts 34-35, 41).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sce.domain.catalogue import WORK_IN, WORK_OUT, Language
from sce.domain.errors import DomainError
from sce.domain.identifiers import validate_employee_id
from sce.domain.orders import Order, OrderLine
from sce.domain.payments import PaymentLineKind, Settlement
from sce.fiscal.port import (
    EventKind,
    FiscalCostCenter,
    FiscalEvent,
    FiscalLine,
    FiscalPayment,
    FiscalReference,
)


@dataclass(frozen=True, slots=True)
class EventContext:
    """What every event carries besides its content: number, moment, user, terminal, booking data.

    ``booking_date`` is the booking date of the opening period (its start date), ``language`` the
    language of the ticket and of the FDM's answer (NL, FR or DE).
    """

    ticket_number: int
    at: datetime
    employee_id: str
    terminal_id: str = ""
    training: bool = False
    booking_date: date | None = None
    booking_period_id: str = ""
    language: Language = Language.NL

    def __post_init__(self) -> None:
        if isinstance(self.ticket_number, bool) or self.ticket_number < 1:
            raise DomainError("ticket_number", "AT_LEAST_ONE", str(self.ticket_number))
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise DomainError("at", "NAIVE_DATETIME", "a moment carries its time zone")
        if self.language is Language.EN:
            raise DomainError("language", "NOT_AN_FDM_LANGUAGE", "the FDM speaks NL, FR or DE")
        object.__setattr__(self, "employee_id", validate_employee_id(self.employee_id))


def fiscal_line(line: OrderLine, departments: Mapping[str, str] | None = None) -> FiscalLine:
    """One order line as the port's line; ``departments`` maps department ids to names."""
    return FiscalLine(
        name=line.name,
        quantity=line.quantity,
        unit_price=line.unit_price.euros,
        vat=line.vat.value,
        uom=line.unit.value,
        line_total=line.total.euros,
        product_id=line.product_id,
        department_id=line.department_id,
        department_name=(departments or {}).get(line.department_id, ""),
        neg_reason=line.reason.value
        if line.reason is not None and (line.quantity < 0 or line.is_discount)
        else "",
    )


def fiscal_payments(settlement: Settlement) -> tuple[FiscalPayment, ...]:
    """Payment lines as the port's payments, numbered from 1 in their order."""
    return tuple(
        FiscalPayment(
            method=line.method.fiscal_type,
            amount=line.amount.euros,
            name=("ROUNDING" if line.kind is PaymentLineKind.ROUNDING else line.method.value),
            kind=line.kind.value,
            payment_id=str(index),
        )
        for index, line in enumerate(settlement.lines, start=1)
    )


def _cost_centre(order: Order) -> FiscalCostCenter:
    centre = order.cost_centre
    return FiscalCostCenter(centre.id, centre.type.value, centre.reference or order.order_id)


def _event(
    kind: EventKind,
    ctx: EventContext,
    lines: tuple[FiscalLine, ...] = (),
    *,
    payments: tuple[FiscalPayment, ...] = (),
    cost_center: FiscalCostCenter | None = None,
    reference: FiscalReference | None = None,
) -> FiscalEvent:
    return FiscalEvent(
        kind,
        ctx.ticket_number,
        ctx.at,
        ctx.employee_id,
        lines,
        training=ctx.training,
        terminal_id=ctx.terminal_id,
        language=ctx.language.value,
        booking_period_id=ctx.booking_period_id,
        booking_date=ctx.booking_date,
        payments=payments,
        cost_center=cost_center,
        reference=reference,
    )


def sale_event(
    order: Order,
    settlement: Settlement,
    ctx: EventContext,
    *,
    departments: Mapping[str, str] | None = None,
    reference: FiscalReference | None = None,
) -> FiscalEvent:
    """The normal sale (N) of a paid order; ``reference`` names the original ticket of a refund."""
    if settlement.total != order.total:
        raise DomainError("settlement.total", "TOTAL_MISMATCH", f"{settlement.total} != order {order.total}")
    if order.total.cents < 0 and reference is None and all(line.quantity < 0 for line in order.lines):
        raise DomainError("reference", "REQUIRED", "a refund references the original ticket")
    lines = tuple(fiscal_line(line, departments) for line in order.lines)
    return _event(
        EventKind.SALE,
        ctx,
        lines,
        payments=fiscal_payments(settlement),
        cost_center=_cost_centre(order),
        reference=reference,
    )


def order_event(
    order: Order, ctx: EventContext, *, departments: Mapping[str, str] | None = None
) -> FiscalEvent:
    """The pro forma order (P) of the lines entered since the last signed order of this cost centre."""
    pending = order.pending()
    if not pending:
        raise DomainError("order", "NOTHING_TO_SIGN", "no line since the last signed order")
    lines = tuple(fiscal_line(line, departments) for line in pending)
    return _event(EventKind.ORDER, ctx, lines, cost_center=_cost_centre(order))


def pre_bill_event(
    order: Order, ctx: EventContext, *, departments: Mapping[str, str] | None = None
) -> FiscalEvent:
    """The provisional bill (P, bill overview) with every line of the order."""
    if order.pending():
        raise DomainError("order", "PENDING_LINES", "sign the pending lines before a provisional bill")
    lines = tuple(fiscal_line(line, departments) for line in order.lines)
    return _event(EventKind.PRE_BILL, ctx, lines, cost_center=_cost_centre(order))


def work_event(clock_in: bool, ctx: EventContext) -> FiscalEvent:
    """WORK IN or WORK OUT (S) of the user in ``ctx``, with the reserved zero-priced product line."""
    product = WORK_IN if clock_in else WORK_OUT
    line = FiscalLine(
        name=product.names.get(Language.NL),
        quantity=Decimal(1),
        unit_price=product.price.euros,
        vat=product.vat.eat_in.value,
        product_id=product.id,
        department_id=product.department_id,
    )
    return _event(EventKind.WORK_IN if clock_in else EventKind.WORK_OUT, ctx, (line,))
