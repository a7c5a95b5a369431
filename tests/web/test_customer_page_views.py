"""The customer page composed in web: the customers app's own tabs, then the tabs sales and
inventory declare, each shown only to users holding its permission."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from suanpan.core.tabs import Tab
from suanpan.customers.models import Customer
from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.web.views import customers as page
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_customer_detail_renders_declared_tab_when_user_holds_its_permission(
    client: Client, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seller = make_user(Role.SALES)
    customer = CustomerFactory(owner=seller)
    seen: list[tuple[User, Customer]] = []

    def context(user: User, customer: Customer, params: Any) -> dict[str, Any]:
        seen.append((user, customer))
        return {"message": f"orders of {customer.name}", "icon": "box"}

    allowed = Tab(
        "probe", "Probe", 10, "customers.view_customer", "web/includes/empty.html", context
    )
    hidden = Tab("secret", "Secret", 20, "ledger.close_period", "web/includes/empty.html", context)
    tabs = page.customer_page_tabs()
    monkeypatch.setattr(page, "customer_page_tabs", lambda: [*tabs, allowed, hidden])
    client.force_login(seller)

    shown = client.get(f"/customers/{customer.pk}/", {"tab": "probe"})
    refused = client.get(f"/customers/{customer.pk}/", {"tab": "secret"})

    assert f"orders of {customer.name}" in shown.content.decode()
    assert ("probe", "Probe") in shown.context["tabs"]
    assert seen == [(seller, customer)]
    assert refused.context["tab"] == "overview"
    assert "Secret" not in refused.content.decode()


def test_customer_detail_orders_own_then_sales_then_inventory_tabs_when_user_may_see_all(
    client: Client, make_user: Any
) -> None:
    manager = make_user(Role.SALES_MANAGER)
    customer = CustomerFactory(owner=manager)
    client.force_login(manager)

    response = client.get(f"/customers/{customer.pk}/")

    keys = [key for key, _label in response.context["tabs"]]
    assert keys[:5] == ["overview", "contacts", "addresses", "followups", "history"]
    assert keys[5:9] == ["opportunities", "quotes", "contracts", "orders"]
    assert response.context["tab"] == "overview"


def test_customer_detail_hides_tabs_of_other_apps_when_user_lacks_their_permissions(
    client: Client, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seller = make_user(Role.SALES)
    customer = CustomerFactory(owner=seller)
    secret = Tab("secret", "Secret", 60, "ledger.close_period", "web/includes/empty.html")
    tabs = page.customer_page_tabs()
    monkeypatch.setattr(page, "customer_page_tabs", lambda: [*tabs, secret])
    client.force_login(seller)

    response = client.get(f"/customers/{customer.pk}/", {"tab": "secret"})

    assert "secret" not in [key for key, _label in response.context["tabs"]]
    assert response.context["tab"] == "overview"


def test_customer_detail_renders_history_tab_with_its_context_when_chosen(
    client: Client, make_user: Any
) -> None:
    seller = make_user(Role.SALES)
    customer = CustomerFactory(owner=seller)
    client.force_login(seller)

    response = client.get(f"/customers/{customer.pk}/", {"tab": "history"})

    assert response.status_code == 200
    assert response.context["tab"] == "history"
    assert "history" in response.context


def test_customer_detail_keeps_its_name_and_path_in_the_customers_namespace() -> None:
    from django.urls import resolve, reverse

    assert reverse("customers:detail", args=[7]) == "/customers/7/"
    assert resolve("/customers/7/").func is page.customer_detail
