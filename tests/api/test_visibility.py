"""Another salesperson's records answer as if they did not exist, whichever way an API call
names them: in the path (404) or as an id in the body (the answer a missing id gets), never a
conflict or a field error that gives away their number or title.

The other salesperson makes their records through the API as a user would.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from suanpan.customers.models import Customer
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory, ProductFactory, WarehouseFactory, order_build

pytestmark = pytest.mark.django_db
MISSING = 987_654


@pytest.fixture
def me(api_client: Callable[[User], Client], make_user: Callable[..., User]) -> Client:
    return api_client(make_user(Role.SALES))


@pytest.fixture
def other(make_user: Callable[..., User]) -> User:
    return make_user(Role.SALES)


@pytest.fixture
def theirs(api_client: Callable[[User], Client], other: User) -> dict[str, Any]:
    """A customer, opportunity, quote and contract of the other salesperson."""
    client = api_client(other)
    customer = CustomerFactory(owner=other, name="别人的客户")
    product = ProductFactory(list_price=Decimal("113"))

    def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = client.post(path, body, content_type="application/json")
        assert response.status_code == 201, response.json()
        return response.json()

    opportunity = post(
        "/api/v1/opportunities",
        {"customer_id": customer.pk, "title": "秘密商机", "expected_close_on": "2026-12-31"},
    )
    quote = post(
        "/api/v1/quotes",
        {
            "customer_id": customer.pk,
            "opportunity_id": opportunity["id"],
            "lines": [{"product_id": product.pk, "quantity": "1"}],
        },
    )
    sent = client.post(f"/api/v1/quotes/{quote['id']}/send", content_type="application/json")
    assert sent.status_code == 200, sent.json()  # only a sent or accepted quote makes a contract
    contract = post("/api/v1/contracts", {"quote_id": quote["id"], "title": "秘密合同"})
    order = order_build(customer=customer, lines=[(product, 1, "113")], status="confirmed")
    return {
        "order": order,
        "customer": customer,
        "product": product,
        "opportunity": opportunity,
        "quote": quote,
        "contract": contract,
    }


def _secrets(theirs: dict[str, Any]) -> list[str]:
    return [
        theirs["customer"].name,
        theirs["customer"].number,
        theirs["opportunity"]["title"],
        theirs["quote"]["number"],
        theirs["contract"]["number"],
        theirs["contract"]["title"],
        theirs["order"].number,
    ]


def _same_as_missing(
    me: Client, path: str, body: dict[str, Any], key: str, theirs_id: int, secrets: list[str]
) -> None:
    seen = me.post(path, {**body, key: theirs_id}, content_type="application/json")
    missing = me.post(path, {**body, key: MISSING}, content_type="application/json")
    assert (seen.status_code, missing.status_code) in {(404, 404), (422, 422)}
    assert seen.json()["code"] == missing.json()["code"]
    assert set(seen.json()["fields"]) == set(missing.json()["fields"])
    assert not any(secret in seen.content.decode() for secret in secrets)


def _mine(me: Client) -> Customer:
    owner_id = me.get("/api/v1/customers").wsgi_request.user.pk
    return CustomerFactory(owner_id=owner_id)


def test_an_opportunity_for_their_customer_is_as_for_no_customer(me: Client, theirs) -> None:
    body = {"title": "新商机", "expected_close_on": "2026-12-31"}
    _same_as_missing(
        me, "/api/v1/opportunities", body, "customer_id", theirs["customer"].pk, _secrets(theirs)
    )


def test_a_quote_on_their_opportunity_is_as_on_no_opportunity(me: Client, theirs) -> None:
    body = {
        "customer_id": _mine(me).pk,
        "lines": [{"product_id": theirs["product"].pk, "quantity": "1"}],
    }
    _same_as_missing(
        me, "/api/v1/quotes", body, "opportunity_id", theirs["opportunity"]["id"], _secrets(theirs)
    )


def test_an_order_from_their_quote_or_contract_is_as_from_none(me: Client, theirs) -> None:
    body = {
        "customer_id": _mine(me).pk,
        "ordered_on": "2026-11-20",
        "lines": [{"product_id": theirs["product"].pk, "quantity": "1"}],
    }
    for key, document in (("quote_id", "quote"), ("contract_id", "contract")):
        _same_as_missing(me, "/api/v1/orders", body, key, theirs[document]["id"], _secrets(theirs))


def test_a_contract_from_their_quote_is_as_from_no_quote(me: Client, theirs) -> None:
    _same_as_missing(
        me,
        "/api/v1/contracts",
        {"title": "合同"},
        "quote_id",
        theirs["quote"]["id"],
        _secrets(theirs),
    )


def test_a_delivery_of_their_order_is_as_of_no_order(me: Client, theirs) -> None:
    body = {"warehouse_id": WarehouseFactory().pk}
    _same_as_missing(
        me, "/api/v1/deliveries", body, "order_id", theirs["order"].pk, _secrets(theirs)
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/orders/from-quote/{quote}"),
        ("post", "/api/v1/quotes/{quote}/send"),
        ("post", "/api/v1/quotes/{quote}/copy"),
        ("post", "/api/v1/contracts/{contract}/activate"),
        ("post", "/api/v1/orders/{order}/pick"),
        ("post", "/api/v1/orders/{order}/notes"),
        ("patch", "/api/v1/opportunities/{opportunity}"),
        ("patch", "/api/v1/customers/{customer}"),
    ],
)
def test_acting_on_their_document_is_not_found(me: Client, theirs, method: str, path: str) -> None:
    ids = {
        "quote": theirs["quote"]["id"],
        "contract": theirs["contract"]["id"],
        "opportunity": theirs["opportunity"]["id"],
        "customer": theirs["customer"].pk,
        "order": theirs["order"].pk,
    }
    # A valid body where one is needed, so that only visibility decides the answer.
    body = {"note": "看看"}
    response = getattr(me, method)(path.format(**ids), body, content_type="application/json")
    assert response.status_code == 404
    assert not any(secret in response.content.decode() for secret in _secrets(theirs))
