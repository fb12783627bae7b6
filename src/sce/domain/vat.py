"""VAT letters and rates, the per-product eat-in/take-away letter, per-line VAT and totals per letter.

Letters (MB art. 18): A 21 %, B 12 %, C 6 %, D 0 %, X outside the scope of VAT. Prices include VAT; the
VAT of a line is round_half_up(P x t / (100 + t)) to the cent, the base is P - VAT, and totals per letter
are sums of line figures (the same computation the FDM makes, so a ticket agrees with its control data).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from sce.domain.errors import DomainError
from sce.domain.money import Money


class VatLetter(StrEnum):
    A = "A"
    B = "B"
    C = "C"
    D = "D"
    X = "X"

    @property
    def rate(self) -> Decimal:
        """The rate in percent (X, outside the scope of VAT, carries none)."""
        return RATES[self]

    @classmethod
    def parse(cls, value: str, field: str = "vat") -> VatLetter:
        try:
            return cls(value.strip().upper())
        except ValueError:
            raise DomainError(field, "UNKNOWN_VAT_LETTER", f"{value!r} is not one of A, B, C, D, X") from None


RATES: dict[VatLetter, Decimal] = {
    VatLetter.A: Decimal(21),
    VatLetter.B: Decimal(12),
    VatLetter.C: Decimal(6),
    VatLetter.D: Decimal(0),
    VatLetter.X: Decimal(0),
}


class Consumption(StrEnum):
    """Where the customer consumes: the same product can carry another rate (a meal 12 %, take-away 6 %)."""

    EAT_IN = "EAT_IN"
    TAKE_AWAY = "TAKE_AWAY"


@dataclass(frozen=True, slots=True)
class ProductVat:
    """The VAT letter of a product when eaten in and when taken away."""

    eat_in: VatLetter
    take_away: VatLetter

    @classmethod
    def single(cls, letter: VatLetter) -> ProductVat:
        return cls(letter, letter)

    def letter(self, consumption: Consumption) -> VatLetter:
        return self.eat_in if consumption is Consumption.EAT_IN else self.take_away


def line_vat(total: Money, letter: VatLetter) -> Money:
    """VAT included in a line total: P x t / (100 + t), half-up (away from zero) to the cent."""
    rate = letter.rate
    vat = (total.euros * rate / (100 + rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Money.from_decimal(vat)


@dataclass(frozen=True, slots=True)
class VatTotal:
    """Taxable base and VAT of one letter (signed); ``total`` includes VAT."""

    letter: VatLetter
    base: Money
    vat: Money

    @property
    def total(self) -> Money:
        return self.base + self.vat


def vat_totals(lines: Iterable[tuple[VatLetter, Money]]) -> dict[VatLetter, VatTotal]:
    """Per letter (sorted A..X): Σ base and Σ VAT of ``(letter, line total incl. VAT)`` pairs."""
    base: dict[VatLetter, Money] = {}
    vat: dict[VatLetter, Money] = {}
    for letter, total in lines:
        amount = line_vat(total, letter)
        vat[letter] = vat.get(letter, Money(0)) + amount
        base[letter] = base.get(letter, Money(0)) + (total - amount)
    return {letter: VatTotal(letter, base[letter], vat[letter]) for letter in sorted(base)}
