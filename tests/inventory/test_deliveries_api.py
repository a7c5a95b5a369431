"""/api/v1/deliveries and /api/v1/returns: reads, writes, actions, visibility and errors."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from suanpan.inventory.models import Delivery
from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import api_token_create
from tests.factories import ProductFactory, UserFactory, WarehouseFactory, order_build
from tests.inventory.deliveries_support import customer_with_dimension, stock_in

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/deliveries"


def _client(user: User) -> Client:
    _token, key = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {key}"})


def _post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    return body


@pytest.fixture
def setup(seller, clerk, delivery_books):
    warehouse, product = WarehouseFactory(), ProductFactory()
    stock_in(product, warehouse, "4", "200.00", actor=clerk)
    customer = customer_with_dimension(owner=seller)
    order = order_build(customer=customer, lines=[(product, "3", "113.00")])
    return {"warehouse": warehouse, "product": product, "customer": customer, "order": order}


def _create(client: Client, setup, **body: Any) -> Any:
    return _post(
        client,
        URL,
        {"order_id": setup["order"].pk, "warehouse_id": setup["warehouse"].pk, **body},
    )


def test_api_creates_ships_and_signs_a_delivery(seller, setup):
    api = _client(seller)

    created = _create(api, setup, courier="顺丰速运")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["number"].startswith("FH-")
    assert body["status"] == "draft"
    assert D(body["lines"][0]["quantity"]) == D("3")
    pk = body["id"]

    shipped = _post(api, f"{URL}/{pk}/ship", {"shipped_on": "2026-11-10"})
    assert shipped.status_code == 200, shipped.content
    assert shipped.json()["status"] == "shipped"
    assert D(shipped.json()["cost_amount"]) == D("150.00")
    signed = _post(api, f"{URL}/{pk}/sign", {"signed_on": "2026-11-11"})
    assert signed.json()["status"] == "signed"
    events = [v["source_event"].rsplit(":", 1)[1] for v in signed.json()["vouchers"]]
    assert events == ["ship", "sign"]


def test_api_patches_tracking_after_shipping_and_refuses_the_warehouse(seller, setup):
    api = _client(seller)
    pk = _create(api, setup).json()["id"]
    _post(api, f"{URL}/{pk}/ship", {"shipped_on": "2026-11-10"})

    patched = _patch(api, f"{URL}/{pk}", {"tracking_number": "SF998877"})
    refused = _patch(api, f"{URL}/{pk}", {"warehouse_id": WarehouseFactory().pk})

    assert patched.json()["tracking_number"] == "SF998877"
    assert _error(refused, 409, "wrong_status")["fields"].keys() == {"warehouse"}


def test_api_patches_the_lines_of_a_draft(seller, setup):
    api = _client(seller)
    pk = _create(api, setup).json()["id"]
    line = setup["order"].lines.get()

    patched = _patch(api, f"{URL}/{pk}", {"lines": [{"order_line_id": line.pk, "quantity": "1"}]})

    assert [D(x["quantity"]) for x in patched.json()["lines"]] == [D("1")]


def test_api_reports_quantities_beyond_the_order_and_stock(seller, setup, clerk):
    api = _client(seller)
    line = setup["order"].lines.get()

    too_many = _create(api, setup, lines=[{"order_line_id": line.pk, "quantity": "4"}])
    body = _error(too_many, 422, "delivery_lines_invalid")
    assert "lines.0.quantity" in body["fields"]

    stock_in(setup["product"], WarehouseFactory(code="WH-EMPTY"), "1", "1", actor=clerk)
    empty = WarehouseFactory()
    pk = _post(api, URL, {"order_id": setup["order"].pk, "warehouse_id": empty.pk}).json()["id"]
    short = _post(api, f"{URL}/{pk}/ship", {"shipped_on": "2026-11-10"})
    _error(short, 422, "negative_stock")


def test_api_answers_404_for_another_salespersons_delivery(setup, seller):
    pk = _create(_client(seller), setup).json()["id"]
    other = _client(UserFactory(role=Role.SALES))

    _error(other.get(f"{URL}/{pk}"), 404, "not_found")
    _error(_post(other, f"{URL}/{pk}/ship", {"shipped_on": "2026-11-10"}), 404, "not_found")
    _error(_create(other, setup), 404, "not_found")
    assert other.get(URL).json()["count"] == 0


def test_api_lets_customer_service_read_but_not_write(setup, seller):
    pk = _create(_client(seller), setup).json()["id"]
    service = _client(UserFactory(role=Role.CUSTOMER_SERVICE))

    assert service.get(f"{URL}/{pk}").status_code == 200
    _error(_post(service, f"{URL}/{pk}/cancel"), 403, "permission_denied")
    _error(_create(service, setup), 403, "permission_denied")


def test_api_lists_with_filters_within_a_query_budget(
    seller, setup, clerk, django_assert_max_num_queries
):
    api = _client(seller)
    for _ in range(3):
        _post(
            api,
            URL,
            {
                "order_id": order_build(
                    customer=setup["customer"], lines=[(setup["product"], "1", "10")]
                ).pk,
                "warehouse_id": setup["warehouse"].pk,
            },
        )

    with django_assert_max_num_queries(10):
        listed = api.get(URL)

    assert listed.json()["count"] == 3
    assert api.get(URL, {"status": "shipped"}).json()["count"] == 0
    number = Delivery.objects.first().number  # type: ignore[union-attr]
    assert api.get(URL, {"q": number}).json()["count"] == 1
    _error(api.get(URL, {"ordering": "nonsense"}), 422, "validation_failed")


def test_api_records_and_lists_returns(setup, seller, clerk):
    pk = _create(_client(seller), setup).json()["id"]
    _post(_client(seller), f"{URL}/{pk}/ship", {"shipped_on": "2026-11-10"})
    line_id = Delivery.objects.get(pk=pk).lines.get().pk
    api = _client(clerk)

    created = _post(
        api,
        "/api/v1/returns",
        {
            "delivery_id": pk,
            "returned_on": "2026-11-15",
            "reason": "破损",
            "lines": [{"delivery_line_id": line_id, "quantity": "1"}],
        },
    )
    too_many = _post(
        api,
        "/api/v1/returns",
        {
            "delivery_id": pk,
            "returned_on": "2026-11-15",
            "reason": "破损",
            "lines": [{"delivery_line_id": line_id, "quantity": "3"}],
        },
    )

    assert created.status_code == 201, created.content
    assert D(created.json()["cost_amount"]) == D("50.00")
    _error(too_many, 422, "return_exceeds_delivered")
    assert api.get("/api/v1/returns").json()["count"] == 1
    got = api.get(f"/api/v1/returns/{created.json()['id']}").json()
    assert got["lines"][0]["delivery_line_id"] == line_id
    assert _client(seller).get(f"{URL}/{pk}").json()["return_ids"] == [created.json()["id"]]
    # Sales may read returns of their customers but not record them.
    refused = _post(
        _client(seller),
        "/api/v1/returns",
        {
            "delivery_id": pk,
            "returned_on": "2026-11-15",
            "reason": "x",
            "lines": [{"delivery_line_id": line_id, "quantity": "1"}],
        },
    )
    _error(refused, 403, "permission_denied")
