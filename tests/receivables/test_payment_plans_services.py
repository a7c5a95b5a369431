"""Payment plan writes: the reminder setting (checked, the finance manager's), and reminders to
contract owners: one digest e-mail per owner, each instalment once, none for money received."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from suanpan.core.errors import PermissionDeniedError
from suanpan.receivables.errors import ReceivablesSettingsInvalid
from suanpan.receivables.models import PlanReminder, ReceivablesSettings
from suanpan.receivables.selectors import receivables_settings_get
from suanpan.receivables.services import (
    payment_plan_reminders_send,
    receivables_settings_update,
)
from suanpan.users.choices import Role
from tests.factories import UserFactory
from tests.receivables.plan_support import contract_with_plan, instalment_invoiced
from tests.receivables.support import invoice_item, received

pytestmark = pytest.mark.django_db
D = Decimal
ON = date(2026, 12, 1)


def test_settings_default_to_seven_days_and_save_once(clerk):
    assert receivables_settings_get().remind_days_before == 7
    manager = UserFactory(role=Role.FINANCE_MANAGER)
    receivables_settings_update(remind_days_before=3, actor=manager)
    receivables_settings_update(remind_days_before=0, actor=manager)
    assert ReceivablesSettings.objects.count() == 1
    assert receivables_settings_get().remind_days_before == 0


@pytest.mark.parametrize("days", [-1, 91, True, "7"])
def test_bad_settings_are_refused_with_nothing_saved(days):
    manager = UserFactory(role=Role.FINANCE_MANAGER)
    with pytest.raises(ReceivablesSettingsInvalid) as refused:
        receivables_settings_update(remind_days_before=days, actor=manager)
    assert "remind_days_before" in refused.value.fields
    assert not ReceivablesSettings.objects.exists()


def test_only_the_finance_manager_changes_the_settings(clerk, seller):
    for user in (clerk, seller):
        with pytest.raises(PermissionDeniedError):
            receivables_settings_update(remind_days_before=3, actor=user)


def test_each_owner_gets_one_digest_and_each_instalment_is_reminded_once(
    customer, other_customer, seller, clerk
):
    seller.email = "seller@example.com"
    seller.save()
    colleague = UserFactory(role=Role.SALES, email="colleague@example.com")
    _c, (soon, later, too_late) = contract_with_plan(
        customer,
        owner=seller,
        plan=(
            ("100.00", ON + timedelta(days=2)),
            ("200.00", ON + timedelta(days=7)),
            ("300.00", ON + timedelta(days=8)),
        ),
    )
    _d, (theirs,) = contract_with_plan(other_customer, owner=colleague, plan=(("400.00", ON),))
    report = payment_plan_reminders_send(on=ON)
    assert (report.emails, report.instalments, report.unreachable) == (2, 3, [])
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"seller@example.com", "colleague@example.com"}
    body = by_recipient["seller@example.com"].body
    assert "#1" in body and "#2" in body and "#3" not in body
    assert set(PlanReminder.objects.values_list("instalment_id", flat=True)) == {
        soon.pk,
        later.pk,
        theirs.pk,
    }
    # The next day's run reminds only of what came into the window since.
    report = payment_plan_reminders_send(on=ON + timedelta(days=1))
    assert (report.emails, report.instalments) == (1, 1)
    assert "#3" in mail.outbox[-1].body
    assert payment_plan_reminders_send(on=ON + timedelta(days=1)).emails == 0
    assert len(mail.outbox) == 3
    assert too_late.pk in PlanReminder.objects.values_list("instalment_id", flat=True)


def test_no_reminder_for_money_received_nor_for_an_owner_without_e_mail(customer, seller, clerk):
    seller.email = "seller@example.com"
    seller.save()
    _c, (paid,) = contract_with_plan(customer, owner=seller, plan=(("339.00", ON),))
    bill = instalment_invoiced(paid, "339.00", maker=clerk)
    received(
        customer,
        "339.00",
        actor=clerk,
        on=date(2026, 11, 20),
        allocations=((invoice_item(bill), "339.00"),),
    )
    silent = UserFactory(role=Role.SALES, email="")
    contract_with_plan(customer, owner=silent, plan=(("50.00", ON),))
    draft, _rows = contract_with_plan(customer, owner=seller, plan=(("70.00", ON),))
    draft.status = "draft"
    draft.save()
    report = payment_plan_reminders_send(on=ON)
    assert (report.emails, report.unreachable) == (0, [silent.username])
    assert mail.outbox == []
    assert not PlanReminder.objects.exists()


def test_a_refused_e_mail_logs_nothing_and_is_tried_again(customer, seller, monkeypatch):
    seller.email = "seller@example.com"
    seller.save()
    contract_with_plan(customer, owner=seller, plan=(("50.00", ON),))

    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("suanpan.receivables.services.payment_plans.send_mail", refuse)
    report = payment_plan_reminders_send(on=ON)
    assert (report.emails, report.unreachable) == (0, [seller.username])
    assert not PlanReminder.objects.exists()
    monkeypatch.undo()
    assert payment_plan_reminders_send(on=ON).emails == 1


def test_the_command_sends_the_days_reminders(customer, seller, clerk, capsys):
    seller.email = "seller@example.com"
    seller.save()
    contract_with_plan(customer, owner=seller, plan=(("80.00", ON + timedelta(days=1)),))
    call_command("receivables", "plan-reminders", "--on", ON.isoformat(), "--user", clerk.username)
    assert "1 reminders sent, about 1 instalments." in capsys.readouterr().out
    assert len(mail.outbox) == 1
    with pytest.raises(CommandError):
        call_command("receivables", "plan-reminders", "--user", seller.username)
    with pytest.raises(CommandError):
        call_command(
            "receivables", "plan-reminders", "--on", "12/01/2026", "--user", clerk.username
        )
