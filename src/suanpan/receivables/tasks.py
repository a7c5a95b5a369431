"""Background jobs of receivables: the daily run (dunning, the monthly statements due, the payment
plan reminders, and whatever else runs once a day).

Django's Tasks framework has no clock, so the daily run keeps its own: each run, when it is
done, enqueues the next day's at `RECEIVABLES_DAILY_AT` (local time), unless one is pending
already. `suanpan receivables schedule` starts the chain (or mends it after the queue was
emptied). A day runs once: a second run for a day that ran does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from suanpan.receivables.errors import DunningAlreadyRun
from suanpan.receivables.models import DailyRun
from suanpan.receivables.services import (
    dunning_run,
    payment_plan_reminders_send,
    statements_send_scheduled,
)
from suanpan.users.selectors import company_actor

logger = logging.getLogger(__name__)


def _dunning(on: date) -> str:
    try:
        run = dunning_run(on=on)
    except DunningAlreadyRun:
        return "already run"
    return (
        f"{run.letters_sent} sent, {run.letters_skipped} skipped, {run.letters_failed} failed, "
        f"promises {run.promises_kept} kept, {run.promises_broken} broken"
    )


def _statements(on: date) -> str:
    """Last month's statements of the customers on the monthly schedule, as the company's
    first active superuser (whom the statements name as made by)."""
    actor = company_actor()
    if actor is None:
        return "no active superuser to send as"
    run = statements_send_scheduled(on=on, actor=actor)
    return f"{len(run.sent)} sent, {len(run.failed)} failed"


def _plan_reminders(on: date) -> str:
    report = payment_plan_reminders_send(on=on)
    return f"{report.emails} e-mails about {report.instalments} instalments"


# What runs every day, in order: (name, job taking the day). Add a job with one line.
DAILY_JOBS: list[tuple[str, Callable[[date], str]]] = [
    ("dunning", _dunning),
    ("statements", _statements),
    ("plan_reminders", _plan_reminders),
]


def daily_at() -> time:
    """The local time of the daily run (setting RECEIVABLES_DAILY_AT, HH:MM; 07:00)."""
    hours, _sep, minutes = str(getattr(settings, "RECEIVABLES_DAILY_AT", "07:00")).partition(":")
    return time(int(hours), int(minutes or 0))


def next_run_at(now: datetime) -> datetime:
    """The next daily run after `now`: today at the hour if it is still ahead, else tomorrow."""
    local = timezone.localtime(now)
    at = timezone.make_aware(datetime.combine(local.date(), daily_at()))
    return (
        at
        if at > local
        else timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), daily_at()))
    )


def _pending() -> bool:
    """Whether a daily run is waiting in the queue already (database backend)."""
    backend = receivables_daily.get_backend()
    if backend.__class__.__name__ != "DatabaseBackend":
        results = getattr(backend, "results", [])
        return any(
            r.task.module_path == receivables_daily.module_path
            and r.status == TaskResultStatus.READY
            for r in results
        )
    # Waiting, whether or not its time has come (`ready()` counts only those due now).
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=receivables_daily.module_path
    ).exists()


def daily_schedule(*, now: datetime | None = None) -> datetime | None:
    """Enqueue the next daily run unless one is pending; when it will run, or None when
    nothing was enqueued (one is pending, or the backend runs tasks at once and keeps no
    queue to wait in)."""
    backend = receivables_daily.get_backend()
    if not backend.supports_defer or _pending():
        return None
    at = next_run_at(now or timezone.now())
    receivables_daily.using(run_after=at).enqueue(day=timezone.localtime(at).date().isoformat())
    return at


def daily_run(day: date) -> dict[str, str] | None:
    """Run the daily jobs for `day` once: None when the day ran already."""
    try:
        with transaction.atomic():
            run = DailyRun.objects.create(day=day)
    except IntegrityError:
        return None
    results: dict[str, str] = {}
    for name, job in DAILY_JOBS:
        try:
            results[name] = job(day)
        except Exception as exc:  # one job failing must not stop the others or the chain
            logger.exception("daily job %s failed for %s", name, day)
            results[name] = f"failed: {exc}"
    run.results = results
    run.finished_at = timezone.now()
    run.save(update_fields=["results", "finished_at"])
    return results


@task()
def receivables_daily(day: str | None = None) -> dict[str, str] | None:
    """The daily receivables run for `day` (ISO date; today when left out), then the next
    day's enqueued."""
    on = date.fromisoformat(day) if day else timezone.localdate()
    try:
        return daily_run(on)
    finally:
        daily_schedule()
