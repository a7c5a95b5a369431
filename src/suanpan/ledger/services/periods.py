"""Accounting periods: the month a posting goes into, closing and reopening."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.date_checks import business_dates_require as _dates_require
from suanpan.core.date_checks import business_window, window_message
from suanpan.core.dates import Outside
from suanpan.core.errors import DateOutOfRange
from suanpan.core.locks import for_update
from suanpan.ledger import selectors, verification
from suanpan.ledger.choices import (
    PeriodStatus,
    VoucherStatus,
)
from suanpan.ledger.errors import (
    LedgerNotSetUp,
    PeriodBeforeStart,
    PeriodClosed,
    PeriodCloseFailed,
    PeriodStateInvalid,
    VoucherInvalid,
)
from suanpan.ledger.models import (
    Company,
    Period,
    PeriodEvent,
)
from suanpan.ledger.selectors import company_get
from suanpan.users.models import User
from suanpan.users.permissions import permission_require


def _period_get_or_create(first_day: date) -> Period:
    try:
        with transaction.atomic():
            period, _created = Period.objects.get_or_create(
                year=first_day.year, month=first_day.month
            )
    except IntegrityError:
        period = Period.objects.get(year=first_day.year, month=first_day.month)
    return period


def books_first_period() -> date | None:
    """The first month of the books, None before they are set up."""
    first: date | None = (
        Company.objects.order_by("pk").values_list("first_period", flat=True).first()
    )
    return first


def business_dates_require(
    events: Mapping[str, date | None],
    plans: Mapping[str, date | None] | None = None,
    *,
    was: Mapping[str, date | None] | None = None,
) -> None:
    """Refuse business dates before the books' first period or too far ahead, each field named
    (core.date_checks); every app's services call it for the dates they are given."""
    _dates_require(events, plans, first_period=books_first_period(), was=was)


def _posting_ahead_check(on: date, first_period: date) -> None:
    """Nothing is posted too far ahead, whichever app posts it: a year-9999 posting would stay
    in every later report (the general and the fast path alike)."""
    window = business_window(first_period=first_period)
    if window.outside(on) is Outside.LATE:
        raise DateOutOfRange(fields={"date": [window_message(window, Outside.LATE)]})


def period_for_posting(on: date, *, company: Company | None = None) -> Period:
    """The open period a voucher dated `on` goes into, created on first use; locked (shared)."""
    first_day = on.replace(day=1)
    # Lock the period row so a concurrent close waits for this posting (and vice versa); the
    # month exists already in all but its first posting. The company's first period comes
    # with it, so a posting into an existing month costs one query.
    locked = for_update(Period.objects.all(), key_share=False)
    found = (
        locked.filter(year=first_day.year, month=first_day.month)
        .annotate(first_period=Subquery(Company.objects.order_by("pk").values("first_period")[:1]))
        .first()
    )
    period: Period | None = found
    if company is not None:
        first_period: date | None = company.first_period
    elif found is not None:
        first_period = found.first_period
    else:
        first_period = company_get().first_period
    if first_period is None:
        raise LedgerNotSetUp()
    if first_day < first_period:
        raise PeriodBeforeStart(date=on.isoformat(), period=first_period.strftime("%Y%m"))
    _posting_ahead_check(on, first_period)
    if period is None:
        period = locked.get(pk=_period_get_or_create(first_day).pk)
    if period.status == PeriodStatus.CLOSED:
        raise PeriodClosed(period=period.key)
    return period


# Joins the checklist's problems in the refusal message; pages split them again to list them.
PROBLEM_SEPARATOR = "; "
CloseCheck = Callable[[Period], list[str]]
CLOSE_CHECKS: list[CloseCheck] = []


def close_check_register(check: CloseCheck) -> CloseCheck:
    """Other apps add period-close steps (a function returning problems) from their ready()."""
    if check not in CLOSE_CHECKS:
        CLOSE_CHECKS.append(check)
    return check


@transaction.atomic
def period_close(*, actor: User, period: Period) -> Period:
    """Run the close checklist and lock the period; refused with every problem named."""
    permission_require(actor, "ledger.close_period")
    period = for_update(Period.objects.all(), key_share=False).get(pk=period.pk)
    if period.status == PeriodStatus.CLOSED:
        raise PeriodStateInvalid(period=period.key)
    problems: list[str] = []
    # Every earlier month must be closed, also one that nothing was posted into yet: its
    # row is created on first use, and a posting there would change this period's balances.
    first = company_get().first_period
    months_before = (period.year - first.year) * 12 + period.month - first.month
    earlier_closed = Period.objects.filter(status=PeriodStatus.CLOSED).filter(
        year__lt=period.year
    ) | Period.objects.filter(status=PeriodStatus.CLOSED, year=period.year, month__lt=period.month)
    if earlier_closed.count() < months_before:
        problems.append(_("earlier periods are still open"))
    unposted = period.vouchers.exclude(status=VoucherStatus.POSTED).count()
    if unposted:
        problems.append(_("%(count)s vouchers are not posted") % {"count": unposted})
    balance = selectors.trial_balance(period_to=period, period_from=period)
    if balance.closing_debit != balance.closing_credit:
        problems.append(_("the trial balance does not net to zero"))
    mismatches = selectors.open_items_check(as_of=selectors.period_last_day(period))
    if mismatches:
        problems.append(
            _("open items differ from their accounts for %(count)s customers")
            % {"count": len(mismatches)}
        )
    # Totals, numbers or chain links changed behind the application's back would be locked
    # into the closed month: the books are verified whole before any month closes.
    problems.extend(verification.books_verify().problems())
    for check in CLOSE_CHECKS:
        problems.extend(check(period))
    if problems:
        raise PeriodCloseFailed(period=period.key, problems=PROBLEM_SEPARATOR.join(problems))
    period.status = PeriodStatus.CLOSED
    period.closed_at = timezone.now()
    period.closed_by = actor
    period.save(update_fields=["status", "closed_at", "closed_by"])
    PeriodEvent.objects.create(period=period, action="close", user=actor)
    return period


@transaction.atomic
def period_reopen(*, actor: User, period: Period, reason: str) -> Period:
    """Re-open the latest closed period (finance managers only); the reason is logged."""
    permission_require(actor, "ledger.reopen_period")
    period = for_update(Period.objects.all(), key_share=False).get(pk=period.pk)
    if period.status != PeriodStatus.CLOSED:
        raise PeriodStateInvalid(period=period.key)
    later_closed = Period.objects.filter(status=PeriodStatus.CLOSED).filter(
        year__gt=period.year
    ) | Period.objects.filter(status=PeriodStatus.CLOSED, year=period.year, month__gt=period.month)
    if later_closed.exists():
        raise PeriodStateInvalid(period=period.key)
    if not reason.strip():
        raise VoucherInvalid(fields={"reason": [_("Say why the period is re-opened.")]})
    period.status = PeriodStatus.OPEN
    period.closed_at = None
    period.closed_by = None
    period.save(update_fields=["status", "closed_at", "closed_by"])
    PeriodEvent.objects.create(period=period, action="reopen", user=actor, reason=reason.strip())
    return period
