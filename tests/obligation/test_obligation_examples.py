"""The examples of the scope rules, each run through ``sce obligation check --json``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CheckRunner = Callable[..., dict[str, Any]]


def _one(output: dict[str, Any]) -> dict[str, Any]:
    establishments: list[dict[str, Any]] = output["establishments"]
    assert len(establishments) == 1
    return establishments[0]


def _check(run_check: CheckRunner, as_of: str, **establishment: Any) -> dict[str, Any]:
    return _one(run_check({"as_of": as_of, "establishments": [{"id": "e1", **establishment}]}))


def _text(result: dict[str, Any]) -> str:
    return "\n".join(result["explanation"])


def test_bakery_with_tea_room_above_threshold_covers_the_shop_counter(run_check: CheckRunner) -> None:
    result = _check(run_check, "2026-11-23", restaurant_services=30000, food_sales=400000, drinks=8000)
    assert result["obliged"] is True
    assert result["rule"] == "25000_EUR"
    assert result["restaurant_catering_turnover"] == "30000.00"
    assert result["total_horeca_turnover"] == "438000.00"
    assert result["percentage"] is None
    assert "€30,000.00 is above the threshold of €25,000.00." in result["explanation"]
    assert "including all food and drink sales there" in _text(result)
    assert "Until the system is activated" in _text(result)
    assert result["instead"] == []


def test_bakery_with_small_tea_room_is_not_obliged_and_keeps_vat_receipts(run_check: CheckRunner) -> None:
    result = _check(run_check, "2026-11-23", restaurant_services=18000, food_sales=400000, drinks=6000)
    assert result["obliged"] is False
    assert result["restaurant_catering_turnover"] == "18000.00"
    assert "food sales €400,000.00" in _text(result)
    assert (
        result["instead"][0] == "Issue a VAT receipt from an approved printer for every meal and its drinks."
    )
    assert "Keep a daily receipts book." in result["instead"]


def test_party_hall_rental_does_not_count_but_own_catering_does(run_check: CheckRunner) -> None:
    below = _check(run_check, "2026-11-23", other_horeca=80000, catering_services=24000, drinks=30000)
    assert below["obliged"] is False
    assert below["restaurant_catering_turnover"] == "24000.00"
    above = _check(run_check, "2026-11-23", other_horeca=80000, catering_services=26000, drinks=30000)
    assert above["obliged"] is True
    assert above["restaurant_catering_turnover"] == "26000.00"
    assert above["total_horeca_turnover"] == "136000.00"


def test_party_hall_under_the_ten_percent_rule(run_check: CheckRunner) -> None:
    result = _check(run_check, "2015-06-30", other_horeca=90000, catering_services=9000)
    assert result["rule"] == "10_PERCENT"
    assert result["percentage"] == "9.09"
    assert result["obliged"] is False
    assert "= 9.09 %, below 10 %." in _text(result)


def _friterie(as_of: str, terrace: bool) -> dict[str, Any]:
    return {
        "as_of": as_of,
        "establishments": [
            {
                "id": "friterie",
                "takeaway_meals": 20000,
                "drinks": 5000,
                "activities": [
                    {
                        "id": "fries-on-the-spot",
                        "amount": 60000,
                        "place": "open_air",
                        "typical_niche_product": True,
                        "single_use_only": True,
                        "table_service": False,
                        "tables_or_counter": terrace,
                        "extra_service_element": terrace,
                    }
                ],
            }
        ],
    }


def test_friterie_in_the_open_air_before_december_2017(run_check: CheckRunner) -> None:
    for terrace in (False, True):
        result = _one(run_check(_friterie("2017-11-30", terrace)))
        assert result["activities"] == [
            {"id": "fries-on-the-spot", "classified_as": "goods", **_reason(result)}
        ]
        assert result["obliged"] is False
        assert result["restaurant_catering_turnover"] == "0.00"
        assert result["total_horeca_turnover"] == "85000.00"
        assert "open-air tolerance" in result["activities"][0]["reason"]


def _reason(result: dict[str, Any]) -> dict[str, str]:
    return {"reason": result["activities"][0]["reason"]}


def test_friterie_in_the_open_air_from_december_2017(run_check: CheckRunner) -> None:
    bare = _one(run_check(_friterie("2017-12-01", terrace=False)))
    assert bare["activities"][0]["classified_as"] == "goods"
    assert bare["obliged"] is False
    assert bare["restaurant_catering_turnover"] == "0.00"
    terrace = _one(run_check(_friterie("2017-12-01", terrace=True)))
    assert terrace["activities"][0]["classified_as"] == "service"
    assert terrace["obliged"] is True
    assert terrace["restaurant_catering_turnover"] == "60000.00"
    assert "at least one extra service element" in _text(terrace)


def test_friterie_tables_without_extra_element_stays_goods(run_check: CheckRunner) -> None:
    payload = _friterie("2018-05-01", terrace=True)
    payload["establishments"][0]["activities"][0]["extra_service_element"] = False
    result = _one(run_check(payload))
    assert result["activities"][0]["classified_as"] == "goods"
    assert result["obliged"] is False


def test_food_truck_market_and_weddings(run_check: CheckRunner) -> None:
    activities = [
        {"id": "market", "amount": 40000, "place": "open_air", "typical_niche_product": True},
        {"id": "weddings", "amount": 30000, "place": "customer_premises", "staff_serves": True},
        {"id": "drop-off", "amount": 9000, "place": "customer_premises", "staff_serves": False},
    ]
    result = _check(run_check, "2026-11-23", activities=activities)
    classified = {a["id"]: a["classified_as"] for a in result["activities"]}
    assert classified == {"market": "goods", "weddings": "service", "drop-off": "goods"}
    assert result["restaurant_catering_turnover"] == "30000.00"
    assert result["total_horeca_turnover"] == "79000.00"
    assert result["obliged"] is True


def test_food_truck_without_serving_staff_is_not_obliged(run_check: CheckRunner) -> None:
    activities = [
        {"id": "market", "amount": 90000, "place": "open_air", "tables_or_counter": False},
        {"id": "drop-off", "amount": 30000, "place": "customer_premises"},
    ]
    result = _check(run_check, "2026-11-23", activities=activities)
    assert result["obliged"] is False
    assert result["restaurant_catering_turnover"] == "0.00"


def test_hotel_cluster_1_never_counts(run_check: CheckRunner) -> None:
    result = _check(run_check, "2026-11-23", hotel_bill_services=120000, restaurant_services=10000)
    assert result["obliged"] is False
    assert result["restaurant_catering_turnover"] == "10000.00"
    assert result["total_horeca_turnover"] == "130000.00"
    assert "hotel cluster 1, €120,000.00" in _text(result)
    assert any("end of the stay" in line for line in result["instead"])


def test_hotel_cluster_2_follows_the_threshold(run_check: CheckRunner) -> None:
    result = _check(run_check, "2026-11-23", hotel_bill_services=120000, restaurant_services=50000)
    assert result["obliged"] is True
    assert result["restaurant_catering_turnover"] == "50000.00"


def test_subcontracting_exception(run_check: CheckRunner) -> None:
    result = _check(run_check, "2026-11-23", catering_services=45000, relies_on_subcontractor=True)
    assert result["obliged"] is False
    assert result["exemption"] == "subcontracting"
    assert result["restaurant_catering_turnover"] == "45000.00"
    assert result["instead"][0].startswith("Keep a daily receipts book from dated supporting documents")


def test_subcontracting_does_not_apply_when_the_operator_prepares_food(run_check: CheckRunner) -> None:
    result = _check(
        run_check,
        "2026-11-23",
        catering_services=45000,
        relies_on_subcontractor=True,
        prepares_food_or_buys_ingredients=True,
    )
    assert result["obliged"] is True
    assert result["exemption"] is None
    assert "the subcontracting exception does not apply" in _text(result)


def test_very_occasional_activity(run_check: CheckRunner) -> None:
    exempt = _check(run_check, "2026-11-23", restaurant_services=30000, days_active_per_year=5)
    assert exempt["obliged"] is False
    assert exempt["exemption"] == "very_occasional"
    assert "on 5 days a year" in _text(exempt)
    six_days = _check(run_check, "2026-11-23", restaurant_services=30000, days_active_per_year=6)
    assert six_days["obliged"] is True
    other = _check(
        run_check,
        "2026-11-23",
        restaurant_services=30000,
        days_active_per_year=3,
        other_horeca_or_food_activity=True,
    )
    assert other["obliged"] is True
    assert other["exemption"] is None


def test_threshold_exactly_at_25000_is_not_obliged(run_check: CheckRunner) -> None:
    result = _check(run_check, "2026-11-23", restaurant_services=20000, catering_services=5000)
    assert result["obliged"] is False
    assert result["restaurant_catering_turnover"] == "25000.00"
    assert "€25,000.00 is not above the threshold of €25,000.00" in _text(result)


def test_threshold_just_above_25000_is_obliged(run_check: CheckRunner) -> None:
    result = _check(run_check, "2026-11-23", restaurant_services=20000, catering_services=5000.01)
    assert result["obliged"] is True
    assert result["restaurant_catering_turnover"] == "25000.01"


def test_drinks_and_takeaway_never_reach_the_threshold(run_check: CheckRunner) -> None:
    result = _check(run_check, "2026-11-23", restaurant_services=1000, drinks=500000, takeaway_meals=500000)
    assert result["obliged"] is False
    assert result["restaurant_catering_turnover"] == "1000.00"


def test_ten_percent_boundary_exactly_ten(run_check: CheckRunner) -> None:
    result = _check(run_check, "2015-12-31", restaurant_services=10000, drinks=90000)
    assert result["obliged"] is True
    assert result["percentage"] == "10.00"
    assert "€10,000.00 × 100 / €100,000.00 = 10.00 %, at least 10 %." in _text(result)


def test_ten_percent_boundary_just_below_rounds_to_ten_but_is_not_obliged(run_check: CheckRunner) -> None:
    result = _check(run_check, "2015-12-31", restaurant_services=9999.99, drinks=90000.01)
    assert result["percentage"] == "10.00"
    assert result["obliged"] is False
    assert "below 10 %" in _text(result)


def test_ten_percent_counts_take_away_in_the_total_only(run_check: CheckRunner) -> None:
    result = _check(run_check, "2016-06-30", restaurant_services=5000, takeaway_meals=40000, food_sales=5000)
    assert result["rule"] == "10_PERCENT"
    assert result["percentage"] == "10.00"
    assert result["obliged"] is True
    assert result["total_horeca_turnover"] == "50000.00"


def test_rule_changes_on_1_july_2016(run_check: CheckRunner) -> None:
    establishment = {"restaurant_services": 20000, "drinks": 10000}
    before = _check(run_check, "2016-06-30", **establishment)
    after = _check(run_check, "2016-07-01", **establishment)
    assert (before["rule"], before["obliged"], before["percentage"]) == ("10_PERCENT", True, "66.67")
    assert (after["rule"], after["obliged"], after["percentage"]) == ("25000_EUR", False, None)


def test_once_in_always_in(run_check: CheckRunner) -> None:
    kept = _check(run_check, "2026-11-23", restaurant_services=5000, already_using_sce=True)
    assert kept["obliged"] is True
    assert "once in, always in" in _text(kept)
    assert "Until the system is activated" not in _text(kept)
    stopped = _check(run_check, "2026-11-23", takeaway_meals=50000, already_using_sce=True)
    assert stopped["obliged"] is False
    assert "it may be given up" in _text(stopped)


def test_company_restaurant_needs_a_manual_decision(run_check: CheckRunner) -> None:
    result = _check(run_check, "2026-11-23", restaurant_services=90000, special_case="company_restaurant")
    assert result["needs_manual_decision"] is True
    assert result["obliged"] is True
    assert "This is a company restaurant" in _text(result)


def test_several_establishments_are_decided_separately(run_check: CheckRunner) -> None:
    output = run_check(
        {
            "as_of": "2026-11-23",
            "establishments": [
                {"id": "centre", "restaurant_services": 40000},
                {
                    "id": "ice-cream-cart",
                    "activities": [{"id": "cones", "amount": 30000, "place": "takeaway"}],
                },
            ],
        }
    )
    assert [(e["id"], e["obliged"]) for e in output["establishments"]] == [
        ("centre", True),
        ("ice-cream-cart", False),
    ]


def test_defaults_of_an_establishment_with_only_an_id(run_check: CheckRunner) -> None:
    result = _check(run_check, "2026-11-23")
    assert result == {
        "id": "e1",
        "obliged": False,
        "rule": "25000_EUR",
        "restaurant_catering_turnover": "0.00",
        "total_horeca_turnover": "0.00",
        "percentage": None,
        "activities": [],
        "explanation": result["explanation"],
        "instead": result["instead"],
        "exemption": None,
        "needs_manual_decision": False,
    }


def test_explanation_in_dutch(run_check: CheckRunner) -> None:
    result = _one(
        run_check(
            {"as_of": "2026-11-23", "establishments": [{"id": "e1", "restaurant_services": 30000}]}, lang="nl"
        )
    )
    assert "€\xa030.000,00 ligt boven de grens van €\xa025.000,00." in result["explanation"]
