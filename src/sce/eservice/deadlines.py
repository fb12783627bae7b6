"""Installation deadlines of an establishment (regulation § 2.5, Decision 10): register by the end of the
2nd month after the start of the activity (or the crossing of the threshold), use by the end of the 3rd."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sce.obligation.dates import end_of_month_after

REGISTER_MONTHS = 2
USE_MONTHS = 3


@dataclass(frozen=True, slots=True)
class Deadlines:
    register_by: date
    use_by: date


def deadlines(activity_start: date) -> Deadlines:
    return Deadlines(
        end_of_month_after(activity_start, REGISTER_MONTHS), end_of_month_after(activity_start, USE_MONTHS)
    )
