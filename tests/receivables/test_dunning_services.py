"""Dunning (催款) runs: one consolidated letter per customer, each item once per level, promises
and exclusions pause it, credit hold at the last level, once a day, e-mail through Django."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from suanpan.core.errors import NotFound, PermissionDeniedError
from suanpan.receivables.choices import LetterStatus, PromiseStatus, SkipReason
from suanpan.receivables.errors import DunningAlreadyRun, DunningInvalid, PromiseNotOpen, TaskDone
from suanpan.receivables.models import (
    CollectionTask,
    DunningLetter,
    DunningLevel,
    PaymentPromise,
)
from suanpan.receivables.selectors import dunning_preview
from suanpan.receivables.services import (
    LevelInput,
    ProfileInput,
    dunning_level_update,
    dunning_profile_update,
    dunning_run,
    promise_create,
    promise_mark,
    receipt_cancel,
    task_done,
)
from tests.receivables.dunning_support import days_after_due, invoice_due, with_email
from tests.receivables.support import invoice_item, received

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dunning_levels")]
D = Decimal


def test_run_sends_one_consolidated_letter_when_two_invoices_reached_different_levels(
    customer, clerk
):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)  # 38 days overdue: formal
    invoice_due(customer, "565.00", actor=clerk, days_later=31)  # 7 days overdue: friendly
    run = dunning_run(on=days_after_due(38), actor=clerk)
    assert run.letters_sent == 1
    assert len(mail.outbox) == 1
    letter = DunningLetter.objects.get(customer=customer)
    assert letter.level.days == 30
    assert sorted(i.level.days for i in letter.items.all()) == [7, 30]
    assert letter.total_amount == D("1695.00")
    assert mail.outbox[0].to == ["ap@example.com"]
    assert "1,695.00" in mail.outbox[0].body
    assert letter.statement_requested
    # The formal level attaches the customer's statement: a PDF with the amount owed.
    ((name, content, mimetype),) = mail.outbox[0].attachments
    assert name.endswith(".pdf") and mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "1,695.00" in text
    assert letter.task_created
    task = CollectionTask.objects.get(customer=customer)
    assert task.owner == customer.owner


def test_an_item_is_not_dunned_twice_at_the_same_level(customer, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    dunning_run(on=days_after_due(7), actor=clerk)
    again = dunning_run(on=days_after_due(8), actor=clerk)
    assert again.letters_sent == 0
    assert len(mail.outbox) == 1
    dunning_run(on=days_after_due(30), actor=clerk)
    assert len(mail.outbox) == 2


def test_run_refuses_a_second_run_for_the_same_day(customer, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    dunning_run(on=days_after_due(7), actor=clerk)
    with pytest.raises(DunningAlreadyRun):
        dunning_run(on=days_after_due(7), actor=clerk)
    assert len(mail.outbox) == 1


def test_a_reminder_goes_out_before_the_due_date(customer, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    dunning_run(on=days_after_due(-3), actor=clerk)
    letter = DunningLetter.objects.get(customer=customer)
    assert letter.level.days == -3
    assert not letter.task_created


def test_nothing_is_written_when_no_item_reached_a_level(customer, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    run = dunning_run(on=days_after_due(-10), actor=clerk)
    assert run.letters_sent == run.letters_skipped == 0
    assert mail.outbox == []


def test_a_paid_invoice_is_not_dunned(customer, clerk):
    with_email(customer)
    item = invoice_item(invoice_due(customer, "1130.00", actor=clerk))
    received(customer, "1130.00", actor=clerk, allocations=((item, "1130.00"),))
    dunning_run(on=days_after_due(10), actor=clerk)
    assert mail.outbox == []


def test_an_open_promise_pauses_dunning_until_its_date(customer, clerk, monkeypatch):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    monkeypatch.setattr(timezone, "localdate", lambda: days_after_due(5))
    promise_create(
        customer_id=customer.pk, amount=D("1130.00"), promised_on=days_after_due(12), actor=clerk
    )
    monkeypatch.undo()
    paused = dunning_run(on=days_after_due(10), actor=clerk)
    assert paused.letters_skipped == 1
    assert mail.outbox == []
    assert DunningLetter.objects.get(customer=customer).skip_reason == SkipReason.PROMISE
    dunning_run(on=days_after_due(13), actor=clerk)
    assert len(mail.outbox) == 1


def test_a_broken_promise_no_longer_pauses(customer, clerk, monkeypatch):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    monkeypatch.setattr(timezone, "localdate", lambda: days_after_due(5))
    promise = promise_create(
        customer_id=customer.pk, amount=D("500.00"), promised_on=days_after_due(20), actor=clerk
    )
    monkeypatch.undo()
    promise_mark(promise=promise, status=PromiseStatus.BROKEN, actor=clerk)
    dunning_run(on=days_after_due(10), actor=clerk)
    assert len(mail.outbox) == 1
    with pytest.raises(PromiseNotOpen):
        promise_mark(promise=promise, status=PromiseStatus.KEPT, actor=clerk)


def _promise_made(customer, clerk, monkeypatch, *, amount: str, made: int, by: int):
    """A promise recorded `made` days after the due date for `by` days after it."""
    monkeypatch.setattr(timezone, "localdate", lambda: days_after_due(made))
    promise = promise_create(
        customer_id=customer.pk, amount=D(amount), promised_on=days_after_due(by), actor=clerk
    )
    monkeypatch.undo()
    made_at = timezone.make_aware(datetime.combine(days_after_due(made), time(10)))
    PaymentPromise.objects.filter(pk=promise.pk).update(created_at=made_at)
    return promise


def test_a_promise_paid_in_full_is_marked_kept_by_the_run(customer, clerk, monkeypatch):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    promise = _promise_made(customer, clerk, monkeypatch, amount="500.00", made=5, by=20)
    received(customer, "300.00", actor=clerk, on=days_after_due(6))
    received(customer, "200.00", actor=clerk, on=days_after_due(8))
    run = dunning_run(on=days_after_due(10), actor=clerk)
    promise.refresh_from_db()
    assert promise.status == PromiseStatus.KEPT
    assert (run.promises_kept, run.promises_broken) == (1, 0)
    # Kept before its day, it no longer holds the letter for what is still overdue.
    assert len(mail.outbox) == 1
    assert promise.history.latest().history_change_reason == (
        f"Dunning run of {days_after_due(10).isoformat()}"
    )
    assert not CollectionTask.objects.filter(text__contains="promised").exists()


def test_a_promise_short_paid_by_its_day_is_broken_and_the_owner_gets_a_task(
    customer, clerk, monkeypatch
):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    promise = _promise_made(customer, clerk, monkeypatch, amount="500.00", made=5, by=12)
    received(customer, "900.00", actor=clerk, on=days_after_due(4))  # before it was made
    received(customer, "200.00", actor=clerk, on=days_after_due(9))
    cancelled = received(customer, "400.00", actor=clerk, on=days_after_due(10))
    receipt_cancel(receipt=cancelled, reason="bounced", actor=clerk, on=days_after_due(11))
    received(customer, "600.00", actor=clerk, on=days_after_due(13))  # after its day
    waiting = dunning_run(on=days_after_due(12), actor=clerk)
    promise.refresh_from_db()
    assert promise.status == PromiseStatus.OPEN  # its day has not passed yet
    assert (waiting.promises_kept, waiting.promises_broken) == (0, 0)
    run = dunning_run(on=days_after_due(13), actor=clerk)
    promise.refresh_from_db()
    assert promise.status == PromiseStatus.BROKEN
    assert (run.promises_kept, run.promises_broken) == (0, 1)
    task = CollectionTask.objects.get(customer=customer, text__contains="promised")
    assert task.owner == customer.owner
    assert task.due_on == days_after_due(13)
    assert "500.00" in task.text and "200.00" in task.text


def test_a_promise_marked_by_hand_is_left_alone_by_the_run(customer, clerk, monkeypatch):
    promise = _promise_made(customer, clerk, monkeypatch, amount="500.00", made=5, by=8)
    promise_mark(promise=promise, status=PromiseStatus.KEPT, actor=clerk)
    run = dunning_run(on=days_after_due(10), actor=clerk)
    promise.refresh_from_db()
    assert promise.status == PromiseStatus.KEPT
    assert (run.promises_kept, run.promises_broken) == (0, 0)


def test_an_excluded_customer_is_skipped_and_logged_once(customer, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    dunning_profile_update(
        customer_id=customer.pk,
        data=ProfileInput(is_excluded=True, excluded_reason="诉讼中"),
        actor=clerk,
    )
    dunning_run(on=days_after_due(10), actor=clerk)
    dunning_run(on=days_after_due(11), actor=clerk)
    assert mail.outbox == []
    (letter,) = DunningLetter.objects.filter(customer=customer)
    assert letter.status == LetterStatus.SKIPPED
    assert letter.skip_reason == SkipReason.EXCLUDED


def test_a_customer_without_an_email_is_skipped_with_the_reason(customer, clerk):
    invoice_due(customer, "1130.00", actor=clerk)
    run = dunning_run(on=days_after_due(10), actor=clerk)
    assert run.letters_skipped == 1
    assert DunningLetter.objects.get(customer=customer).skip_reason == SkipReason.NO_EMAIL


def test_the_profile_address_and_language_are_used(customer, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    dunning_profile_update(
        customer_id=customer.pk,
        data=ProfileInput(email="finance@example.com", language="en"),
        actor=clerk,
    )
    dunning_run(on=days_after_due(10), actor=clerk)
    assert mail.outbox[0].to == ["finance@example.com"]
    assert mail.outbox[0].body.startswith("Dear ")
    assert "Days overdue" in mail.outbox[0].body


def test_the_chinese_letter_is_the_default(customer, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    dunning_run(on=days_after_due(10), actor=clerk)
    assert "逾期合计：¥1,130.00" in mail.outbox[0].body
    assert customer.name in mail.outbox[0].body


def test_the_final_level_puts_the_customer_on_credit_hold(customer, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    run = dunning_run(on=days_after_due(61), actor=clerk)
    customer.refresh_from_db()
    assert customer.credit_hold
    assert run.holds_placed == 1
    assert DunningLetter.objects.get(customer=customer).hold_placed


def test_interest_is_charged_at_the_level_rate(customer, clerk):
    with_email(customer)
    DunningLevel.objects.filter(days=30).update(interest_rate=D("0.0005"))
    invoice_due(customer, "10000.00", actor=clerk)
    dunning_run(on=days_after_due(40), actor=clerk)
    letter = DunningLetter.objects.get(customer=customer)
    assert letter.interest_amount == D("200.00")  # 10,000 × 0.0005 × 40
    assert "200.00" in mail.outbox[0].body


def test_a_failed_email_is_logged_and_retried(customer, clerk, settings):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    settings.EMAIL_BACKEND = "tests.receivables.dunning_support.FailingBackend"
    run = dunning_run(on=days_after_due(10), actor=clerk)
    assert run.letters_failed == 1
    assert DunningLetter.objects.get(customer=customer).error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    dunning_run(on=days_after_due(11), actor=clerk)
    assert len(mail.outbox) == 1


def test_preview_shows_the_levels_and_skips_without_writing(customer, clerk):
    invoice_due(customer, "1130.00", actor=clerk)
    (due,) = dunning_preview(on=days_after_due(10), user=clerk)
    assert due.level.days == 7
    assert due.skip_reason == SkipReason.NO_EMAIL
    assert DunningLetter.objects.count() == 0


def test_preview_leaves_out_customers_the_user_does_not_see(
    customer, other_customer, seller, clerk
):
    invoice_due(other_customer, "1130.00", actor=clerk)
    invoice_due(customer, "1130.00", actor=clerk)
    assert [d.customer for d in dunning_preview(on=days_after_due(10), user=seller)] == [customer]


def test_a_salesperson_cannot_run_dunning(seller):
    with pytest.raises(PermissionDeniedError):
        dunning_run(on=days_after_due(10), actor=seller)


@pytest.mark.parametrize(
    ("amount", "days", "field"),
    [
        ("-1", 5, "amount"),
        ("0", 5, "amount"),
        ("1.001", 5, "amount"),
        ("9999999999999", 5, "amount"),
        ("100", -1, "promised_on"),
    ],
)
def test_promise_create_refuses_bad_input(customer, clerk, amount, days, field):
    on = timezone.localdate() + timedelta(days=days)
    with pytest.raises(DunningInvalid) as caught:
        promise_create(customer_id=customer.pk, amount=D(amount), promised_on=on, actor=clerk)
    assert field in caught.value.fields


def test_promise_for_an_invisible_customer_is_not_found(other_customer, seller):
    seller.user_permissions.add(*_perms("add_paymentpromise"))
    with pytest.raises(NotFound):
        promise_create(
            customer_id=other_customer.pk,
            amount=D("1"),
            promised_on=timezone.localdate(),
            actor=type(seller).objects.get(pk=seller.pk),
        )


def _perms(*codenames):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="receivables", codename__in=codenames)


def test_excluding_needs_a_reason(customer, clerk):
    with pytest.raises(DunningInvalid) as caught:
        dunning_profile_update(
            customer_id=customer.pk, data=ProfileInput(is_excluded=True), actor=clerk
        )
    assert "excluded_reason" in caught.value.fields


def test_level_update_refuses_a_broken_template(clerk, finance_manager):
    level = DunningLevel.objects.get(days=7)
    data = LevelInput(
        position=level.position,
        name=level.name,
        days=level.days,
        subject_zh="{% if %}",
        body_zh=level.body_zh,
        subject_en=level.subject_en,
        body_en=level.body_en,
        interest_rate=D("0.5"),
    )
    with pytest.raises(DunningInvalid) as caught:
        dunning_level_update(level=level, data=data, actor=finance_manager)
    assert {"subject_zh", "interest_rate"} <= set(caught.value.fields)
    with pytest.raises(PermissionDeniedError):
        dunning_level_update(level=level, data=data, actor=clerk)


def test_task_done_by_its_owner_once(customer, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    dunning_run(on=days_after_due(10), actor=clerk)
    task = CollectionTask.objects.get()
    task_done(task=task, actor=customer.owner)
    with pytest.raises(TaskDone):
        task_done(task=task, actor=customer.owner)


def test_run_refuses_a_day_ahead(clerk):
    with pytest.raises(DunningInvalid) as caught:
        dunning_run(on=timezone.localdate() + timedelta(days=1), actor=clerk)
    assert "on" in caught.value.fields


def test_a_customer_whose_unsettled_receipt_covers_it_is_skipped(customer, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    received(customer, "1200.00", actor=clerk)  # not settled against the invoice yet
    (due,) = dunning_preview(on=days_after_due(10), user=clerk)
    assert due.skip_reason == SkipReason.CREDITS
    dunning_run(on=days_after_due(10), actor=clerk)
    assert mail.outbox == []


def test_a_partial_unsettled_receipt_does_not_stop_the_letter(customer, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    received(customer, "500.00", actor=clerk)
    dunning_run(on=days_after_due(10), actor=clerk)
    assert len(mail.outbox) == 1
