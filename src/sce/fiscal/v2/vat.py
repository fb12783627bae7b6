"""The FDM's VAT computation (MB arts 65-66): per label over all lines, VAT = P x t / (100 + t), half up.

Money is :class:`~decimal.Decimal` throughout; only the GraphQL output layer turns it into floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

CENT = Decimal("0.01")
LABEL_ORDER = ("A", "B", "C", "D", "X")
DEFAULT_RATES: dict[str, Decimal] = {
    "A": Decimal("21"),
    "B": Decimal("12"),
    "C": Decimal("6"),
    "D": Decimal("0"),
    "X": Decimal("0"),
}


@dataclass(frozen=True, slots=True)
class VatCalc:
    """One entry of ``vatCalc``: what the FDM computed for one VAT label of a sale."""

    label: str
    rate: Decimal
    taxable_amount: Decimal
    vat_amount: Decimal
    total_amount: Decimal
    out_of_scope: bool

    def as_graphql(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "rate": float(self.rate),
            "taxableAmount": float(self.taxable_amount),
            "vatAmount": float(self.vat_amount),
            "totalAmount": float(self.total_amount),
            "outOfScope": self.out_of_scope,
        }


def money(value: float | int | str | Decimal) -> Decimal:
    """A wire amount as Decimal (via ``str`` for floats, never binary float arithmetic)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def vat_for(label: str, total: Decimal, rates: Mapping[str, Decimal] = DEFAULT_RATES) -> VatCalc:
    """VAT = round_half_up(P x t / (100 + t), 2) (away from zero), base = P - VAT; X is out of scope."""
    rate = rates[label]
    total = total.quantize(CENT, rounding=ROUND_HALF_UP)
    if label == "X":
        vat = Decimal("0.00")
    else:
        vat = (total * rate / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
    return VatCalc(label, rate, total - vat, vat, total, label == "X")


def _product_vats(product: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    yield from product.get("vats") or ()


def label_totals(transaction: Mapping[str, Any]) -> dict[str, Decimal]:
    """P per label: Σ over all lines and sub-products of ``price`` + Σ ``priceChanges.amount``."""
    totals: dict[str, Decimal] = {}
    for line in transaction.get("transactionLines") or ():
        products = [line["mainProduct"], *(line.get("subProducts") or ())]
        for product in products:
            for vat in _product_vats(product):
                part = money(vat["price"]) + sum(
                    (money(change["amount"]) for change in vat.get("priceChanges") or ()), Decimal(0)
                )
                totals[vat["label"]] = totals.get(vat["label"], Decimal(0)) + part
    return totals


def vat_calc(transaction: Mapping[str, Any], rates: Mapping[str, Decimal] = DEFAULT_RATES) -> list[VatCalc]:
    """One entry per label occurring in the transaction, in the order A, B, C, D, X."""
    totals = label_totals(transaction)
    return [vat_for(label, totals[label], rates) for label in LABEL_ORDER if label in totals]
