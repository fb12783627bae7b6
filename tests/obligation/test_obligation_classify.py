"""Service or delivery of goods, per place and per period."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sce.obligation import Activity, Classification, Place, classify

BEFORE = date(2017, 11, 30)
AFTER = date(2017, 12, 1)
SERVICE = Classification.SERVICE
GOODS = Classification.GOODS


def _open_air(**flags: bool) -> Activity:
    return Activity("a", Decimal(100), Place.OPEN_AIR, **flags)


@pytest.mark.parametrize("day", [BEFORE, AFTER])
def test_take_away_is_always_goods(day: date) -> None:
    activity = Activity("a", Decimal(1), Place.TAKEAWAY, tables_or_counter=True, extra_service_element=True)
    assert classify(activity, day).classified_as is GOODS


@pytest.mark.parametrize("day", [BEFORE, AFTER])
def test_indoor_space_is_a_service_even_with_disposables(day: date) -> None:
    activity = Activity("a", Decimal(1), Place.INDOOR, single_use_only=True, typical_niche_product=True)
    assert classify(activity, day).classified_as is SERVICE


@pytest.mark.parametrize("day", [BEFORE, AFTER])
@pytest.mark.parametrize(("staff", "expected"), [(True, SERVICE), (False, GOODS)])
def test_customer_premises_depends_on_serving_staff(day: date, staff: bool, expected: Classification) -> None:
    activity = Activity("a", Decimal(1), Place.CUSTOMER_PREMISES, staff_serves=staff)
    assert classify(activity, day).classified_as is expected


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"typical_niche_product": True, "single_use_only": True}, GOODS),
        ({"typical_niche_product": True, "single_use_only": True, "tables_or_counter": True}, GOODS),
        ({"typical_niche_product": True, "single_use_only": True, "table_service": True}, SERVICE),
        ({"typical_niche_product": True, "single_use_only": False}, SERVICE),
        ({"typical_niche_product": False, "single_use_only": True}, SERVICE),
    ],
)
def test_open_air_until_30_november_2017(flags: dict[str, bool], expected: Classification) -> None:
    assert classify(_open_air(**flags), BEFORE).classified_as is expected


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({}, GOODS),
        ({"tables_or_counter": True}, GOODS),
        ({"extra_service_element": True}, GOODS),
        ({"tables_or_counter": True, "extra_service_element": True}, SERVICE),
        ({"typical_niche_product": True, "single_use_only": True, "tables_or_counter": True}, GOODS),
        (
            {
                "typical_niche_product": True,
                "single_use_only": True,
                "tables_or_counter": True,
                "extra_service_element": True,
            },
            SERVICE,
        ),
    ],
)
def test_open_air_from_1_december_2017(flags: dict[str, bool], expected: Classification) -> None:
    assert classify(_open_air(**flags), AFTER).classified_as is expected


def test_result_keeps_id_and_amount() -> None:
    result = classify(Activity("terrace", Decimal("12.34"), Place.INDOOR), AFTER)
    assert (result.id, result.amount) == ("terrace", Decimal("12.34"))
