"""Calendar arithmetic of the planner: strict ISO dates, month ends and quarter starts."""

from __future__ import annotations

import calendar
import re
from datetime import date

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
QUARTER_MONTHS = (1, 4, 7, 10)


def parse_iso_date(value: object) -> date | None:
    """A date from a ``YYYY-MM-DD`` string; None when the text is not such a valid date."""
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def end_of_month_after(start: date, months: int) -> date:
    """The last day of the month that lies ``months`` calendar months after the month of ``start``."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, calendar.monthrange(year, month)[1])


def first_quarter_start_on_or_after(day: date) -> date:
    """The first 1 January, 1 April, 1 July or 1 October that is ``day`` or later."""
    if day.day == 1 and day.month in QUARTER_MONTHS:
        return day
    for month in QUARTER_MONTHS:
        if month > day.month:
            return date(day.year, month, 1)
    return date(day.year + 1, 1, 1)
