"""SCE 1.0 PLU hash: normalised 33-character line strings, SHA-1 over the order, last 8 characters printed.

Line string = quantity (4) + description (20) + price (8) + VAT letter (1):
quantity in base units (grams for kg, millilitres for l), absolute, rounded half-up, last 4 digits;
description = the first 20 characters of the normalised name; price = line total incl. VAT after
discount in cents, ``round_half_up(unit price x quantity, 2)``, absolute, last 8 digits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: Conversion of a unit of measure to the base unit used in the quantity field.
UOM_FACTORS: dict[str, int] = {"unit": 1, "g": 1, "kg": 1000, "ml": 1, "l": 1000}

_REPLACEMENTS: dict[str, str] = {}
for _chars, _target in (
    ("ÄÅÂÁÀâäáàã", "A"),
    ("Ææ", "AE"),
    ("ß", "SS"),
    ("çÇ", "C"),
    ("ÎÏÍÌïîìí", "I"),
    ("€", "E"),
    ("ÊËÉÈêëéè", "E"),
    ("ÛÜÚÙüûúù", "U"),
    ("ÔÖÓÒöôóò", "O"),
    ("Œœ", "OE"),
    ("ñÑ", "N"),
    ("ýÝÿ", "Y"),
):
    for _char in _chars:
        _REPLACEMENTS[_char] = _target
for _code in range(ord("a"), ord("z") + 1):
    _REPLACEMENTS[chr(_code)] = chr(_code).upper()
_TRANSLATION = str.maketrans(_REPLACEMENTS)
_KEPT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")

EMPTY_ORDER_SHA1 = hashlib.sha1(b"").hexdigest()


def replace_characters(text: str) -> str:
    """Step 1 of the normalisation: the replacement table (accents, ligatures, lower case)."""
    return text.translate(_TRANSLATION)


def normalise(text: str) -> str:
    """Replacement table, then drop everything that is not A-Z or 0-9."""
    return "".join(ch for ch in replace_characters(text) if ch in _KEPT)


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    """Round away from zero on ties, on the absolute value (Decision c)."""
    quantum = Decimal(1).scaleb(-places)
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def _last_digits(value: Decimal, width: int) -> str:
    number = int(round_half_up(abs(value)))
    return str(number).zfill(width)[-width:]


def quantity_field(quantity: Decimal) -> str:
    """Quantity already in base units: absolute, rounded half-up, last 4 digits, zero-padded."""
    return _last_digits(quantity, 4)


def price_field(cents: Decimal) -> str:
    """Line total in cents: absolute, rounded half-up, last 8 digits, zero-padded."""
    return _last_digits(cents, 8)


def description_field(name: str) -> str:
    """First 20 characters of the normalised name, right-padded with spaces."""
    return normalise(name)[:20].ljust(20)


def to_base_units(quantity: Decimal, uom: str) -> Decimal:
    try:
        factor = UOM_FACTORS[uom]
    except KeyError:
        raise ValueError(
            f"uom: unknown unit of measure {uom!r} (expected one of {sorted(UOM_FACTORS)})"
        ) from None
    return quantity * factor


@dataclass(frozen=True, slots=True)
class PluLine:
    """One order line as the PLU hash sees it. ``unit_price`` includes VAT."""

    name: str
    unit_price: Decimal
    quantity: Decimal
    vat: str
    uom: str = "unit"

    def __post_init__(self) -> None:
        if self.vat not in ("A", "B", "C", "D"):
            raise ValueError(f"vat: letter {self.vat!r} is not A, B, C or D (SCE 1.0 has no X)")
        if self.uom not in UOM_FACTORS:
            raise ValueError(f"uom: unknown unit of measure {self.uom!r}")

    @property
    def line_total(self) -> Decimal:
        """``round_half_up(unit price x quantity, 2)``, signed."""
        return round_half_up(self.unit_price * self.quantity, 2)

    def line_string(self) -> str:
        return (
            quantity_field(to_base_units(self.quantity, self.uom))
            + description_field(self.name)
            + price_field(self.line_total * 100)
            + self.vat
        )


def hash_input(lines: Iterable[PluLine]) -> str:
    return "".join(line.line_string() for line in lines)


def plu_sha1(lines: Iterable[PluLine]) -> str:
    """Lower-case hex SHA-1 over the UTF-8 of the concatenated line strings."""
    return hashlib.sha1(hash_input(lines).encode("utf-8")).hexdigest()


def plu8(sha1_hex: str) -> str:
    """The part printed on the ticket: the last 8 hex characters."""
    return sha1_hex[-8:]


def plu_field(sha1_hex: str, *, short: bool = False) -> str:
    """The 40-character H field: the full SHA-1 (default) or 32 spaces + the last 8 (Decision b)."""
    if len(sha1_hex) != 40:
        raise ValueError("plu: a SHA-1 has 40 hex characters")
    return (" " * 32 + sha1_hex[-8:]) if short else sha1_hex
