"""The window of plausible business dates, and date arithmetic that cannot overflow. No Django.

A business date (a voucher's, an order's, a receipt's …) is refused before the books start and
more than a set number of days after today: a year 1 or 9999 typed by mistake would otherwise
be posted, numbered (XS-101-0001) and break every report that counts days from it. Planned
dates (a contract's end, an instalment's due date, a quote's expiry) may lie further ahead.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

# Where no books are set up yet there is no first period to start from: dates before this day
# are refused then (a CRM used before its books still refuses year 1).
EARLIEST_WITHOUT_BOOKS = date(2000, 1, 1)


def days_after(day: date, days: int) -> date:
    """`day` plus `days` (negative: before), held to the calendar's ends instead of overflowing:
    9999-12-31 plus a day is 9999-12-31, 0001-01-01 minus a day is 0001-01-01."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def month_next(month: date) -> date | None:
    """The first day of the month after `month`'s; None after December 9999."""
    if month.month == 12:
        return None if month.year == date.max.year else date(month.year + 1, 1, 1)
    return date(month.year, month.month + 1, 1)


def month_previous(month: date) -> date | None:
    """The first day of the month before `month`'s; None before January of year 1."""
    if month.month == 1:
        return None if month.year == date.min.year else date(month.year - 1, 12, 1)
    return date(month.year, month.month - 1, 1)


def month_last_day(month: date) -> date:
    """The last day of `month`'s month (December 9999 included)."""
    following = month_next(month)
    return date.max if following is None else following - timedelta(days=1)


class Outside(Enum):
    EARLY = "early"
    LATE = "late"


@dataclass(frozen=True)
class DateWindow:
    """Business dates from `earliest` to `latest`, both included; planned dates up to
    `latest_plan`. `books` says whether `earliest` is the books' first period."""

    earliest: date
    latest: date
    latest_plan: date
    books: bool

    def outside(self, day: date, *, plan: bool = False) -> Outside | None:
        if day < self.earliest:
            return Outside.EARLY
        if day > (self.latest_plan if plan else self.latest):
            return Outside.LATE
        return None


def date_window(
    *, today: date, first_period: date | None, max_future_days: int, max_plan_days: int
) -> DateWindow:
    """The window as of `today`: from the books' first period (or EARLIEST_WITHOUT_BOOKS)."""
    return DateWindow(
        earliest=first_period or EARLIEST_WITHOUT_BOOKS,
        latest=days_after(today, max_future_days),
        latest_plan=days_after(today, max(max_plan_days, max_future_days)),
        books=first_period is not None,
    )


def dates_outside(
    window: DateWindow,
    events: Mapping[str, date | None],
    plans: Mapping[str, date | None] | None = None,
    *,
    was: Mapping[str, date | None] | None = None,
) -> dict[str, Outside]:
    """The fields whose date lies outside the window: `events` (dates something happened on) up
    to `latest`, `plans` up to `latest_plan`. A date equal to the one stored before (`was`) is
    not checked again, so a record dated before the books began can still be edited."""
    found: dict[str, Outside] = {}
    was = was or {}
    for values, plan in ((events, False), (plans or {}, True)):
        for name, day in values.items():
            if day is None or (name in was and was[name] == day):
                continue
            where = window.outside(day, plan=plan)
            if where is not None:
                found[name] = where
    return found
