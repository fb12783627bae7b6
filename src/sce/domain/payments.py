"""Payments of a sale: methods, tips, change and the cash rounding line, and the settlement check.

The payment lines of a sale are PAYMENT lines per method (without tips), TIP lines, a negative cash
PAYMENT line for the change given and a ROUNDING line when cash was rounded to 5 cents (MB art. 39). They
add up to the sale total plus the tips: Σ payment lines = total + tips. Only cash is rounded, and only the
part of the amount due that is paid in cash.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sce.domain.errors import DomainError
from sce.domain.money import ZERO, Money, round_cash


class PaymentMethod(StrEnum):
    CASH = "CASH"
    CARD = "CARD"
    DEBIT_CARD = "DEBIT_CARD"
    CREDIT_CARD = "CREDIT_CARD"
    MEAL_CHEQUE = "MEAL_CHEQUE"
    VOUCHER = "VOUCHER"
    ONLINE = "ONLINE"
    APP = "APP"
    CUSTOMER_CREDIT = "CUSTOMER_CREDIT"
    ROOM_CREDIT = "ROOM_CREDIT"
    OTHER = "OTHER"

    @property
    def fiscal_type(self) -> str:
        """The SCE 2.0 ``PaymentType`` of this method."""
        return _FISCAL_TYPES[self]


_FISCAL_TYPES: dict[PaymentMethod, str] = {
    PaymentMethod.CASH: "CASH",
    PaymentMethod.CARD: "CARD_UNKNOWN",
    PaymentMethod.DEBIT_CARD: "CARD_DEBIT",
    PaymentMethod.CREDIT_CARD: "CARD_CREDIT",
    PaymentMethod.MEAL_CHEQUE: "CHEQUE_MEAL",
    PaymentMethod.VOUCHER: "VOUCHER_OTHER",
    PaymentMethod.ONLINE: "ONLINE",
    PaymentMethod.APP: "APP",
    PaymentMethod.CUSTOMER_CREDIT: "CUSTOMER_CREDIT",
    PaymentMethod.ROOM_CREDIT: "ROOM_CREDIT",
    PaymentMethod.OTHER: "OTHER",
}


class PaymentLineKind(StrEnum):
    PAYMENT = "PAYMENT"
    TIP = "TIP"
    ROUNDING = "ROUNDING"


@dataclass(frozen=True, slots=True)
class Tender:
    """Money received (or, for a refund, paid back) through one method; cash may exceed what is due."""

    method: PaymentMethod
    amount: Money


@dataclass(frozen=True, slots=True)
class Tip:
    """A tip and the method it is paid with (it is part of that method's tender)."""

    method: PaymentMethod
    amount: Money

    def __post_init__(self) -> None:
        if self.amount.cents <= 0:
            raise DomainError("tips.amount", "NOT_POSITIVE", "a tip is more than 0.00")


@dataclass(frozen=True, slots=True)
class PaymentLine:
    kind: PaymentLineKind
    method: PaymentMethod
    amount: Money
    is_change: bool = False


@dataclass(frozen=True, slots=True)
class Settlement:
    """The payment lines of one sale, checked by :func:`check_settlement` when built."""

    total: Money
    tips: Money
    lines: tuple[PaymentLine, ...]

    def __post_init__(self) -> None:
        check_settlement(self.total, self.tips, self.lines)

    @property
    def change(self) -> Money:
        return -Money.sum(line.amount for line in self.lines if line.is_change)

    @property
    def rounding(self) -> Money:
        return Money.sum(line.amount for line in self.lines if line.kind is PaymentLineKind.ROUNDING)

    def by_method(self) -> dict[PaymentMethod, Money]:
        """Net amount per method (payments, tips and change), rounding lines left out."""
        result: dict[PaymentMethod, Money] = {}
        for line in self.lines:
            if line.kind is not PaymentLineKind.ROUNDING:
                result[line.method] = result.get(line.method, ZERO) + line.amount
        return result


def check_settlement(total: Money, tips: Money, lines: Sequence[PaymentLine]) -> None:
    """Σ payment lines = total + tips; tips equal the TIP lines; only cash has change or rounding."""
    paid = Money.sum(line.amount for line in lines)
    if paid != total + tips:
        raise DomainError("payments", "SUM_MISMATCH", f"payments {paid} != total {total} + tips {tips}")
    tip_lines = Money.sum(line.amount for line in lines if line.kind is PaymentLineKind.TIP)
    if tip_lines != tips:
        raise DomainError("tips", "SUM_MISMATCH", f"tip lines {tip_lines} != tips {tips}")
    for index, line in enumerate(lines):
        special = line.is_change or line.kind is PaymentLineKind.ROUNDING
        if special and line.method is not PaymentMethod.CASH:
            raise DomainError(f"payments[{index}].method", "CASH_ONLY", "only cash has change or rounding")


def settle(total: Money, tenders: Sequence[Tender], tips: Sequence[Tip] = ()) -> Settlement:
    """The payment lines for ``total`` (incl. VAT) paid with ``tenders``, tips included in those tenders.

    Non-cash tenders are taken as exact amounts and may not exceed what is due; the cash part of what is
    left is rounded to 5 cents and any cash handed over above it is given back as change.
    """
    tip_total = Money.sum(tip.amount for tip in tips)
    due = total + tip_total
    cash_in = Money.sum(t.amount for t in tenders if t.method is PaymentMethod.CASH)
    other = Money.sum(t.amount for t in tenders if t.method is not PaymentMethod.CASH)
    if any(t.amount.is_zero() for t in tenders):
        raise DomainError("tenders.amount", "ZERO_AMOUNT", "a tender of 0.00 is no payment")
    if any((t.amount.cents < 0) != (due.cents < 0) for t in tenders):
        raise DomainError("tenders.amount", "WRONG_SIGN", "a sale is paid, a refund is paid back")
    has_cash = any(t.method is PaymentMethod.CASH for t in tenders)
    if abs(other) > abs(due) or (not has_cash and other != due):
        raise DomainError("tenders", "SUM_MISMATCH", f"non-cash {other} for {due} due without change")
    lines: list[PaymentLine] = []
    tip_left: dict[PaymentMethod, Money] = {}
    for tip in tips:
        tip_left[tip.method] = tip_left.get(tip.method, ZERO) + tip.amount
    for tip_method, tip_amount in tip_left.items():
        covered = Money.sum(t.amount for t in tenders if t.method is tip_method)
        if covered < tip_amount:
            raise DomainError(
                "tips.method", "NOT_TENDERED", f"{tip_method} pays {covered}, tip is {tip_amount}"
            )
    for tender in tenders:
        part = max(ZERO, min(tip_left.get(tender.method, ZERO), tender.amount))
        tip_left[tender.method] = tip_left.get(tender.method, ZERO) - part
        if tender.amount != part:
            lines.append(PaymentLine(PaymentLineKind.PAYMENT, tender.method, tender.amount - part))
    lines.extend(PaymentLine(PaymentLineKind.TIP, tip.method, tip.amount) for tip in tips)
    if has_cash:
        rounding = round_cash(due - other)
        change = cash_in - rounding.rounded
        if (change.cents < 0 and due.cents >= 0) or (due.cents < 0 and not change.is_zero()):
            raise DomainError("tenders", "UNDERPAID", f"cash {cash_in} for {rounding.rounded} due in cash")
        if not change.is_zero():
            lines.append(PaymentLine(PaymentLineKind.PAYMENT, PaymentMethod.CASH, -change, is_change=True))
        if not rounding.rounding_line.is_zero():
            lines.append(PaymentLine(PaymentLineKind.ROUNDING, PaymentMethod.CASH, rounding.rounding_line))
    return Settlement(total, tip_total, tuple(lines))
