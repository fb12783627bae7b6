"""Properties of the checker: monotone in restaurant turnover, independent of the order of activities."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from sce.obligation import Activity, Establishment, Place, SpecialCase, decide

amounts = st.decimals(min_value=0, max_value=200000, places=2, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31))
flags = st.booleans()

activities = st.builds(
    Activity,
    id=st.text(alphabet="abcdefgh", min_size=1, max_size=6),
    amount=amounts,
    place=st.sampled_from(list(Place)),
    tables_or_counter=flags,
    extra_service_element=flags,
    table_service=flags,
    single_use_only=flags,
    typical_niche_product=flags,
    staff_serves=flags,
)


@st.composite
def establishments(draw: st.DrawFn) -> Establishment:
    acts = draw(st.lists(activities, max_size=6, unique_by=lambda a: a.id))
    return Establishment(
        id="e",
        restaurant_services=draw(amounts),
        catering_services=draw(amounts),
        drinks=draw(amounts),
        takeaway_meals=draw(amounts),
        food_sales=draw(amounts),
        other_horeca=draw(amounts),
        hotel_bill_services=draw(amounts),
        activities=tuple(acts),
        already_using_sce=draw(flags),
        days_active_per_year=draw(st.integers(min_value=0, max_value=366)),
        relies_on_subcontractor=draw(flags),
        prepares_food_or_buys_ingredients=draw(flags),
        other_horeca_or_food_activity=draw(flags),
        special_case=draw(st.none() | st.sampled_from(list(SpecialCase))),
    )


@settings(max_examples=300, deadline=None)
@given(establishments(), days, amounts)
def test_more_restaurant_turnover_never_removes_the_obligation(
    establishment: Establishment, day: date, extra: Decimal
) -> None:
    before = decide(establishment, day)
    after = decide(replace(establishment, restaurant_services=establishment.restaurant_services + extra), day)
    if before.obliged:
        assert after.obliged
    assert after.restaurant_catering_turnover == before.restaurant_catering_turnover + extra


@settings(max_examples=300, deadline=None)
@given(establishments(), days, st.randoms(use_true_random=False))
def test_classification_is_independent_of_the_order_of_activities(
    establishment: Establishment, day: date, rng: random.Random
) -> None:
    shuffled = list(establishment.activities)
    rng.shuffle(shuffled)
    first = decide(establishment, day)
    second = decide(replace(establishment, activities=tuple(shuffled)), day)
    assert {a.id: a.classified_as for a in first.activities} == {
        a.id: a.classified_as for a in second.activities
    }
    assert first.obliged == second.obliged
    assert first.restaurant_catering_turnover == second.restaurant_catering_turnover
    assert first.total_horeca_turnover == second.total_horeca_turnover
    assert first.percentage == second.percentage


@settings(max_examples=200, deadline=None)
@given(establishments(), days)
def test_percentage_only_under_the_ten_percent_rule(establishment: Establishment, day: date) -> None:
    decision = decide(establishment, day)
    if day >= date(2016, 7, 1):
        assert decision.percentage is None
    elif decision.total_horeca_turnover > 0:
        assert decision.percentage is not None
        assert Decimal(0) <= decision.percentage <= Decimal(100)
