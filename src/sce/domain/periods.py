"""Opening periods, booking periods (shifts), booking dates and who is clocked in.

An opening period (MB art. 1 10°) is the span the establishment is open: it may run past midnight but
never longer than 24 h, and every receipt of it belongs to one booking date, the date it started. It may be
split into booking periods (shifts). A user is clocked in (event S, WORK IN) before registering anything
and clocked out (WORK OUT) before the period is closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sce.domain.errors import DomainError

MAX_OPENING = timedelta(hours=24)


def _aware(moment: datetime, field_name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DomainError(field_name, "NAIVE_DATETIME", "a moment carries its time zone")


@dataclass(frozen=True, slots=True)
class OpeningPeriod:
    """One opening of the establishment; ``end`` is ``None`` while it is open."""

    id: str
    start: datetime
    end: datetime | None = None

    def __post_init__(self) -> None:
        _aware(self.start, "start")
        if self.end is not None:
            self._check_end(self.end)

    def _check_end(self, end: datetime) -> None:
        _aware(end, "end")
        if end < self.start:
            raise DomainError("end", "BEFORE_START", f"{end.isoformat()} < {self.start.isoformat()}")
        if end - self.start > MAX_OPENING:
            raise DomainError("end", "LONGER_THAN_24H", "an opening period lasts at most 24 hours")

    @property
    def booking_date(self) -> date:
        """All receipts of the period are booked on the date it started (local date of ``start``)."""
        return self.start.date()

    @property
    def deadline(self) -> datetime:
        """The latest moment the period may end."""
        return self.start + MAX_OPENING

    @property
    def is_open(self) -> bool:
        return self.end is None

    def contains(self, moment: datetime) -> bool:
        _aware(moment, "moment")
        end = self.end if self.end is not None else self.deadline
        return self.start <= moment <= end

    def require_open_at(self, moment: datetime) -> None:
        """Raise unless an event at ``moment`` may be booked in this period."""
        if not self.is_open:
            raise DomainError("opening_period", "CLOSED", self.id)
        if not self.contains(moment):
            raise DomainError("moment", "OUTSIDE_OPENING_PERIOD", f"{moment.isoformat()} not in {self.id}")

    def close(self, at: datetime) -> OpeningPeriod:
        if not self.is_open:
            raise DomainError("opening_period", "CLOSED", self.id)
        self._check_end(at)
        return replace(self, end=at)


def next_opening(previous: OpeningPeriod | None, period_id: str, start: datetime) -> OpeningPeriod:
    """A new opening period, allowed only after the previous one has ended."""
    if previous is not None:
        if previous.end is None:
            raise DomainError("opening_period", "STILL_OPEN", previous.id)
        _aware(start, "start")
        if start < previous.end:
            raise DomainError("start", "OVERLAPS_PREVIOUS", f"{previous.id} ended {previous.end.isoformat()}")
    return OpeningPeriod(period_id, start)


@dataclass(frozen=True, slots=True)
class BookingPeriod:
    """A shift inside an opening period (SCE 2.0 ``bookingPeriodId``)."""

    id: str
    opening: OpeningPeriod
    start: datetime
    end: datetime | None = None

    def __post_init__(self) -> None:
        if not self.opening.contains(self.start):
            raise DomainError("start", "OUTSIDE_OPENING_PERIOD", self.start.isoformat())
        if self.end is not None and (self.end < self.start or not self.opening.contains(self.end)):
            raise DomainError("end", "OUTSIDE_OPENING_PERIOD", self.end.isoformat())

    @property
    def booking_date(self) -> date:
        return self.opening.booking_date

    def close(self, at: datetime) -> BookingPeriod:
        if self.end is not None:
            raise DomainError("booking_period", "CLOSED", self.id)
        return replace(self, end=at)


@dataclass(frozen=True, slots=True)
class Presence:
    """One span of work of a user, from WORK IN to WORK OUT."""

    employee_id: str
    start: datetime
    end: datetime | None = None


@dataclass(slots=True)
class ClockBook:
    """Who is clocked in, and every presence span, for one opening period."""

    presences: list[Presence] = field(default_factory=list)

    def _open(self, employee_id: str) -> int | None:
        for index, presence in enumerate(self.presences):
            if presence.employee_id == employee_id and presence.end is None:
                return index
        return None

    def is_clocked_in(self, employee_id: str) -> bool:
        return self._open(employee_id) is not None

    def clocked_in(self) -> tuple[str, ...]:
        return tuple(p.employee_id for p in self.presences if p.end is None)

    def clock_in(self, employee_id: str, at: datetime) -> Presence:
        _aware(at, "at")
        if self.is_clocked_in(employee_id):
            raise DomainError("employee_id", "ALREADY_CLOCKED_IN", employee_id)
        last = [p for p in self.presences if p.employee_id == employee_id]
        if last and last[-1].end is not None and at < last[-1].end:
            raise DomainError("at", "BEFORE_LAST_CLOCK_OUT", at.isoformat())
        presence = Presence(employee_id, at)
        self.presences.append(presence)
        return presence

    def clock_out(self, employee_id: str, at: datetime) -> Presence:
        _aware(at, "at")
        index = self._open(employee_id)
        if index is None:
            raise DomainError("employee_id", "NOT_CLOCKED_IN", employee_id)
        presence = self.presences[index]
        if at < presence.start:
            raise DomainError("at", "BEFORE_CLOCK_IN", at.isoformat())
        closed = replace(presence, end=at)
        self.presences[index] = closed
        return closed

    def require_clocked_in(self, employee_id: str) -> None:
        """No event without a logged-in, clocked-in user (MB art. 15)."""
        if not self.is_clocked_in(employee_id):
            raise DomainError("employee_id", "NOT_CLOCKED_IN", f"{employee_id}: WORK IN first")

    def require_all_out(self) -> None:
        """Closing the opening period needs every user clocked out."""
        still = self.clocked_in()
        if still:
            raise DomainError("clocked_in", "USERS_STILL_IN", ", ".join(still))
