"""Deadline planner: month ends, leap years, quarter boundaries, margins and every migration bracket."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from sce.obligation import PlannerSettings, plan
from sce.obligation.dates import end_of_month_after, first_quarter_start_on_or_after

PlanRunner = Callable[..., dict[str, Any]]


@pytest.mark.parametrize(
    ("start", "register_by", "use_by"),
    [
        ("2027-01-15", "2027-03-31", "2027-04-30"),
        ("2027-01-31", "2027-03-31", "2027-04-30"),
        ("2026-12-31", "2027-02-28", "2027-03-31"),
        ("2027-12-10", "2028-02-29", "2028-03-31"),
        ("2027-11-30", "2028-01-31", "2028-02-29"),
        ("2028-11-01", "2029-01-31", "2029-02-28"),
        ("2099-12-31", "2100-02-28", "2100-03-31"),
        ("2016-07-01", "2016-09-30", "2016-10-31"),
    ],
)
def test_register_and_use_deadlines(run_plan: PlanRunner, start: str, register_by: str, use_by: str) -> None:
    result = run_plan("--date", start, "--activity-start", start)
    assert (result["register_by"], result["use_by"]) == (register_by, use_by)


def test_first_half_of_2016_has_the_transitional_deadlines(run_plan: PlanRunner) -> None:
    result = run_plan("--date", "2016-03-01", "--activity-start", "2016-02-15")
    assert (result["register_by"], result["use_by"]) == ("2016-09-30", "2016-10-31")
    assert "first half of 2016" in result["notes"][0]


def test_activity_start_defaults_to_the_date(run_plan: PlanRunner) -> None:
    result = run_plan("--date", "2027-05-20")
    assert result["activity_start"] == "2027-05-20"
    assert result["register_by"] == "2027-07-31"


@pytest.mark.parametrize(
    ("as_of", "quarter", "steps_by"),
    [
        ("2027-03-04", "2027-04-01", "2027-03-04"),
        ("2027-03-05", "2027-07-01", "2027-06-03"),
        ("2027-06-03", "2027-07-01", "2027-06-03"),
        ("2027-06-04", "2027-10-01", "2027-09-03"),
        ("2027-12-04", "2028-01-01", "2027-12-04"),
        ("2027-12-05", "2028-04-01", "2028-03-04"),
        ("2028-02-29", "2028-04-01", "2028-03-04"),
        ("2027-01-01", "2027-04-01", "2027-03-04"),
    ],
)
def test_reduction_quarter_around_quarter_boundaries(
    run_plan: PlanRunner, as_of: str, quarter: str, steps_by: str
) -> None:
    result = run_plan("--date", as_of)
    assert (result["reduction_quarter_start"], result["complete_steps_by"]) == (quarter, steps_by)
    assert result["margin_days"] == 28


def test_reduction_quarter_is_not_before_the_activity_start(run_plan: PlanRunner) -> None:
    result = run_plan("--date", "2027-01-01", "--activity-start", "2027-05-15")
    assert result["reduction_quarter_start"] == "2027-07-01"
    assert result["complete_steps_by"] == "2027-06-03"
    on_a_quarter = run_plan("--date", "2027-01-01", "--activity-start", "2027-07-01")
    assert on_a_quarter["reduction_quarter_start"] == "2027-07-01"


@pytest.mark.parametrize(("as_of", "steps_by"), [("2028-01-10", "2028-02-21"), ("2027-01-10", "2027-02-20")])
def test_margin_is_configurable_and_leap_years_count(run_plan: PlanRunner, as_of: str, steps_by: str) -> None:
    result = run_plan("--date", as_of, "--margin-days", "40")
    assert result["reduction_quarter_start"] == as_of[:4] + "-04-01"
    assert result["complete_steps_by"] == steps_by
    assert result["margin_days"] == 40


@pytest.mark.parametrize(
    ("commissioned", "bracket", "deadline"),
    [
        (None, "new_establishment", "2026-07-01"),
        ("2014-06-01", "before_2018", "2027-07-01"),
        ("2017-12-31", "before_2018", "2027-07-01"),
        ("2018-01-01", "2018_2021", "2028-07-01"),
        ("2021-12-31", "2018_2021", "2028-07-01"),
        ("2022-01-01", "from_2022", "2029-01-01"),
        ("2026-03-15", "from_2022", "2029-01-01"),
    ],
)
def test_sce2_deadline_per_bracket(
    run_plan: PlanRunner, commissioned: str | None, bracket: str, deadline: str
) -> None:
    extra = () if commissioned is None else ("--sce1-commissioned", commissioned)
    result = run_plan("--date", "2026-11-23", *extra)
    assert (result["sce2_bracket"], result["sce2_deadline"]) == (bracket, deadline)
    assert result["schedule_version"] == "revised-2026-06"
    assert result["sce1_commissioned"] == commissioned


@pytest.mark.parametrize(
    ("version", "commissioned", "deadline"),
    [
        ("original-2024", None, "2025-07-01"),
        ("original-2024", "2017-01-01", "2026-07-01"),
        ("original-2024", "2023-01-01", "2028-01-01"),
        ("tolerance-2025-06", None, "2026-01-01"),
        ("tolerance-2025-06", "2019-01-01", "2027-07-01"),
        ("extended-tolerance-2026-03", None, "2026-03-31"),
    ],
)
def test_earlier_schedule_versions(
    run_plan: PlanRunner, version: str, commissioned: str | None, deadline: str
) -> None:
    extra = () if commissioned is None else ("--sce1-commissioned", commissioned)
    result = run_plan("--date", "2025-01-10", "--schedule-version", version, *extra)
    assert result["sce2_deadline"] == deadline


def test_plan_output_keys_and_advantages(run_plan: PlanRunner) -> None:
    result = run_plan("--date", "2027-02-10", "--activity-start", "2027-02-01")
    assert {
        "register_by",
        "use_by",
        "reduction_quarter_start",
        "complete_steps_by",
        "sce2_deadline",
    } <= set(result)
    reduction, overtime = result["advantages"]
    assert reduction["id"] == "target_group_reduction"
    assert reduction["from"] == "2027-04-01"
    conditions = " ".join(reduction["conditions"])
    assert "€500.00 per quarter per worker (€800.00 for a worker under 26" in conditions
    assert "from the first to the last day of the quarter" in conditions
    assert "registered daily" in conditions
    assert overtime["id"] == "overtime_ceiling"
    assert "360 overtime hours per calendar year instead of 300" in overtime["conditions"][0]


def test_passed_deadlines_are_reported() -> None:
    result = plan(date(2027, 6, 1), activity_start=date(2027, 1, 10))
    assert result.register_by == date(2027, 3, 31)
    ids = [note.msgid for note in result.notes]
    assert any("registration deadline has passed" in m for m in ids)
    assert any("deadline for using the system has passed" in m for m in ids)


def test_new_establishment_after_the_sce2_date_installs_sce2() -> None:
    after = plan(date(2026, 11, 23))
    before = plan(date(2026, 3, 1))
    assert any("SCE 2.0 system" in note.msgid for note in after.notes)
    assert not any("SCE 2.0 system" in note.msgid for note in before.notes)


def test_month_rule_is_configurable() -> None:
    result = plan(date(2027, 1, 10), settings=PlannerSettings(register_months=1, use_months=2))
    assert (result.register_by, result.use_by) == (date(2027, 2, 28), date(2027, 3, 31))


def test_date_helpers() -> None:
    assert end_of_month_after(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert end_of_month_after(date(2027, 10, 5), 3) == date(2028, 1, 31)
    assert first_quarter_start_on_or_after(date(2027, 10, 1)) == date(2027, 10, 1)
    assert first_quarter_start_on_or_after(date(2027, 10, 2)) == date(2028, 1, 1)
    assert first_quarter_start_on_or_after(date(2027, 1, 2)) == date(2027, 4, 1)
