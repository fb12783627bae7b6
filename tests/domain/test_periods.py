"""Opening periods of at most 24 h, booking date = start date, shifts, and clock-in state per user."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sce.domain.errors import DomainError
from sce.domain.periods import BookingPeriod, ClockBook, OpeningPeriod, next_opening

BRUSSELS = ZoneInfo("Europe/Brussels")
EVENING = datetime(2026, 11, 21, 17, 0, tzinfo=BRUSSELS)
MARIA, JAN = "85073003328", "03021412348"


def test_booking_date_is_the_start_date_even_after_midnight() -> None:
    period = OpeningPeriod("p1", EVENING)
    late = EVENING + timedelta(hours=10)
    assert late.date() != EVENING.date()
    assert period.contains(late)
    closed = period.close(late)
    assert closed.booking_date == EVENING.date()
    assert closed.end == late and not closed.is_open and period.is_open


def test_an_opening_period_lasts_at_most_24_hours() -> None:
    period = OpeningPeriod("p1", EVENING)
    assert period.deadline == EVENING + timedelta(hours=24)
    assert period.close(period.deadline).end == period.deadline
    with pytest.raises(DomainError) as caught:
        period.close(EVENING + timedelta(hours=24, seconds=1))
    assert (caught.value.field, caught.value.rule) == ("end", "LONGER_THAN_24H")
    with pytest.raises(DomainError) as before:
        period.close(EVENING - timedelta(minutes=1))
    assert before.value.rule == "BEFORE_START"
    with pytest.raises(DomainError) as built:
        OpeningPeriod("p2", EVENING, EVENING + timedelta(days=2))
    assert built.value.rule == "LONGER_THAN_24H"


@given(st.integers(min_value=0, max_value=48 * 3600))
def test_close_accepts_exactly_the_first_24_hours(seconds: int) -> None:
    period = OpeningPeriod("p", EVENING)
    at = EVENING + timedelta(seconds=seconds)
    if seconds <= 24 * 3600:
        assert period.close(at).booking_date == EVENING.date()
    else:
        with pytest.raises(DomainError):
            period.close(at)


def test_moments_carry_a_time_zone() -> None:
    with pytest.raises(DomainError) as caught:
        OpeningPeriod("p", datetime(2026, 11, 21, 17, 0))
    assert (caught.value.field, caught.value.rule) == ("start", "NAIVE_DATETIME")


def test_events_are_booked_only_in_an_open_period_and_its_span() -> None:
    period = OpeningPeriod("p", EVENING)
    period.require_open_at(EVENING + timedelta(hours=1))
    with pytest.raises(DomainError) as outside:
        period.require_open_at(EVENING + timedelta(hours=25))
    assert outside.value.rule == "OUTSIDE_OPENING_PERIOD"
    closed = period.close(EVENING + timedelta(hours=6))
    with pytest.raises(DomainError) as shut:
        closed.require_open_at(EVENING + timedelta(hours=1))
    assert (shut.value.field, shut.value.rule) == ("opening_period", "CLOSED")
    with pytest.raises(DomainError) as again:
        closed.close(EVENING + timedelta(hours=7))
    assert again.value.rule == "CLOSED"


def test_next_opening_follows_the_previous_one() -> None:
    first = OpeningPeriod("p1", EVENING)
    with pytest.raises(DomainError) as still:
        next_opening(first, "p2", EVENING + timedelta(hours=3))
    assert (still.value.field, still.value.rule) == ("opening_period", "STILL_OPEN")
    closed = first.close(EVENING + timedelta(hours=8))
    with pytest.raises(DomainError) as overlap:
        next_opening(closed, "p2", EVENING + timedelta(hours=7))
    assert overlap.value.rule == "OVERLAPS_PREVIOUS"
    second = next_opening(closed, "p2", EVENING + timedelta(hours=20))
    assert second.booking_date == (EVENING + timedelta(hours=20)).date()
    assert next_opening(None, "p0", EVENING).id == "p0"


def test_shifts_lie_inside_their_opening_period() -> None:
    period = OpeningPeriod("p", EVENING)
    lunch = BookingPeriod("b1", period, EVENING + timedelta(hours=1))
    assert lunch.booking_date == EVENING.date()
    ended = lunch.close(EVENING + timedelta(hours=4))
    with pytest.raises(DomainError) as closed:
        ended.close(EVENING + timedelta(hours=5))
    assert (closed.value.field, closed.value.rule) == ("booking_period", "CLOSED")
    with pytest.raises(DomainError) as outside:
        BookingPeriod("b2", period, EVENING - timedelta(hours=1))
    assert (outside.value.field, outside.value.rule) == ("start", "OUTSIDE_OPENING_PERIOD")
    with pytest.raises(DomainError) as late_end:
        BookingPeriod("b3", period, EVENING, EVENING + timedelta(hours=30))
    assert late_end.value.field == "end"


def test_clock_in_and_out_per_user() -> None:
    book = ClockBook()
    with pytest.raises(DomainError) as not_in:
        book.require_clocked_in(MARIA)
    assert (not_in.value.field, not_in.value.rule) == ("employee_id", "NOT_CLOCKED_IN")
    book.clock_in(MARIA, EVENING)
    book.clock_in(JAN, EVENING + timedelta(minutes=5))
    book.require_clocked_in(MARIA)
    assert book.clocked_in() == (MARIA, JAN)
    with pytest.raises(DomainError) as twice:
        book.clock_in(MARIA, EVENING + timedelta(hours=1))
    assert twice.value.rule == "ALREADY_CLOCKED_IN"
    with pytest.raises(DomainError) as all_out:
        book.require_all_out()
    assert (all_out.value.field, all_out.value.rule) == ("clocked_in", "USERS_STILL_IN")
    with pytest.raises(DomainError) as early:
        book.clock_out(MARIA, EVENING - timedelta(minutes=1))
    assert early.value.rule == "BEFORE_CLOCK_IN"
    presence = book.clock_out(MARIA, EVENING + timedelta(hours=4))
    assert presence.end == EVENING + timedelta(hours=4)
    assert not book.is_clocked_in(MARIA)
    with pytest.raises(DomainError) as out_twice:
        book.clock_out(MARIA, EVENING + timedelta(hours=5))
    assert out_twice.value.rule == "NOT_CLOCKED_IN"
    with pytest.raises(DomainError) as back_in_time:
        book.clock_in(MARIA, EVENING + timedelta(hours=3))
    assert back_in_time.value.rule == "BEFORE_LAST_CLOCK_OUT"
    book.clock_in(MARIA, EVENING + timedelta(hours=5))
    book.clock_out(MARIA, EVENING + timedelta(hours=6))
    book.clock_out(JAN, datetime(2026, 11, 21, 23, 0, tzinfo=UTC))
    book.require_all_out()
    assert [p.employee_id for p in book.presences] == [MARIA, JAN, MARIA]
