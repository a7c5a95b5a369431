"""Accounting periods: look-ups, the list page, month arithmetic."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.shortcuts import get_object_or_404

from suanpan.ledger.choices import PeriodStatus, VoucherStatus
from suanpan.ledger.models import (
    Period,
    PeriodEvent,
)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _next_month(first: date) -> date:
    return _month_end(first) + timedelta(days=1)


def _previous_month(first: date) -> date:
    return (first - timedelta(days=1)).replace(day=1)


def period_last_day(period: Period) -> date:
    return date(period.year, period.month, calendar.monthrange(period.year, period.month)[1])


def period_first_day(period: Period) -> date:
    return date(period.year, period.month, 1)


def _months(start: Period, end: Period) -> list[tuple[int, int]]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def period_choices() -> list[Period]:
    return list(Period.objects.order_by("year", "month"))


def period_by_key(key: str) -> Period | None:
    """The period named like 202601, or None."""
    if len(key) != 6 or not key.isdigit():
        return None
    return Period.objects.filter(year=int(key[:4]), month=int(key[4:])).first()


def period_list() -> QuerySet[Period]:
    """Periods, latest first, with their voucher counts per status: one query."""
    return (
        Period.objects.select_related("closed_by")
        .annotate(
            voucher_count=Count("vouchers"),
            posted_count=Count("vouchers", filter=Q(vouchers__status=VoucherStatus.POSTED)),
            unposted_count=Count("vouchers", filter=~Q(vouchers__status=VoucherStatus.POSTED)),
        )
        .order_by("-year", "-month")
    )


def period_get(*, key: str) -> Period:
    key = key.replace("-", "")
    if len(key) != 6 or not key.isdigit():
        from django.http import Http404

        raise Http404
    return get_object_or_404(Period, year=int(key[:4]), month=int(key[4:]))


def period_current() -> Period | None:
    """The earliest open period: the one the books are working in."""
    return Period.objects.filter(status=PeriodStatus.OPEN).order_by("year", "month").first()


def period_events(*, limit: int = 50) -> QuerySet[PeriodEvent]:
    return PeriodEvent.objects.select_related("period", "user").order_by("-at", "-id")[:limit]
