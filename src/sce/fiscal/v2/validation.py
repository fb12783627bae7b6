"""The FDM's input rules beyond GraphQL typing: lengths, formats, check digits, precision, totals, reasons.

:func:`validate` walks the coerced ``data`` argument along its GraphQL input type and raises
:class:`InputRuleError` naming the first field that breaks a rule (``<Input>.<path>``) and the rule.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from graphql import (
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)

from sce.fiscal.v2.identifiers import check_employee_id, check_est_no, check_pos_id, check_vat_no

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")
MAX_TICKET_NO = 999_999_999
MAX_PRICE_CHANGES = 99
_TOLERANCE = Decimal("0.000001")

_RFC3339_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?[+-]\d{2}:\d{2}")
_RFC3339_ANY = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_ISO_CURRENCY = re.compile(r"[A-Z]{3}")


class InputRuleError(Exception):
    """The first field of the input that breaks a rule."""

    def __init__(self, field: str, rule: str, detail: str = "") -> None:
        super().__init__(f"{field}: {rule}{f' ({detail})' if detail else ''}")
        self.field = field
        self.rule = rule
        self.detail = detail


def _length(value: str, low: int, high: int) -> str | None:
    if not low <= len(value) <= high:
        return "INVALID_LENGTH"
    if value != value.strip():
        return "INVALID_FORMAT"
    return None


def _text(value: str) -> str | None:
    return _length(value, 1, 600)


def _pos_date_time(value: str) -> str | None:
    if not _RFC3339_OFFSET.fullmatch(value):
        return "INVALID_FORMAT"
    return _parses_datetime(value)


def _any_date_time(value: str) -> str | None:
    if not _RFC3339_ANY.fullmatch(value):
        return "INVALID_FORMAT"
    return _parses_datetime(value)


def _parses_datetime(value: str) -> str | None:
    text = value.replace("Z", "+00:00")
    main, _, rest = text.partition(".")
    if rest:
        digits = re.match(r"\d+", rest)
        text = main + (rest[digits.end() :] if digits else rest)
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return "INVALID_VALUE"
    return None


def _calendar_date(value: str) -> str | None:
    if not _DATE.fullmatch(value):
        return "INVALID_FORMAT"
    try:
        date.fromisoformat(value)
    except ValueError:
        return "INVALID_VALUE"
    return None


def _guid(value: str) -> str | None:
    return None if _GUID.fullmatch(value) else "INVALID_FORMAT"


def _customer_vat_no(value: str) -> str | None:
    return None if value == "NA" else _text(value)


def _iso(value: str) -> str | None:
    return None if _ISO_CURRENCY.fullmatch(value) else "INVALID_FORMAT"


_STRING_RULES: dict[str, Callable[[str], str | None]] = {
    "vatNo": check_vat_no,
    "estNo": check_est_no,
    "posId": check_pos_id,
    "employeeId": check_employee_id,
    "posDateTime": _pos_date_time,
    "firstPosDateTime": _pos_date_time,
    "lastPosDateTime": _pos_date_time,
    "fdmDateTime": _any_date_time,
    "firstFdmDateTime": _any_date_time,
    "lastFdmDateTime": _any_date_time,
    "posSwVersion": lambda value: _length(value, 1, 36),
    "gtin": lambda value: _length(value, 1, 20),
    "bookingPeriodId": _guid,
    "bookingDate": _calendar_date,
    "reportBookingDate": _calendar_date,
    "customerVatNo": _customer_vat_no,
    "iso": _iso,
}

_INT_MINIMUM = {"posFiscalTicketNo": 1, "eventCounter": 1, "totalCounter": 1, "reportNo": 1}


def _decimal_places(value: Decimal, places: int) -> bool:
    quantum = Decimal(1).scaleb(-places)
    return abs(value - value.quantize(quantum, rounding=ROUND_HALF_UP)) <= _TOLERANCE


def _check_float(name: str, value: float) -> str | None:
    number = Decimal(str(value))
    if not number.is_finite():
        return "INVALID_VALUE"
    if name == "quantity":
        return None if _decimal_places(number, 3) else "INVALID_PRECISION"
    if not _decimal_places(number, 2):
        return "INVALID_PRECISION"
    return "INVALID_VALUE" if abs(number) > MAX_AMOUNT else None


def _check_int(name: str, value: int) -> str | None:
    if name == "posFiscalTicketNo" and value > MAX_TICKET_NO:
        return "INVALID_VALUE"
    minimum = _INT_MINIMUM.get(name, 0)
    return "INVALID_VALUE" if value < minimum else None


def amount(value: float) -> Decimal:
    """A validated wire amount as Decimal cents (float noise below 1e-6 is rounded away)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _walk(value: Any, gtype: GraphQLInputType, path: str, name: str) -> None:
    if isinstance(gtype, GraphQLNonNull):
        gtype = gtype.of_type
    if value is None:
        return
    if isinstance(gtype, GraphQLList):
        if name == "priceChanges" and len(value) > MAX_PRICE_CHANGES:
            raise InputRuleError(path, "INVALID_LENGTH", f"at most {MAX_PRICE_CHANGES} price changes")
        for index, item in enumerate(value):
            _walk(item, gtype.of_type, f"{path}[{index}]", name)
        return
    if isinstance(gtype, GraphQLInputObjectType):
        for field_name, field in gtype.fields.items():
            _walk(value.get(field_name), field.type, f"{path}.{field_name}", field_name)
        return
    if isinstance(gtype, GraphQLScalarType):
        rule: str | None = None
        if gtype.name == "String":
            rule = _STRING_RULES.get(name, _text)(value)
        elif gtype.name == "Float":
            rule = _check_float(name, value)
        elif gtype.name == "Int":
            rule = _check_int(name, value)
        if rule:
            raise InputRuleError(path, rule)


def _product_total(product: Mapping[str, Any]) -> Decimal:
    total = Decimal(0)
    for vat in product.get("vats") or ():
        total += amount(vat["price"])
        for change in vat.get("priceChanges") or ():
            total += amount(change["amount"])
    return total


def _check_product(product: Mapping[str, Any], path: str) -> None:
    if product["quantity"] < 0 and not product.get("negQuantityReason"):
        raise InputRuleError(f"{path}.negQuantityReason", "MISSING_REASON", "negative quantity")


def check_transaction(transaction: Mapping[str, Any], path: str) -> None:
    """Composite structure, negative-quantity reasons, Σ vats = lineTotal, Σ lineTotal = transactionTotal."""
    lines_total = Decimal(0)
    for index, line in enumerate(transaction["transactionLines"]):
        line_path = f"{path}.transactionLines[{index}]"
        main = line["mainProduct"]
        subs = line.get("subProducts") or []
        _check_product(main, f"{line_path}.mainProduct")
        for sub_index, sub in enumerate(subs):
            _check_product(sub, f"{line_path}.subProducts[{sub_index}]")
        if line["lineType"] == "COMPOSITE_PRODUCT":
            if main["vats"] or not subs:
                raise InputRuleError(
                    f"{line_path}.mainProduct.vats",
                    "COMPOSITE_STRUCTURE",
                    "main product without vats, sub-products",
                )
            computed = sum((_product_total(sub) for sub in subs), Decimal(0))
        else:
            if subs or not main["vats"]:
                raise InputRuleError(
                    f"{line_path}.subProducts",
                    "COMPOSITE_STRUCTURE",
                    "a single product has vats, no sub-products",
                )
            computed = _product_total(main)
        line_total = amount(line["lineTotal"])
        if computed != line_total:
            raise InputRuleError(f"{line_path}.lineTotal", "TOTAL_MISMATCH", f"Σ vats = {computed}")
        lines_total += line_total
    if lines_total != amount(transaction["transactionTotal"]):
        raise InputRuleError(f"{path}.transactionTotal", "TOTAL_MISMATCH", f"Σ lineTotal = {lines_total}")


def validate(data: Mapping[str, Any], input_type: GraphQLInputObjectType) -> None:
    """Raise :class:`InputRuleError` for the first broken rule of ``data`` (an ``<X>Input`` value)."""
    root = input_type.name
    _walk(data, input_type, root, "")
    if data.get("transaction") is not None:
        check_transaction(data["transaction"], f"{root}.transaction")
    transfer = data.get("transfer")
    if transfer is not None:
        for side in ("from", "to"):
            for index, item in enumerate(transfer[side]):
                check_transaction(item["transaction"], f"{root}.transfer.{side}[{index}].transaction")


def financials_total(financials: list[Mapping[str, Any]]) -> Decimal:
    """Σ PAYMENT + ROUNDING lines (tips excluded), for the optional strict check."""
    return sum(
        (amount(line["amount"]) for line in financials if line["amountType"] in ("PAYMENT", "ROUNDING")),
        Decimal(0),
    )
