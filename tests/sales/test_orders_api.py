"""/api/v1/orders: reads, writes, actions and errors as {"code", "message", "fields"}."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suanpan.sales.choices import OrderStatus, QuoteStatus
from suanpan.sales.models import Quote, QuoteLine, SalesOrder
from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import api_token_create
from tests.factories import CustomerFactory, UserFactory, order_build

pytestmark = pytest.mark.django_db

URL = "/api/v1/orders"
D = Decimal


@pytest.fixture
def api_client() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        _token, key = api_token_create(user=user, name="tests")
        return Client(headers={"authorization": f"Bearer {key}"})

    return make


@pytest.fixture
def client_for(api_client, seller) -> Client:
    return api_client(seller)


@pytest.fixture
def customer(seller):
    return CustomerFactory(owner=seller, credit_limit_amount=D("1000.00"))


def _post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


def _create(client: Client, customer, product, quantity: str = "2") -> dict[str, Any]:
    response = _post(
        client,
        URL,
        {
            "customer_id": customer.pk,
            "ordered_on": "2026-11-20",
            "lines": [{"product_id": product.pk, "quantity": quantity}],
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_order_create_returns_lines_with_quantities(client_for, customer, product):
    body = _create(client_for, customer, product, quantity="2")

    assert body["number"] == "XS-202611-0001"
    assert body["status"] == "draft"
    assert D(body["gross_amount"]) == D("226.00")
    line = body["lines"][0]
    assert D(line["unit_price"]) == D("113") and D(line["open_quantity"]) == D("2")
    assert D(line["shipped_quantity"]) == 0 and D(line["invoiced_quantity"]) == 0
    assert body["activities"][0]["kind"] == "created"


def test_order_create_answers_404_for_customer_of_another_salesperson(client_for, product):
    response = _post(
        client_for,
        URL,
        {
            "customer_id": CustomerFactory().pk,
            "ordered_on": "2026-11-20",
            "lines": [{"product_id": product.pk, "quantity": "1"}],
        },
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_order_create_names_the_line_when_product_unknown(client_for, customer):
    response = _post(
        client_for,
        URL,
        {
            "customer_id": customer.pk,
            "ordered_on": "2026-11-20",
            "lines": [{"product_id": 999999, "quantity": "1"}],
        },
    )
    assert response.status_code == 422
    assert "lines.0.product" in response.json()["fields"]


def test_order_patch_changes_header_and_keeps_line_prices(client_for, customer, product):
    body = _create(client_for, customer, product)
    product.list_price = D("200.00")
    product.save()

    response = _patch(client_for, f"{URL}/{body['id']}", {"delivery_due_on": "2026-12-01"})

    assert response.status_code == 200, response.content
    assert response.json()["delivery_due_on"] == "2026-12-01"
    assert D(response.json()["gross_amount"]) == D("226.00")
    response = _patch(
        client_for,
        f"{URL}/{body['id']}",
        {"lines": [{"product_id": product.pk, "quantity": "1", "unit_price": "100"}]},
    )
    assert D(response.json()["gross_amount"]) == D("100.00")
    assert [a["kind"] for a in response.json()["activities"]] == ["created", "changed", "changed"]


def test_order_actions_walk_the_workflow(client_for, customer, product):
    body = _create(client_for, customer, product)
    url = f"{URL}/{body['id']}"

    assert _post(client_for, f"{url}/confirm").json()["status"] == "confirmed"
    assert _post(client_for, f"{url}/pick").json()["status"] == "picking"
    response = _post(client_for, f"{url}/complete")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_order_transition"
    response = _post(client_for, f"{url}/cancel", {"reason": "客户取消"})
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "客户取消"
    note = _post(client_for, f"{url}/notes", {"note": "已电话通知客户"})
    assert note.status_code == 201 and note.json()["kind"] == "note"


def test_order_cancel_needs_a_reason(client_for, customer, product):
    body = _create(client_for, customer, product)
    response = _post(client_for, f"{URL}/{body['id']}/cancel", {"reason": ""})
    assert response.status_code == 422


def test_order_confirm_over_limit_refused_then_approved_by_finance(
    client_for, api_client, customer, product
):
    body = _create(client_for, customer, product, quantity="10")  # 1,130.00
    url = f"{URL}/{body['id']}/confirm"

    refused = _post(client_for, url)
    assert refused.status_code == 409
    assert refused.json()["code"] == "credit_limit_exceeded"
    assert "130.00" in refused.json()["message"]

    finance = api_client(UserFactory(role=Role.FINANCE_MANAGER))
    assert _post(finance, url).json()["fields"] == {
        "credit_approval_reason": ["Give a reason to approve the excess."]
    }
    approved = _post(finance, url, {"credit_approval_reason": "年底集中回款"})
    assert approved.status_code == 200
    assert approved.json()["status"] == "confirmed"
    assert approved.json()["credit_approval_reason"] == "年底集中回款"


def test_order_from_quote_copies_amounts(client_for, seller, customer, product):
    quote = Quote.objects.create(
        number="BJ-202611-0009",
        customer=customer,
        quoted_on=date(2026, 11, 1),
        valid_until=date(2026, 11, 30),
        owner=seller,
        status=QuoteStatus.SENT,
        net_amount=D("88.49"),
        tax_amount=D("11.50"),
        gross_amount=D("99.99"),
    )
    QuoteLine.objects.create(
        quote=quote,
        position=1,
        product=product,
        product_name=product.name,
        unit="台",
        quantity=D("3"),
        unit_price=D("33.33"),
        vat_rate_key="13",
        vat_rate=D("0.13"),
        net_amount=D("88.49"),
        tax_amount=D("11.50"),
        gross_amount=D("99.99"),
    )

    response = _post(client_for, f"{URL}/from-quote/{quote.pk}", {"ordered_on": "2026-11-21"})

    assert response.status_code == 201, response.content
    assert D(response.json()["gross_amount"]) == D("99.99")
    assert response.json()["quote_id"] == quote.pk
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED


def test_order_from_quote_answers_404_for_quote_of_another_salesperson(client_for, product):
    other = UserFactory(role=Role.SALES)
    quote = Quote.objects.create(
        number="BJ-X",
        customer=CustomerFactory(owner=other),
        quoted_on=date(2026, 11, 1),
        valid_until=date(2026, 11, 30),
        owner=other,
        status=QuoteStatus.SENT,
    )
    assert _post(client_for, f"{URL}/from-quote/{quote.pk}").status_code == 404


def test_order_get_answers_404_for_order_of_another_salesperson(client_for, product):
    order = order_build(customer=CustomerFactory(), lines=[(product, "1", "113")])
    assert client_for.get(f"{URL}/{order.pk}").status_code == 404


def test_order_list_filters_and_counts_with_constant_queries(client_for, seller, customer, product):
    for n in range(3):
        order_build(
            customer=customer, lines=[(product, "1", "113")], ordered_on=date(2026, 11, n + 1)
        )
    order_build(customer=customer, lines=[(product, "1", "113")], status=OrderStatus.DRAFT)
    order_build(customer=CustomerFactory(), lines=[(product, "1", "113")])

    response = client_for.get(URL, {"status": "confirmed"})
    body = response.json()
    assert body["count"] == 3 and body["count_capped"] is False
    assert [i["ordered_on"] for i in body["items"]] == ["2026-11-03", "2026-11-02", "2026-11-01"]
    with CaptureQueriesContext(connection) as few:
        client_for.get(URL)
    for _ in range(5):
        order_build(customer=customer, lines=[(product, "1", "113")])
    with CaptureQueriesContext(connection) as more:
        assert client_for.get(URL).json()["count"] == 9
    assert len(few) == len(more)


def test_order_list_refuses_unknown_ordering(client_for):
    response = client_for.get(URL, {"ordering": "password"})
    assert response.status_code == 422
    assert "ordering" in response.json()["fields"]


def test_order_list_forbidden_without_permission(api_client):
    client = api_client(UserFactory())
    assert client.get(URL).status_code == 403
    assert SalesOrder.objects.count() == 0


def test_order_list_sorts_by_date_either_way_with_id_as_tie_breaker(client_for, customer, product):
    first = order_build(
        customer=customer, lines=[(product, "1", "113")], ordered_on=date(2026, 11, 1)
    )
    second = order_build(
        customer=customer, lines=[(product, "1", "113")], ordered_on=date(2026, 11, 1)
    )
    older = order_build(
        customer=customer, lines=[(product, "1", "113")], ordered_on=date(2026, 10, 1)
    )
    ascending = [i["id"] for i in client_for.get(URL, {"ordering": "ordered_on"}).json()["items"]]
    descending = [i["id"] for i in client_for.get(URL, {"ordering": "-ordered_on"}).json()["items"]]
    assert ascending == [older.pk, first.pk, second.pk]
    assert descending == [second.pk, first.pk, older.pk]


def test_order_list_searches_number_or_customer(client_for, seller, product):
    xiaomi = CustomerFactory(owner=seller, name="北京小米科技有限公司")
    other = CustomerFactory(owner=seller, name="上海华联商贸有限公司")
    mine = order_build(customer=xiaomi, lines=[(product, "1", "113")])
    theirs = order_build(customer=other, lines=[(product, "1", "113")])
    SalesOrder.objects.filter(pk=theirs.pk).update(number="XS-202611-0042")

    by_name = client_for.get(URL, {"q": "小米"}).json()["items"]
    by_number = client_for.get(URL, {"q": "xs-202611-00"}).json()["items"]

    assert [i["id"] for i in by_name] == [mine.pk]
    assert [i["id"] for i in by_number] == [theirs.pk]


def test_order_list_sorts_by_status_then_newest(client_for, customer, product):
    old = order_build(customer=customer, lines=[(product, "1", "113")], ordered_on=date(2026, 1, 1))
    new = order_build(customer=customer, lines=[(product, "1", "113")], ordered_on=date(2026, 2, 1))
    draft = order_build(customer=customer, lines=[(product, "1", "113")], status="draft")
    items = client_for.get(URL, {"ordering": "status"}).json()["items"]
    assert [i["id"] for i in items] == [new.pk, old.pk, draft.pk]
