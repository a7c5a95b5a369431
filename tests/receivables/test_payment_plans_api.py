"""The payment plan API: instalments with their figures (filters, pages, scoping), one
contract's plan, and the reminder setting, with the project's error shape and permissions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from suanpan.users.choices import Role
from tests.factories import UserFactory
from tests.invoicing.manual_support import red_against
from tests.receivables.plan_support import contract_with_plan, instalment_invoiced
from tests.receivables.support import invoice_item, received

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/receivables/payment-plans"


@pytest.fixture
def plans(customer, other_customer, seller, clerk):
    today = timezone.localdate()
    mine, (first, _second) = contract_with_plan(
        customer,
        owner=seller,
        number="HT-API",
        plan=(("1000.00", today + timedelta(days=2)), ("500.00", today + timedelta(days=40))),
    )
    bill = instalment_invoiced(first, "700.00", maker=clerk)
    red_against(instalment_invoiced(first, "100.00", maker=clerk), actor=clerk)
    received(
        customer,
        "300.00",
        actor=clerk,
        on=bill.issued_on,
        allocations=((invoice_item(bill), "300.00"),),
    )
    theirs, _rows = contract_with_plan(
        other_customer,
        owner=UserFactory(role=Role.SALES),
        number="HT-OTHER",
        plan=(("900.00", today - timedelta(days=1)),),
    )
    return mine, theirs


def test_list_filters_and_pages(plans, clerk, api_client):
    mine, _theirs = plans
    api = api_client(clerk)
    body = api.get(URL).json()
    assert body["count"] == 3
    first = body["items"][0]
    assert (first["contract_number"], first["status"], first["days_overdue"]) == (
        "HT-OTHER",
        "overdue",
        1,
    )
    page = api.get(URL, {"contract": mine.pk, "page_size": 1, "page": 1}).json()
    assert page["count"] == 2
    (row,) = page["items"]
    assert (
        row["planned_amount"],
        row["invoiced_amount"],
        row["received_amount"],
        row["open_amount"],
    ) == ("1000.00", "700.00", "300.00", "700.00")
    assert row["status"] == "due_soon"
    assert api.get(URL, {"status": "not_due"}).json()["count"] == 1
    refused = api.get(URL, {"status": "lost"})
    assert refused.status_code == 422
    wrong_owner = api.get(URL, {"owner": 999999})
    assert wrong_owner.status_code == 422
    assert "owner" in wrong_owner.json()["fields"]


def test_contract_plan_and_scoping(plans, seller, api_client):
    mine, theirs = plans
    api = api_client(seller)
    assert [row["contract_number"] for row in api.get(URL).json()["items"]] == ["HT-API"] * 2
    plan = api.get(f"{URL}/contracts/{mine.pk}").json()
    assert (plan["planned_amount"], plan["received_amount"], plan["open_amount"]) == (
        "1500.00",
        "300.00",
        "1200.00",
    )
    assert [row["position"] for row in plan["instalments"]] == [1, 2]
    assert api.get(f"{URL}/contracts/{theirs.pk}").status_code == 404


def test_reminder_setting(api_client, clerk):
    manager = UserFactory(role=Role.FINANCE_MANAGER)
    api = api_client(manager)
    assert api.get(f"{URL}/settings").json() == {"remind_days_before": 7}
    saved = api.put(f"{URL}/settings", {"remind_days_before": 14}, content_type="application/json")
    assert saved.json() == {"remind_days_before": 14}
    too_many = api.put(
        f"{URL}/settings", {"remind_days_before": 400}, content_type="application/json"
    )
    assert too_many.status_code == 422
    forbidden = api_client(clerk).put(
        f"{URL}/settings", {"remind_days_before": 3}, content_type="application/json"
    )
    assert forbidden.status_code == 403
    assert api.get(f"{URL}/settings").json() == {"remind_days_before": 14}
