"""Euro amounts: parsing JSON numbers into Decimal and formatting them with two decimals, half up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal(0)


def quantize(amount: Decimal) -> Decimal:
    """Round to the cent, half up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(amount: Decimal) -> str:
    """The amount as a string with exactly two decimals (``"25000.00"``)."""
    return str(quantize(amount))


def to_decimal(value: object) -> Decimal | None:
    """A finite Decimal from a JSON number or a numeric string; None when the value is no number.

    Booleans and floats are refused: JSON is read with ``parse_float=Decimal``, so a float here means
    the caller lost precision already.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            return None
    else:
        return None
    if not result.is_finite():
        return None
    return result
