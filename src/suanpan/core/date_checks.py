"""The business-date window applied: services refuse dates outside it, field by field.

The window itself is Django-free (core.dates); here it is read from the settings
(`SUANPAN_MAX_FUTURE_DAYS`, `SUANPAN_MAX_PLAN_DAYS`) and today's date, and a date outside it is
a `DateOutOfRange` naming the field, which pages show next to the field and the API answers with
422. The earliest date, the books' first period, is handed in by the caller (the ledger knows it:
`ledger.services.business_dates_require`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.dates import DateWindow, Outside, date_window, dates_outside
from suanpan.core.errors import DateOutOfRange


def business_window(*, first_period: date | None) -> DateWindow:
    return date_window(
        today=timezone.localdate(),
        first_period=first_period,
        max_future_days=settings.SUANPAN_MAX_FUTURE_DAYS,
        max_plan_days=settings.SUANPAN_MAX_PLAN_DAYS,
    )


def window_message(window: DateWindow, where: Outside, *, plan: bool = False) -> str:
    """What the user reads next to a date outside the window."""
    if where is Outside.EARLY:
        if window.books:
            return _("Enter a date on or after %(earliest)s, when the books begin.") % {
                "earliest": window.earliest.isoformat()
            }
        return _("Enter a date on or after %(earliest)s.") % {
            "earliest": window.earliest.isoformat()
        }
    return _("Enter a date on or before %(latest)s.") % {
        "latest": (window.latest_plan if plan else window.latest).isoformat()
    }


def business_dates_require(
    events: Mapping[str, date | None],
    plans: Mapping[str, date | None] | None = None,
    *,
    first_period: date | None,
    was: Mapping[str, date | None] | None = None,
) -> None:
    """Refuse the dates outside the window, every such field named (see core.dates)."""
    window = business_window(first_period=first_period)
    outside = dates_outside(window, events, plans, was=was)
    if outside:
        plans = plans or {}
        raise DateOutOfRange(
            fields={
                name: [window_message(window, where, plan=name in plans)]
                for name, where in outside.items()
            }
        )


def report_date_problem(value: date, *, plan: bool = False) -> str | None:
    """What is wrong with a report's date parameter (an ageing's "as of", a pipeline's first
    month), None when nothing is. Reports read, so dates before the books began are fine; the
    calendar's far ends (year 1, year 9999) are refused like a business date is."""
    window = business_window(first_period=None)
    where = window.outside(value, plan=plan)
    return None if where is None else window_message(window, where, plan=plan)


def report_dates_require(
    events: Mapping[str, date | None], plans: Mapping[str, date | None] | None = None
) -> None:
    """Refuse report date parameters outside the window (see report_date_problem), by field."""
    business_dates_require(events, plans, first_period=None)
