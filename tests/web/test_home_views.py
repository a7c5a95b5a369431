import datetime

import pytest
from django.utils import timezone

from suanpan.customers import services
from suanpan.users.choices import Role
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_home_counts_only_visible_customers_when_salesperson(client, make_user):
    seller = make_user(Role.SALES)
    CustomerFactory(owner=seller, status="active")
    CustomerFactory(owner=seller, status="prospect")
    CustomerFactory(owner=make_user(Role.SALES))
    client.force_login(seller)
    counts = client.get("/").context["counts"]
    assert (counts["total"], counts["active"], counts["prospect"], counts["mine"]) == (2, 1, 1, 2)


def test_home_lists_due_followups_when_next_step_is_due(client, make_user):
    seller = make_user(Role.SALES)
    customer = CustomerFactory(owner=seller, name="到期客户")
    today = timezone.localdate()
    services.followup_create(
        actor=seller,
        customer=customer,
        data={
            "followed_on": today - datetime.timedelta(days=3),
            "way": "phone",
            "content": "电话",
            "next_step": "寄对账单",
            "next_on": today,
        },
    )
    client.force_login(seller)
    response = client.get("/")
    assert [f.customer.name for f in response.context["due_followups"]] == ["到期客户"]
    assert "寄对账单" in response.content.decode()


def test_home_redirects_to_login_when_anonymous(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_navigation_disables_modules_not_installed_when_rendered(client, sales_user):
    client.force_login(sales_user)
    items = {i["key"]: i for i in client.get("/").context["nav_items"]}
    assert items["customers"]["url"] == "/customers/"
    assert items["sales"]["url"] == "/sales/"
    assert items["invoicing"]["url"] == "/invoicing/"
    assert items["receivables"]["url"] == "/receivables/"
    assert items["service"]["url"] is None  # not installed yet


def test_navigation_hides_ledger_when_role_has_no_ledger_permission(client, sales_user, make_user):
    from suanpan.users.choices import Role

    client.force_login(sales_user)
    assert "ledger" not in {i["key"] for i in client.get("/").context["nav_items"]}
    client.force_login(make_user(Role.ACCOUNTANT))
    items = {i["key"]: i for i in client.get("/").context["nav_items"]}
    assert items["ledger"]["url"] == "/ledger/"
