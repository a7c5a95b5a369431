"""/api/v1/quotes: reads with visibility, writes through the services, actions, the PDF."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from suanpan.sales.models import Quote
from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import api_token_create
from tests.factories import CustomerFactory, ProductFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/quotes"


@pytest.fixture
def api_client() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        _token, key = api_token_create(user=user, name="tests")
        return Client(headers={"authorization": f"Bearer {key}"})

    return make


@pytest.fixture
def client_for(api_client, seller) -> Client:
    return api_client(seller)


def _create(client: Client, customer_id: int, product_id: int, **extra: Any) -> Any:
    body = {
        "customer_id": customer_id,
        "quoted_on": "2026-11-20",
        "lines": [{"product_id": product_id, "quantity": "3"}],
        **extra,
    }
    return client.post(URL, body, content_type="application/json")


def test_create_get_and_list(client_for: Client, seller: User) -> None:
    customer = CustomerFactory(owner=seller)
    product = ProductFactory(name="交换机", list_price=Decimal("113"))

    created = _create(client_for, customer.pk, product.pk, terms="款到发货")
    body = created.json()
    listed = client_for.get(URL, {"status": "draft"}).json()
    fetched = client_for.get(f"{URL}/{body['id']}").json()

    assert created.status_code == 201
    assert body["number"] == "BJ-202611-0001"
    assert (body["net_amount"], body["tax_amount"], body["gross_amount"]) == (
        "300.00",
        "39.00",
        "339.00",
    )
    assert body["valid_until"] == "2026-12-20"
    assert body["lines"][0]["product_name"] == "交换机"
    assert listed["count"] == 1 and listed["items"][0]["number"] == "BJ-202611-0001"
    assert fetched["terms"] == "款到发货"


def test_list_query_count_does_not_grow(
    client_for: Client, seller: User, django_assert_max_num_queries
) -> None:
    customer = CustomerFactory(owner=seller)
    product = ProductFactory()
    for _ in range(6):
        _create(client_for, customer.pk, product.pk)

    with django_assert_max_num_queries(8):
        response = client_for.get(URL)

    assert response.json()["count"] == 6


def test_create_for_an_invisible_customer_is_not_found(
    client_for: Client, make_user: Callable[..., User]
) -> None:
    other = CustomerFactory(owner=make_user(Role.SALES))

    response = _create(client_for, other.pk, ProductFactory().pk)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_quote_of_another_salesperson_is_not_found(
    api_client, client_for: Client, seller: User, make_user: Callable[..., User]
) -> None:
    quote_id = _create(client_for, CustomerFactory(owner=seller).pk, ProductFactory().pk).json()[
        "id"
    ]
    other = api_client(make_user(Role.SALES))

    assert other.get(f"{URL}/{quote_id}").status_code == 404
    assert other.get(f"{URL}/{quote_id}/pdf").status_code == 404
    assert other.get(URL).json()["count"] == 0


def test_invalid_lines_are_reported_by_field(client_for: Client, seller: User) -> None:
    customer = CustomerFactory(owner=seller)
    retired = ProductFactory(is_active=False)

    bad_quantity = client_for.post(
        URL,
        {"customer_id": customer.pk, "lines": [{"product_id": retired.pk, "quantity": "0"}]},
        content_type="application/json",
    )
    inactive = _create(client_for, customer.pk, retired.pk)

    assert bad_quantity.status_code == 422
    assert "lines.0.quantity" in bad_quantity.json()["fields"]
    assert inactive.status_code == 422
    assert inactive.json()["code"] == "line_product_inactive"


def test_patch_replaces_lines_then_actions(client_for: Client, seller: User) -> None:
    customer = CustomerFactory(owner=seller)
    product = ProductFactory(list_price=Decimal("113"))
    quote_id = _create(client_for, customer.pk, product.pk).json()["id"]

    patched = client_for.patch(
        f"{URL}/{quote_id}",
        {
            "notes": "改一行",
            "lines": [{"product_id": product.pk, "quantity": "1", "discount_rate": "0.1"}],
        },
        content_type="application/json",
    )
    sent = client_for.post(f"{URL}/{quote_id}/send", content_type="application/json")
    refused = client_for.patch(f"{URL}/{quote_id}", {"notes": "x"}, content_type="application/json")
    rejected = client_for.post(
        f"{URL}/{quote_id}/reject", {"reason": "太贵"}, content_type="application/json"
    )
    copied = client_for.post(f"{URL}/{quote_id}/copy", content_type="application/json")

    assert patched.json()["gross_amount"] == "101.70"
    assert sent.json()["status"] == "sent"
    assert refused.status_code == 409 and refused.json()["code"] == "quote_not_editable"
    assert rejected.json()["status"] == "rejected"
    assert copied.status_code == 201 and copied.json()["status"] == "draft"
    assert Quote.objects.count() == 2


def test_invalid_transition_is_a_conflict(client_for: Client, seller: User) -> None:
    quote_id = _create(client_for, CustomerFactory(owner=seller).pk, ProductFactory().pk).json()[
        "id"
    ]
    client_for.post(f"{URL}/{quote_id}/cancel", content_type="application/json")

    response = client_for.post(f"{URL}/{quote_id}/accept", content_type="application/json")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_quote_transition"


def test_pdf(client_for: Client, seller: User) -> None:
    quote_id = _create(client_for, CustomerFactory(owner=seller).pk, ProductFactory().pk).json()[
        "id"
    ]

    response = client_for.get(f"{URL}/{quote_id}/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_expired_filter(client_for: Client, seller: User) -> None:
    customer = CustomerFactory(owner=seller)
    product = ProductFactory()
    _create(client_for, customer.pk, product.pk, quoted_on="2020-01-01", valid_until="2020-01-31")
    _create(client_for, customer.pk, product.pk, quoted_on="2026-11-01", valid_until="2099-01-01")

    expired = client_for.get(URL, {"expired": "true"}).json()

    assert expired["count"] == 1
    assert expired["items"][0]["is_expired"] is True
