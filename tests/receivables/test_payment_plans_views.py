"""Payment plan pages: the list (filters, status, sort, export, scoping, phone layout), one
contract's plan (another salesperson's answers 404), the reminder setting, and the plan on the
customer's receivables tab."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from suanpan.receivables.selectors import receivables_settings_get
from suanpan.users.choices import Role
from tests.factories import UserFactory
from tests.receivables.plan_support import contract_with_plan, instalment_invoiced
from tests.receivables.support import invoice_item, received

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def plans(customer, other_customer, seller, clerk):
    today = timezone.localdate()
    mine, (late, _coming) = contract_with_plan(
        customer,
        owner=seller,
        number="HT-MINE",
        plan=(("1000.00", today - timedelta(days=5)), ("500.00", today + timedelta(days=60))),
    )
    bill = instalment_invoiced(late, "600.00", maker=clerk)
    received(
        customer,
        "250.00",
        actor=clerk,
        on=bill.issued_on,
        allocations=((invoice_item(bill), "250.00"),),
    )
    theirs, _rows = contract_with_plan(
        other_customer,
        owner=UserFactory(role=Role.SALES),
        number="HT-THEIRS",
        plan=(("900.00", today + timedelta(days=3)),),
    )
    return mine, theirs


def test_list_shows_figures_filters_and_exports(client: Client, plans, clerk):
    mine, theirs = plans
    client.force_login(clerk)
    url = reverse("receivables:payment_plan_list")
    page = client.get(url)
    assert page.status_code == 200
    assert 'class="table table-hover align-middle sp-list"' in page.text
    assert f'href="{url}"' in client.get(reverse("receivables:home")).text
    rows = page.context["rows"]
    assert [row.instalment.contract.number for row in rows] == ["HT-MINE", "HT-THEIRS", "HT-MINE"]
    first = rows[0].figures
    assert (first.invoiced, first.received, first.open, first.status, first.days_overdue) == (
        D("600.00"),
        D("250.00"),
        D("750.00"),
        "overdue",
        5,
    )
    assert "5 days overdue" in page.text
    overdue = client.get(url, {"status": "overdue"})
    assert [row.instalment.pk for row in overdue.context["rows"]] == [rows[0].instalment.pk]
    soon = client.get(url, {"status": "due_soon", "q": "THEIRS"})
    assert [row.instalment.contract_id for row in soon.context["rows"]] == [theirs.pk]
    empty = client.get(url, {"q": "没有这个合同"})
    assert "No instalment matches these filters." in empty.text
    by_amount = client.get(url, {"ordering": "-amount"})
    assert [row.figures.planned for row in by_amount.context["rows"]] == [
        D("1000.00"),
        D("900.00"),
        D("500.00"),
    ]
    export = client.get(url, {"format": "xlsx", "customer": mine.customer_id})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    values = list(sheet.values)
    assert len(values) == 3
    assert values[1][0] == "HT-MINE" and D(str(values[1][10])) == D("250.00")


def test_htmx_answers_the_results_only(client: Client, plans, clerk):
    client.force_login(clerk)
    page = client.get(reverse("receivables:payment_plan_list"), HTTP_HX_REQUEST="true")
    assert page.text.lstrip().startswith('<div id="results">')


def test_a_salesperson_sees_their_customers_plans_only(client: Client, plans, seller):
    mine, theirs = plans
    client.force_login(seller)
    page = client.get(reverse("receivables:payment_plan_list"))
    assert {row.instalment.contract_id for row in page.context["rows"]} == {mine.pk}
    assert page.context["settings_form"] is None
    assert client.get(reverse("receivables:contract_plan", args=[theirs.pk])).status_code == 404
    plan = client.get(reverse("receivables:contract_plan", args=[mine.pk]))
    assert plan.status_code == 200
    assert plan.context["plan"].open == D("1250.00")
    assert "sp-list" in plan.text


def test_empty_list_and_contract_without_plan(client: Client, customer, seller, clerk):
    from suanpan.sales.models import Contract

    bare = Contract.objects.create(
        number="HT-EMPTY", title="空", customer=customer, amount=D("10.00"), owner=seller
    )
    client.force_login(clerk)
    page = client.get(reverse("receivables:payment_plan_list"))
    assert "No payment plans yet." in page.text
    plan = client.get(reverse("receivables:contract_plan", args=[bare.pk]))
    assert "This contract has no payment plan." in plan.text


def test_the_finance_manager_sets_the_reminder_days(client: Client, clerk):
    manager = UserFactory(role=Role.FINANCE_MANAGER)
    client.force_login(manager)
    url = reverse("receivables:plan_settings")
    refused = client.post(url, {"remind_days_before": "120"})
    assert refused.status_code == 400
    assert receivables_settings_get().remind_days_before == 7
    done = client.post(url, {"remind_days_before": "10"})
    assert done.status_code == 302
    assert receivables_settings_get().remind_days_before == 10
    client.force_login(clerk)
    assert client.post(url, {"remind_days_before": "3"}).status_code == 403


def test_customer_tab_shows_what_is_still_to_receive(client: Client, plans, customer, seller):
    client.force_login(seller)
    page = client.get(reverse("customers:detail", args=[customer.pk]), {"tab": "receivables"})
    assert page.status_code == 200
    assert "HT-MINE" in page.text
    assert f"{reverse('receivables:payment_plan_list')}?customer={customer.pk}" in page.text
