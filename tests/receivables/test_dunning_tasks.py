"""The daily receivables run on Django's Tasks framework: runs a day once, chains the next
day at the configured hour, never two pending."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from suanpan.receivables import tasks
from suanpan.receivables.models import DailyRun, DunningRun, Statement
from suanpan.receivables.services import statement_schedule_set
from suanpan.receivables.tasks import daily_schedule, next_run_at, receivables_daily
from tests.factories import UserFactory
from tests.receivables.dunning_support import days_after_due, invoice_due, with_email

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dunning_levels")]
SHANGHAI = ZoneInfo("Asia/Shanghai")
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_daily_task_runs_dunning_for_its_day(customer, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    day = days_after_due(10)
    receivables_daily.enqueue(day=day.isoformat())  # immediate backend in tests
    assert DunningRun.objects.get().run_on == day
    assert len(mail.outbox) == 1
    assert DailyRun.objects.get(day=day).results["dunning"].startswith("1 sent")


def test_the_daily_task_also_sends_the_monthly_statements_due(customer, clerk):
    UserFactory(is_superuser=True)  # whom the scheduled statements are made by
    invoice_due(customer, "1130.00", actor=clerk)
    statement_schedule_set(
        customer_id=customer.pk, email="ap@example.com", is_active=True, actor=clerk
    )
    day = date(2026, 3, 1)
    receivables_daily.enqueue(day=day.isoformat())
    results = DailyRun.objects.get(day=day).results
    assert results["statements"] == "1 sent, 0 failed"
    assert results["plan_reminders"].endswith("instalments")
    statement = Statement.objects.get(customer=customer)
    assert (statement.start_on, statement.end_on) == (date(2026, 2, 1), date(2026, 2, 28))


def test_a_day_that_ran_does_nothing_the_second_time(customer, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    day = days_after_due(10)
    receivables_daily.enqueue(day=day.isoformat())
    assert tasks.daily_run(day) is None
    receivables_daily.enqueue(day=day.isoformat())
    assert len(mail.outbox) == 1
    assert DunningRun.objects.count() == 1


def test_adding_a_daily_job_is_one_entry(monkeypatch):
    seen: list[date] = []
    monkeypatch.setattr(
        tasks, "DAILY_JOBS", [*tasks.DAILY_JOBS, ("probe", lambda on: str(seen.append(on)))]
    )
    assert "probe" in tasks.daily_run(date(2026, 3, 1))
    assert seen == [date(2026, 3, 1)]


def test_a_failing_job_does_not_stop_the_others(monkeypatch):
    def broken(on: date) -> str:
        raise RuntimeError("statement printer on fire")

    monkeypatch.setattr(tasks, "DAILY_JOBS", [("broken", broken), *tasks.DAILY_JOBS])
    results = tasks.daily_run(date(2026, 3, 1))
    assert results["broken"].startswith("failed")
    assert results["dunning"]


def test_next_run_is_today_at_seven_before_seven_else_tomorrow(settings):
    settings.RECEIVABLES_DAILY_AT = "07:00"
    early = datetime(2026, 3, 1, 6, 30, tzinfo=SHANGHAI)
    late = datetime(2026, 3, 1, 7, 0, 1, tzinfo=SHANGHAI)
    assert next_run_at(early) == datetime(2026, 3, 1, 7, 0, tzinfo=SHANGHAI)
    assert next_run_at(late) == datetime(2026, 3, 2, 7, 0, tzinfo=SHANGHAI)


def test_schedule_enqueues_one_pending_run_on_the_database_backend(settings):
    settings.TASKS = DB_TASKS
    at = daily_schedule(now=datetime(2026, 3, 1, 8, 0, tzinfo=SHANGHAI))
    assert at == datetime(2026, 3, 2, 7, 0, tzinfo=SHANGHAI)
    assert daily_schedule(now=datetime(2026, 3, 1, 9, 0, tzinfo=SHANGHAI)) is None
    (queued,) = DBTaskResult.objects.filter(status=TaskResultStatus.READY.value)
    assert queued.task_path == receivables_daily.module_path
    assert queued.run_after == at
    assert queued.args_kwargs["kwargs"] == {"day": "2026-03-02"}


def test_a_run_enqueues_the_next_day(settings):
    settings.TASKS = DB_TASKS
    receivables_daily.call(day="2026-03-01")
    (queued,) = DBTaskResult.objects.filter(status=TaskResultStatus.READY.value)
    assert queued.task_path == receivables_daily.module_path


def test_schedule_command_starts_the_chain_once(settings, capsys):
    settings.TASKS = DB_TASKS
    call_command("receivables", "schedule")
    call_command("receivables", "schedule")
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY.value).count() == 1
    assert "scheduled already" in capsys.readouterr().out


def test_schedule_enqueues_nothing_when_tasks_run_at_once():
    assert daily_schedule() is None


def test_cli_dunning_dry_run_lists_and_sends_nothing_then_runs(customer, clerk, capsys):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    day = days_after_due(10).isoformat()
    call_command("receivables", "dunning", "--on", day, "--dry-run", "--user", clerk.username)
    out = capsys.readouterr().out
    assert customer.number in out and "1,130.00" in out
    assert mail.outbox == [] and DunningRun.objects.count() == 0
    call_command("receivables", "dunning", "--on", day, "--user", clerk.username)
    assert "1 letters sent" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_cli_dunning_refuses_a_second_run_of_the_day(customer, clerk):
    from django.core.management.base import CommandError

    day = days_after_due(10).isoformat()
    call_command("receivables", "dunning", "--on", day, "--user", clerk.username)
    with pytest.raises(CommandError):
        call_command("receivables", "dunning", "--on", day, "--user", clerk.username)
