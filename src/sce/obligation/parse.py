"""Reading the checker's JSON input into the model, refusing bad input with the field and the rule."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final, TypeVar

from sce.obligation.dates import parse_iso_date
from sce.obligation.errors import ObligationInputError
from sce.obligation.model import Activity, CheckRequest, Establishment, Place, SpecialCase
from sce.obligation.money import ZERO, to_decimal
from sce.obligation.rules import FIRST_DAY

_AMOUNT_RULE: Final = "an amount in euro excluding VAT: a number, not negative, at most 1000000000000"
_MAX_AMOUNT: Final = Decimal(10) ** 12
_AMOUNT_FIELDS: Final = (
    "restaurant_services",
    "catering_services",
    "drinks",
    "takeaway_meals",
    "food_sales",
    "other_horeca",
    "hotel_bill_services",
)
_ESTABLISHMENT_FLAGS: Final = (
    "already_using_sce",
    "relies_on_subcontractor",
    "prepares_food_or_buys_ingredients",
    "other_horeca_or_food_activity",
)
_ESTABLISHMENT_FIELDS: Final = frozenset(
    {"id", "activities", "days_active_per_year", "special_case", *_AMOUNT_FIELDS, *_ESTABLISHMENT_FLAGS}
)
_ACTIVITY_FLAGS: Final = (
    "tables_or_counter",
    "extra_service_element",
    "table_service",
    "single_use_only",
    "typical_niche_product",
    "staff_serves",
)
_ACTIVITY_FIELDS: Final = frozenset({"id", "amount", "place", *_ACTIVITY_FLAGS})

T = TypeVar("T")


def load_json(text: str, field: str = "input") -> Any:
    """Parse JSON text with every number as Decimal (never float)."""
    try:
        return json.loads(text, parse_float=Decimal, parse_int=Decimal, parse_constant=_no_constant)
    except (json.JSONDecodeError, ValueError) as error:
        raise ObligationInputError(field, f"valid JSON is required ({error})") from error


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _object(value: object, field: str, allowed: frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ObligationInputError(field, "must be a JSON object")
    for key in value:
        if key not in allowed:
            raise ObligationInputError(
                f"{field}.{key}", f"unknown field; allowed: {', '.join(sorted(allowed))}"
            )
    return value


def _optional(
    data: Mapping[str, Any], key: str, field: str, read: Callable[[object, str], T], default: T
) -> T:
    if key not in data or data[key] is None:
        return default
    return read(data[key], f"{field}.{key}")


def _amount(value: object, field: str) -> Decimal:
    amount = to_decimal(value)
    if amount is None or not ZERO <= amount <= _MAX_AMOUNT:
        raise ObligationInputError(field, _AMOUNT_RULE)
    return amount


def _flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise ObligationInputError(field, "must be true or false")
    return value


def _identifier(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ObligationInputError(field, "a non-empty string is required")
    return value


def _days(value: object, field: str) -> int:
    number = to_decimal(value)
    if number is None or number != number.to_integral_value() or not 0 <= number <= 366:
        raise ObligationInputError(field, "a whole number of days from 0 to 366 is required")
    return int(number)


_E = TypeVar("_E", Place, SpecialCase)


def _choice(value: object, field: str, kind: type[_E], also: str = "") -> _E:
    """One value of the enumeration ``kind`` (a missing value reads as the empty member)."""
    try:
        return kind(str(value)) if isinstance(value, str) else kind("")
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise ObligationInputError(field, f"must be one of {allowed}{also}") from None


def _place(value: object, field: str) -> Place:
    return _choice(value, field, Place)


def _special_case(value: object, field: str) -> SpecialCase:
    return _choice(value, field, SpecialCase, " or null")


def _activity(value: object, field: str) -> Activity:
    data = _object(value, field, _ACTIVITY_FIELDS)
    if "id" not in data:
        raise ObligationInputError(f"{field}.id", "every activity needs an id")
    flags = {name: _optional(data, name, field, _flag, False) for name in _ACTIVITY_FLAGS}
    return Activity(
        id=_identifier(data["id"], f"{field}.id"),
        amount=_optional(data, "amount", field, _amount, ZERO),
        place=_optional(data, "place", field, _place, Place.INDOOR),
        tables_or_counter=flags["tables_or_counter"],
        extra_service_element=flags["extra_service_element"],
        table_service=flags["table_service"],
        single_use_only=flags["single_use_only"],
        typical_niche_product=flags["typical_niche_product"],
        staff_serves=flags["staff_serves"],
    )


def _activities(value: object, field: str) -> tuple[Activity, ...]:
    if not isinstance(value, list):
        raise ObligationInputError(field, "must be a list of activities")
    activities = tuple(_activity(item, f"{field}[{index}]") for index, item in enumerate(value))
    _unique([a.id for a in activities], field, "activity ids must be unique within an establishment")
    return activities


def _unique(ids: list[str], field: str, rule: str) -> None:
    seen: set[str] = set()
    for index, identifier in enumerate(ids):
        if identifier in seen:
            raise ObligationInputError(f"{field}[{index}].id", f"{rule} ({identifier!r} repeats)")
        seen.add(identifier)


def parse_establishment(value: object, field: str = "establishment") -> Establishment:
    """One establishment object; every field but ``id`` is optional."""
    data = _object(value, field, _ESTABLISHMENT_FIELDS)
    if "id" not in data:
        raise ObligationInputError(f"{field}.id", "every establishment needs an id")
    amounts = {name: _optional(data, name, field, _amount, ZERO) for name in _AMOUNT_FIELDS}
    flags = {name: _optional(data, name, field, _flag, False) for name in _ESTABLISHMENT_FLAGS}
    return Establishment(
        id=_identifier(data["id"], f"{field}.id"),
        restaurant_services=amounts["restaurant_services"],
        catering_services=amounts["catering_services"],
        drinks=amounts["drinks"],
        takeaway_meals=amounts["takeaway_meals"],
        food_sales=amounts["food_sales"],
        other_horeca=amounts["other_horeca"],
        hotel_bill_services=amounts["hotel_bill_services"],
        activities=_optional(data, "activities", field, _activities, ()),
        already_using_sce=flags["already_using_sce"],
        days_active_per_year=_optional(data, "days_active_per_year", field, _days, 365),
        relies_on_subcontractor=flags["relies_on_subcontractor"],
        prepares_food_or_buys_ingredients=flags["prepares_food_or_buys_ingredients"],
        other_horeca_or_food_activity=flags["other_horeca_or_food_activity"],
        special_case=_optional(data, "special_case", field, _special_case, None),
    )


def parse_as_of(value: object, field: str = "as_of") -> date:
    """The date to decide on: ``YYYY-MM-DD``, not before the registered cash register rules existed."""
    day = parse_iso_date(value)
    if day is None:
        raise ObligationInputError(field, "a date written YYYY-MM-DD is required")
    if day < FIRST_DAY:
        raise ObligationInputError(
            field, f"the rules start on {FIRST_DAY.isoformat()}; earlier dates have no rule"
        )
    return day


def parse_request(value: object) -> CheckRequest:
    """The checker's whole input object."""
    data = _object(value, "input", frozenset({"as_of", "establishments"}))
    if "as_of" not in data:
        raise ObligationInputError("as_of", "the date to decide on is required (YYYY-MM-DD)")
    as_of = parse_as_of(data["as_of"])
    raw = data.get("establishments")
    if not isinstance(raw, list) or not raw:
        raise ObligationInputError("establishments", "a non-empty list of establishments is required")
    establishments = tuple(parse_establishment(item, f"establishments[{i}]") for i, item in enumerate(raw))
    _unique([e.id for e in establishments], "establishments", "establishment ids must be unique")
    return CheckRequest(as_of=as_of, establishments=establishments)


def parse_request_text(text: str) -> CheckRequest:
    """The checker's input from JSON text."""
    return parse_request(load_json(text))
