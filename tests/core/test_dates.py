"""The window of business dates and overflow-free date arithmetic; no database."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from suanpan.core.dates import (
    EARLIEST_WITHOUT_BOOKS,
    Outside,
    date_window,
    dates_outside,
    days_after,
    month_last_day,
    month_next,
)

TODAY = date(2026, 12, 2)


def _window(first_period: date | None = date(2026, 1, 1)):
    return date_window(
        today=TODAY, first_period=first_period, max_future_days=366, max_plan_days=3660
    )


@given(st.dates(), st.integers(min_value=-4_000_000, max_value=4_000_000))
def test_days_after_never_overflows_and_is_exact_when_it_fits(day, days):
    result = days_after(day, days)
    try:
        assert result == day + timedelta(days=days)
    except OverflowError:
        assert result == (date.max if days > 0 else date.min)


@given(st.dates())
def test_month_next_and_last_day_stay_in_the_calendar(day):
    last = month_last_day(day)
    assert last.month == day.month and last >= day
    following = month_next(day)
    if following is None:
        assert (day.year, day.month) == (9999, 12)
    else:
        assert following == last + timedelta(days=1) and following.day == 1


def test_window_runs_from_the_first_period_to_the_set_distance_ahead():
    window = _window()
    assert (window.earliest, window.latest) == (date(2026, 1, 1), date(2027, 12, 3))
    assert window.latest_plan == TODAY + timedelta(days=3660)
    assert window.outside(date(2025, 12, 31)) is Outside.EARLY
    assert window.outside(date(2026, 1, 1)) is None
    assert window.outside(date(2027, 12, 3)) is None
    assert window.outside(date(2027, 12, 4)) is Outside.LATE
    assert window.outside(date(2027, 12, 4), plan=True) is None
    assert window.outside(date.max, plan=True) is Outside.LATE


def test_window_without_books_starts_in_2000():
    window = _window(None)
    assert (window.earliest, window.books) == (EARLIEST_WITHOUT_BOOKS, False)
    assert window.outside(date(1, 1, 1)) is Outside.EARLY


def test_window_near_the_end_of_the_calendar_does_not_overflow():
    window = date_window(
        today=date(9999, 12, 1), first_period=None, max_future_days=366, max_plan_days=3660
    )
    assert window.latest == window.latest_plan == date.max


def test_dates_outside_names_fields_and_skips_unchanged_ones():
    window = _window()
    found = dates_outside(
        window,
        {"ordered_on": date(9999, 12, 31), "blank": None, "old": date(2020, 5, 1)},
        {"due_on": date(2030, 1, 1), "far": date(9999, 1, 1)},
        was={"old": date(2020, 5, 1)},
    )
    assert found == {"ordered_on": Outside.LATE, "far": Outside.LATE}
