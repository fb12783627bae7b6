"""The deadline planner: registration and use deadlines, the social-charge reduction quarter, SCE 2.0."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from sce.obligation import texts
from sce.obligation.advantages import Advantage, advantages
from sce.obligation.dates import end_of_month_after, first_quarter_start_on_or_after
from sce.obligation.errors import ObligationInputError
from sce.obligation.message import Message, msg
from sce.obligation.rules import RULE_25000_FROM
from sce.obligation.schedule import NEW_ESTABLISHMENT, Schedule, default_schedule

PLANNER_FIRST_START: Final = date(2016, 1, 1)
"""Activity starts before this day had individually assigned roll-out dates; the planner refuses them."""

TRANSITION_2016_REGISTER_BY: Final = date(2016, 9, 30)
TRANSITION_2016_USE_BY: Final = date(2016, 10, 31)

_BRACKET_TEXTS: Final = {
    "before_2018": texts.BRACKET_BEFORE_2018,
    "2018_2021": texts.BRACKET_2018_2021,
    "from_2022": texts.BRACKET_FROM_2022,
}


@dataclass(frozen=True)
class PlannerSettings:
    """Configurable readings: the planning margin (Decision 15) and the month rule (Decision 10)."""

    margin_days: int = 28
    register_months: int = 2
    use_months: int = 3
    schedule_version: str | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.margin_days <= 366:
            raise ObligationInputError("margin_days", "a whole number of days from 0 to 366 is required")
        if not 0 <= self.register_months <= self.use_months <= 24:
            raise ObligationInputError(
                "register_months", "0 <= register_months <= use_months <= 24 is required"
            )


@dataclass(frozen=True)
class Plan:
    """Every date of the plan, the reasons, and the advantages that depend on it."""

    as_of: date
    activity_start: date
    register_by: date
    use_by: date
    reduction_quarter_start: date
    complete_steps_by: date
    sce2_deadline: date
    sce2_bracket: str
    schedule_version: str
    sce1_commissioned: date | None
    margin_days: int
    notes: tuple[Message, ...]
    advantages: tuple[Advantage, ...]


def _start_deadlines(start: date, settings: PlannerSettings) -> tuple[date, date, Message]:
    if start < PLANNER_FIRST_START:
        raise ObligationInputError(
            "activity_start",
            "the planner covers activity starts from 2016-01-01; earlier roll-out dates were assigned "
            "to each operator individually",
        )
    if start < RULE_25000_FROM:
        note = msg(
            texts.PLAN_TRANSITION_2016, register=TRANSITION_2016_REGISTER_BY, use=TRANSITION_2016_USE_BY
        )
        return TRANSITION_2016_REGISTER_BY, TRANSITION_2016_USE_BY, note
    register_by = end_of_month_after(start, settings.register_months)
    use_by = end_of_month_after(start, settings.use_months)
    note = msg(texts.PLAN_REGISTER_BY, date=register_by, months=settings.register_months, start=start)
    return register_by, use_by, note


def reduction_quarter(as_of: date, activity_start: date, margin_days: int) -> tuple[date, date]:
    """The first quarter start that leaves ``margin_days`` after ``as_of`` and is not before the start.

    Returns (quarter start, date by which every registration step must be finished).
    """
    quarter = first_quarter_start_on_or_after(max(as_of + timedelta(days=margin_days), activity_start))
    return quarter, quarter - timedelta(days=margin_days)


def plan(
    as_of: date,
    activity_start: date | None = None,
    sce1_commissioned: date | None = None,
    settings: PlannerSettings | None = None,
    schedule: Schedule | None = None,
) -> Plan:
    """Plan the deadlines on ``as_of``; without an activity start, the obligation starts on ``as_of``."""
    settings = settings or PlannerSettings()
    schedule = schedule or default_schedule()
    version = schedule.version(settings.schedule_version)
    start = activity_start or as_of

    register_by, use_by, register_note = _start_deadlines(start, settings)
    notes: list[Message] = [register_note]
    if start >= RULE_25000_FROM:
        notes.append(msg(texts.PLAN_USE_BY, date=use_by, months=settings.use_months))
    if register_by < as_of:
        notes.append(msg(texts.PLAN_REGISTER_PASSED))
    if use_by < as_of:
        notes.append(msg(texts.PLAN_USE_PASSED))

    quarter, steps_by = reduction_quarter(as_of, start, settings.margin_days)
    notes.append(msg(texts.PLAN_REDUCTION, quarter=quarter, by=steps_by, days=settings.margin_days))

    if sce1_commissioned is None:
        bracket_id = NEW_ESTABLISHMENT
        sce2 = version.new_establishments
        notes.append(msg(texts.PLAN_SCE2_NEW, date=sce2, version=version.label))
        if start >= sce2:
            notes.append(msg(texts.PLAN_SCE2_DIRECT))
    else:
        bracket_id = schedule.bracket_of(sce1_commissioned).id
        sce2 = version.brackets[bracket_id]
        notes.append(
            msg(
                texts.PLAN_SCE2_MIGRATION,
                commissioned=sce1_commissioned,
                bracket=msg(_BRACKET_TEXTS[bracket_id]) if bracket_id in _BRACKET_TEXTS else bracket_id,
                date=sce2,
                version=version.label,
            )
        )

    return Plan(
        as_of=as_of,
        activity_start=start,
        register_by=register_by,
        use_by=use_by,
        reduction_quarter_start=quarter,
        complete_steps_by=steps_by,
        sce2_deadline=sce2,
        sce2_bracket=bracket_id,
        schedule_version=version.id,
        sce1_commissioned=sce1_commissioned,
        margin_days=settings.margin_days,
        notes=tuple(notes),
        advantages=advantages(quarter),
    )
