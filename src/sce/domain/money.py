"""Money: euro amounts as whole cents, their parsing and Belgian cash rounding to 5 cents.

An amount is never a float. Multiplying by a quantity rounds half-up (away from zero on ties) to the cent.
Cash rounding follows the Code of Economic Law arts VI.7/1-VI.7/2 (MB art. 39): final digit 1, 2, 6, 7
down, 3, 4, 8, 9 up; an amount under 5 cents is never rounded; only cash payments are rounded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sce.domain.errors import DomainError

_AMOUNT = re.compile(r"([+-]?)(\d{1,3}(?:[ .]\d{3})+|\d+)(?:,(\d{1,2})|\.(\d{1,2}))?")
_MAX_CENTS = 99_999_999_999  # 999 999 999.99 EUR, the largest amount an FDM accepts


def _check_cents(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(field, "NOT_INTEGER_CENTS", f"{value!r} is not a whole number of cents")
    if abs(value) > _MAX_CENTS:
        raise DomainError(field, "OUT_OF_RANGE", "at most 999 999 999.99 EUR")
    return value


@dataclass(frozen=True, order=True, slots=True)
class Money:
    """A signed amount of euro in cents."""

    cents: int

    def __post_init__(self) -> None:
        _check_cents(self.cents, "cents")

    @classmethod
    def parse(cls, text: str, field: str = "amount") -> Money:
        """Read ``12.50``, ``12,5``, ``-3``, ``1.234,56``, ``1 234.56`` (``€`` allowed); 2 decimals at most.

        Digits grouped with dots must be followed by comma decimals (``1.234,00``): ``1.234`` alone is
        refused as ambiguous. Spaces may group digits anywhere.
        """
        if not isinstance(text, str):
            raise DomainError(field, "NOT_TEXT", f"{text!r} is not a text")
        cleaned = text.strip().removeprefix("€").removesuffix("EUR").removesuffix("€").strip()
        match = _AMOUNT.fullmatch(cleaned)
        if match is None:
            raise DomainError(field, "INVALID_FORMAT", f"{text!r} is not an amount with at most 2 decimals")
        sign, whole, comma_cents, dot_cents = match.groups()
        if "." in whole and comma_cents is None:
            raise DomainError(field, "INVALID_FORMAT", f"{text!r}: write 1.234,00 or 1234.00")
        digits = whole.replace(" ", "").replace(".", "")
        fraction = (comma_cents or dot_cents or "").ljust(2, "0")
        cents = int(digits) * 100 + int(fraction or "0")
        return cls(_check_cents(-cents if sign == "-" else cents, field))

    @classmethod
    def from_decimal(cls, value: Decimal, field: str = "amount") -> Money:
        """Euro as a Decimal, rounded half-up to the cent."""
        if not isinstance(value, Decimal):
            raise DomainError(field, "NOT_DECIMAL", f"{value!r} must be a Decimal, never a float")
        if not value.is_finite():
            raise DomainError(field, "NOT_FINITE", f"{value!r}")
        try:
            cents = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        except InvalidOperation as exc:
            raise DomainError(field, "OUT_OF_RANGE", str(value)) from exc
        return cls(_check_cents(cents, field))

    @classmethod
    def sum(cls, amounts: Iterable[Money]) -> Money:
        return cls(sum((amount.cents for amount in amounts), 0))

    @property
    def euros(self) -> Decimal:
        """The amount in euro with two decimals."""
        return Decimal(self.cents).scaleb(-2)

    def times(self, quantity: Decimal | int) -> Money:
        """This unit price times a quantity (3 decimals for weights), half-up to the cent."""
        if isinstance(quantity, bool) or not isinstance(quantity, Decimal | int):
            raise DomainError("quantity", "NOT_DECIMAL", f"{quantity!r} must be a Decimal or an int")
        return Money.from_decimal(self.euros * quantity)

    def allocate(self, parts: int) -> tuple[Money, ...]:
        """Split into ``parts`` amounts that differ by at most one cent and add up to this amount."""
        if parts < 1:
            raise DomainError("parts", "AT_LEAST_ONE", f"{parts} parts")
        share, rest = divmod(abs(self.cents), parts)
        sign = -1 if self.cents < 0 else 1
        return tuple(Money(sign * (share + (1 if index < rest else 0))) for index in range(parts))

    def is_zero(self) -> bool:
        return self.cents == 0

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.cents + other.cents)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.cents - other.cents)

    def __neg__(self) -> Money:
        return Money(-self.cents)

    def __abs__(self) -> Money:
        return Money(abs(self.cents))

    def __str__(self) -> str:
        return f"{self.euros:.2f}"


ZERO = Money(0)


@dataclass(frozen=True, slots=True)
class CashRounding:
    """A cash amount due and what is actually paid in cash.

    ``adjustment`` = rounded - exact (added to what the customer pays, in -2..+2 cents);
    ``rounding_line`` = exact - rounded, the ROUNDING payment line that makes the payments add up to the
    exact amount due.
    """

    exact: Money
    rounded: Money

    @property
    def adjustment(self) -> Money:
        return self.rounded - self.exact

    @property
    def rounding_line(self) -> Money:
        return self.exact - self.rounded


def round_cash(amount: Money) -> CashRounding:
    """Round a cash amount to 5 cents, half-up on the absolute value (a refund is rounded like a sale)."""
    size = abs(amount.cents)
    if size < 5:
        return CashRounding(amount, amount)
    remainder = size % 5
    rounded = size - remainder if remainder <= 2 else size + 5 - remainder
    return CashRounding(amount, Money(rounded if amount.cents >= 0 else -rounded))
