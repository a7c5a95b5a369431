"""Dunning pages (催款): the run page previews and runs, levels edited, letters listed and
shown, promises and settings on the customer's tab, collection tasks, the work of the day, and
the credit hold an order confirmation meets."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from suanpan.customers.services import customer_credit_hold
from suanpan.receivables.choices import PromiseStatus
from suanpan.receivables.models import (
    CollectionTask,
    DunningLetter,
    DunningLevel,
    DunningProfile,
    PaymentPromise,
)
from suanpan.receivables.services import dunning_run, promise_create
from suanpan.sales.choices import OrderStatus
from suanpan.sales.errors import CreditHoldPlaced
from suanpan.sales.services import orders as order_services
from suanpan.sales.services.lines import LineInput
from suanpan.users.choices import Role
from tests.factories import ProductFactory, UserFactory
from tests.receivables.dunning_support import days_after_due, invoice_due, with_email

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dunning_levels")]
D = Decimal
ON = days_after_due(10)


def test_run_page_previews_and_runs_one_letter(customer, clerk, login):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    client = login(clerk)
    page = client.get(reverse("receivables:dunning"), {"on": ON.isoformat()})
    text = page.content.decode()
    assert page.status_code == 200
    assert customer.name in text and "ap@example.com" in text
    assert "Run dunning now" in text
    done = client.post(reverse("receivables:dunning"), {"on": ON.isoformat()})
    assert done.status_code == 302
    assert len(mail.outbox) == 1
    again = client.post(reverse("receivables:dunning"), {"on": ON.isoformat()}, follow=True)
    assert "already" in again.content.decode()
    assert len(mail.outbox) == 1


def test_run_page_bad_date_shows_the_error_and_runs_nothing(clerk, login):
    page = login(clerk).post(reverse("receivables:dunning"), {"on": "2026-13-45"})
    assert page.status_code == 200
    assert DunningLetter.objects.count() == 0


def test_a_salesperson_sees_the_page_but_cannot_run(customer, seller, clerk, login):
    invoice_due(customer, "1130.00", actor=clerk)
    client = login(seller)
    page = client.get(reverse("receivables:dunning"), {"on": ON.isoformat()})
    assert page.status_code == 200
    assert "Run dunning now" not in page.content.decode()
    assert client.post(reverse("receivables:dunning"), {"on": ON.isoformat()}).status_code == 403


def test_letters_list_search_and_detail(customer, other_customer, clerk, seller, login):
    with_email(customer)
    with_email(other_customer, "other@example.com")
    invoice_due(customer, "1130.00", actor=clerk)
    invoice_due(other_customer, "565.00", actor=clerk)
    dunning_run(on=ON, actor=clerk)
    client = login(clerk)
    page = client.get(reverse("receivables:dunning_letters"), {"q": customer.name})
    assert page.status_code == 200
    assert customer.name in page.content.decode()
    assert other_customer.name not in page.content.decode()
    letter = DunningLetter.objects.get(customer=customer)
    detail = client.get(reverse("receivables:dunning_letter", args=[letter.pk]))
    assert "逾期合计" in detail.content.decode()
    other = DunningLetter.objects.get(customer=other_customer)
    seller_client = login(seller)
    assert (
        seller_client.get(reverse("receivables:dunning_letter", args=[other.pk])).status_code == 404
    )
    listed = seller_client.get(reverse("receivables:dunning_letters")).content.decode()
    assert other_customer.name not in listed


def test_letters_list_reads_a_page_in_constant_queries(
    customer, clerk, login, django_assert_max_num_queries
):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    dunning_run(on=ON, actor=clerk)
    client = login(clerk)
    client.get(reverse("receivables:dunning_letters"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("receivables:dunning_letters")).status_code == 200


def test_letters_list_empty_state(clerk, login):
    text = login(clerk).get(reverse("receivables:dunning_letters")).content.decode()
    assert "No dunning letters yet" in text


def test_level_edit_saves_and_refuses_a_broken_template(finance_manager, login):
    level = DunningLevel.objects.get(days=7)
    client = login(finance_manager)
    url = reverse("receivables:dunning_level_edit", args=[level.pk])
    assert client.get(url).status_code == 200
    data = {
        "position": level.position,
        "name": "友好提醒",
        "days": 10,
        "subject_zh": level.subject_zh,
        "body_zh": level.body_zh,
        "subject_en": level.subject_en,
        "body_en": "{% for %}",
        "sends_email": "on",
        "interest_rate": "0.0005",
        "is_active": "on",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "cannot be read" in refused.content.decode()
    data["body_en"] = level.body_en
    assert client.post(url, data).status_code == 302
    level.refresh_from_db()
    assert (level.name, level.days, level.interest_rate) == ("友好提醒", 10, D("0.0005"))


def test_an_accountant_cannot_edit_levels(clerk, login):
    level = DunningLevel.objects.first()
    client = login(clerk)
    assert client.get(reverse("receivables:dunning_levels")).status_code == 200
    assert client.get(reverse("receivables:dunning_level_edit", args=[level.pk])).status_code == 403


def test_customer_tab_adds_a_promise_and_excludes(customer, clerk, login):
    client = login(clerk)
    tab = client.get(reverse("customers:detail", args=[customer.pk]), {"tab": "receivables"})
    assert "Add a promise to pay" in tab.content.decode()
    on = (timezone.localdate() + timedelta(days=5)).isoformat()
    url = reverse("receivables:dunning_customer_promise", args=[customer.pk])
    assert client.post(url, {"amount": "-5", "promised_on": on}).status_code == 302
    assert not PaymentPromise.objects.exists()
    client.post(url, {"amount": "800.00", "promised_on": on, "notes": "月底付"})
    assert PaymentPromise.objects.get().amount == D("800.00")
    settings_url = reverse("receivables:dunning_customer_settings", args=[customer.pk])
    client.post(settings_url, {"is_excluded": "on", "excluded_reason": "", "language": "zh-hans"})
    assert not DunningProfile.objects.filter(is_excluded=True).exists()
    client.post(settings_url, {"is_excluded": "on", "excluded_reason": "诉讼中", "language": "en"})
    assert DunningProfile.objects.get(customer=customer).is_excluded
    tab = client.get(reverse("customers:detail", args=[customer.pk]), {"tab": "receivables"})
    assert "诉讼中" in tab.content.decode()


def test_another_salespersons_customer_answers_404(other_customer, seller, login):
    seller_client = login(seller)
    url = reverse("receivables:dunning_customer_promise", args=[other_customer.pk])
    assert seller_client.post(url, {"amount": "1", "promised_on": "2026-12-31"}).status_code in (
        403,
        404,
    )


def test_promises_list_marks_kept(customer, clerk, login):
    promise = promise_create(
        customer_id=customer.pk, amount=D("100"), promised_on=timezone.localdate(), actor=clerk
    )
    client = login(clerk)
    page = client.get(reverse("receivables:dunning_promises"))
    assert customer.name in page.content.decode()
    assert "1 promise to pay" in page.content.decode()  # the list's own noun, not "receipts"
    chinese = client.get(reverse("receivables:dunning_promises"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "1 个付款承诺" in chinese.content.decode()
    client.post(reverse("receivables:dunning_promise_mark", args=[promise.pk]), {"status": "kept"})
    promise.refresh_from_db()
    assert promise.status == PromiseStatus.KEPT


def test_tasks_list_and_done(customer, seller, clerk, login):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    dunning_run(on=ON, actor=clerk)
    task = CollectionTask.objects.get()
    client = login(seller)
    page = client.get(reverse("receivables:dunning_tasks"))
    assert customer.name in page.content.decode()
    assert "1 task" in page.content.decode()
    home = client.get(reverse("web:home")).content.decode()
    assert "My collection tasks" in home
    client.post(reverse("receivables:dunning_task_done", args=[task.pk]))
    task.refresh_from_db()
    assert task.done_at is not None


def test_workbench_shows_promises_to_pay_due(customer, clerk, login):
    promise_create(
        customer_id=customer.pk, amount=D("100"), promised_on=timezone.localdate(), actor=clerk
    )
    text = login(clerk).get(reverse("web:home")).content.decode()
    assert "Promises to pay due" in text
    assert reverse("receivables:dunning_promises") in text


def test_credit_hold_release_from_the_customer_tab(customer, clerk, login):
    customer_credit_hold(customer=customer, reason="催款：最后通知", actor=None)
    client = login(clerk)
    tab = client.get(reverse("customers:detail", args=[customer.pk]), {"tab": "receivables"})
    assert "Release the credit hold" in tab.content.decode()
    client.post(reverse("receivables:dunning_customer_release", args=[customer.pk]))
    customer.refresh_from_db()
    assert not customer.credit_hold


def test_credit_hold_blocks_order_confirm_and_a_finance_manager_overrides(
    customer, seller, finance_manager
):
    customer_credit_hold(customer=customer, reason="催款：最后通知", actor=None)
    product = ProductFactory(list_price=D("113.00"))
    order = order_services.order_create(
        actor=seller,
        data=order_services.OrderInput(
            customer=customer,
            ordered_on=date(2026, 11, 20),
            lines=[LineInput(product_id=product.pk, quantity=D("1"), unit_price=D("113"))],
        ),
    )
    with pytest.raises(CreditHoldPlaced, match="credit hold") as caught:
        order_services.order_confirm(actor=seller, order=order)
    assert caught.value.code == "credit_hold"
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT
    confirmed = order_services.order_confirm(
        actor=finance_manager, order=order, credit_approval_reason="已承诺本周付款"
    )
    assert confirmed.status == OrderStatus.CONFIRMED
    note = order.activities.filter(kind="credit_approved").get().note
    assert "On credit hold" in note and "已承诺本周付款" in note


def test_the_final_level_run_blocks_the_next_order(customer, seller, clerk):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    dunning_run(on=days_after_due(61), actor=clerk)
    customer.refresh_from_db()
    product = ProductFactory(list_price=D("113.00"))
    order = order_services.order_create(
        actor=seller,
        data=order_services.OrderInput(
            customer=customer,
            ordered_on=date(2026, 11, 20),
            lines=[LineInput(product_id=product.pk, quantity=D("1"), unit_price=D("113"))],
        ),
    )
    with pytest.raises(CreditHoldPlaced):
        order_services.order_confirm(actor=UserFactory(role=Role.SALES_MANAGER), order=order)
