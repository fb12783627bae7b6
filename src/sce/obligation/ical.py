"""The plan as an iCalendar file: one all-day event per deadline."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from sce.obligation import texts
from sce.obligation.i18n import DEFAULT_LANG, Lang, render, render_all
from sce.obligation.message import msg
from sce.obligation.planner import Plan

PRODID = "-//sce//obligation planner//EN"


def plan_events(plan: Plan) -> tuple[tuple[str, str, date], ...]:
    """(key, label message id, date) of every dated step, in chronological order."""
    events = (
        ("register_by", texts.LABEL_REGISTER_BY, plan.register_by),
        ("use_by", texts.LABEL_USE_BY, plan.use_by),
        ("complete_steps_by", texts.LABEL_COMPLETE_STEPS_BY, plan.complete_steps_by),
        ("reduction_quarter_start", texts.LABEL_REDUCTION_QUARTER, plan.reduction_quarter_start),
        ("sce2_deadline", texts.LABEL_SCE2, plan.sce2_deadline),
    )
    return tuple(sorted(events, key=lambda event: (event[2], event[0])))


def plan_to_ical(plan: Plan, lang: Lang = DEFAULT_LANG) -> bytes:
    """An RFC 5545 calendar; identical input gives identical bytes (UIDs and DTSTAMP derive from it)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    description = "\n".join(render_all(plan.notes, lang))
    stamp = datetime(plan.as_of.year, plan.as_of.month, plan.as_of.day, tzinfo=UTC)
    for key, label, day in plan_events(plan):
        event = Event()
        digest = hashlib.sha256(
            f"{key}|{day.isoformat()}|{plan.activity_start.isoformat()}".encode()
        ).hexdigest()
        event.add("uid", f"{digest[:32]}@sce-obligation")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", render(msg(label), lang))
        event.add("description", description)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
