"""The questionnaire's form fields and how they become the obligation checker's JSON input."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Final

ACTIVITY_ROWS: Final = 3
AMOUNT_FIELDS: Final = (
    "restaurant_services",
    "catering_services",
    "drinks",
    "takeaway_meals",
    "food_sales",
    "other_horeca",
    "hotel_bill_services",
)
SITUATION_FLAGS: Final = (
    "already_using_sce",
    "relies_on_subcontractor",
    "prepares_food_or_buys_ingredients",
    "other_horeca_or_food_activity",
)
ACTIVITY_FLAGS: Final = (
    "tables_or_counter",
    "extra_service_element",
    "table_service",
    "single_use_only",
    "typical_niche_product",
    "staff_serves",
)


def _amount(text: str) -> str:
    """Accept ``1234,56`` as well as ``1234.56``; spaces are ignored. Validation is the checker's."""
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    return cleaned


def _get(form: Mapping[str, str], name: str) -> str:
    return form.get(name, "").strip()


def form_to_input(form: Mapping[str, str]) -> dict[str, Any]:
    """The checker's input object built from the questionnaire's fields (one establishment)."""
    establishment: dict[str, Any] = {"id": _get(form, "name") or "establishment"}
    for name in AMOUNT_FIELDS:
        if _get(form, name):
            establishment[name] = _amount(_get(form, name))
    if _get(form, "days_active_per_year"):
        days = _get(form, "days_active_per_year")
        establishment["days_active_per_year"] = int(days) if days.isdigit() else days
    for name in SITUATION_FLAGS:
        if _get(form, name):
            establishment[name] = True
    if _get(form, "special_case"):
        establishment["special_case"] = _get(form, "special_case")
    activities: list[dict[str, Any]] = []
    for row in range(1, ACTIVITY_ROWS + 1):
        prefix = f"a{row}_"
        name, amount = _get(form, prefix + "name"), _get(form, prefix + "amount")
        if not name and not amount:
            continue
        activity: dict[str, Any] = {"id": name or f"activity {row}"}
        if amount:
            activity["amount"] = _amount(amount)
        if _get(form, prefix + "place"):
            activity["place"] = _get(form, prefix + "place")
        for flag in ACTIVITY_FLAGS:
            if _get(form, prefix + flag):
                activity[flag] = True
        activities.append(activity)
    if activities:
        establishment["activities"] = activities
    return {"as_of": _get(form, "as_of"), "establishments": [establishment]}


_QUOTED_NUMBER = re.compile(r'"(amount|' + "|".join(AMOUNT_FIELDS) + r')": "(\d+(?:\.\d+)?)"')


def input_to_json_text(payload: Mapping[str, Any]) -> str:
    """The input as JSON text with the amounts written as JSON numbers, as the CLI reads them."""
    text = json.dumps(payload, indent=2, ensure_ascii=False)
    return _QUOTED_NUMBER.sub(r'"\1": \2', text)
