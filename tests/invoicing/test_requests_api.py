"""/api/v1/invoicing/requests: list, get, create from each source, update, review, cancel and
issue; errors as {"code", "message", "fields"}; others' requests answer 404."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from suanpan.invoicing.choices import RequestStatus
from suanpan.invoicing.models import Invoice, InvoiceRequest
from suanpan.users.models import User
from suanpan.users.services import api_token_create
from tests.invoicing.requests_support import (
    SERVICE_CODE,
    contract_instalment,
    goods_order_in_two_deliveries,
)
from tests.invoicing.support import ON, invoice_number, shipped_order

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/invoicing/requests"


def _client(user: User) -> Client:
    _token, key = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {key}"})


def _post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _put(client: Client, url: str, body: Any) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json")


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert "message" in body and "fields" in body
    return body


def _create_for_order(client: Client, order: Any, **body: Any) -> Any:
    return _post(
        client,
        URL,
        {
            "source": "order",
            "order_id": order.pk,
            "invoice_type": "e_special",
            "requested_on": ON.isoformat(),
            **body,
        },
    )


def test_create_get_and_list(delivery_books, clerk):
    order = shipped_order(actor=clerk)
    client = _client(clerk)

    created = _create_for_order(client, order, remarks="合同号 HT-1")

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "pending" and body["order_number"] == order.number
    assert body["buyer"]["tax_number"] == "91350100M000100Y43"
    assert D(body["gross_amount"]) == D("1130.00")
    assert D(body["lines"][0]["quantity"]) == D(10)
    assert body["invoice_id"] is None
    got = client.get(f"{URL}/{body['id']}").json()
    assert got["number"] == body["number"] and got["remarks"] == "合同号 HT-1"
    listed = client.get(URL, {"q": order.number}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == body["id"]
    assert client.get(URL, {"status": "approved"}).json()["count"] == 0
    _error(client.get(URL, {"ordering": "nonsense"}), 422, "validation_failed")


def test_create_refuses_more_than_remains_with_the_line_field(delivery_books, clerk):
    order = shipped_order(actor=clerk)
    client = _client(clerk)
    line = order.lines.get()
    body = _error(
        _create_for_order(client, order, lines=[{"order_line_id": line.pk, "quantity": "11"}]),
        422,
        "invoice_request_exceeds_order",
    )
    assert body["fields"]["lines.0.quantity"] == ["At most 10."]
    body = _error(
        _create_for_order(client, order, buyer={"tax_number": "123"}),
        422,
        "invoice_request_invalid",
    )
    assert "buyer_tax_number" in body["fields"]
    assert not InvoiceRequest.objects.exists()


def test_create_from_deliveries_and_instalment(delivery_books, clerk):
    _order, first, second = goods_order_in_two_deliveries(actor=clerk)
    client = _client(clerk)
    made = _post(
        client,
        URL,
        {
            "source": "deliveries",
            "delivery_ids": [first.pk, second.pk],
            "invoice_type": "e_special",
        },
    )
    assert made.status_code == 201, made.content
    assert D(made.json()["lines"][0]["quantity"]) == D(10)
    none = _post(client, URL, {"source": "deliveries", "invoice_type": "e_special"})
    assert "delivery_ids" in _error(none, 422, "invoice_request_invalid")["fields"]
    instalment = contract_instalment(amount="3000.00")
    typed = {"item_name": "实施服务", "tax_code": SERVICE_CODE, "vat_rate_key": "6"}
    made = _post(
        client,
        URL,
        {
            "source": "instalment",
            "instalment_id": instalment.pk,
            "invoice_type": "e_normal",
            "lines": [{**typed, "amount": "1000.00", "discount": "100.00"}],
        },
    )
    assert made.status_code == 201, made.content
    assert D(made.json()["gross_amount"]) == D("900.00")
    _error(
        _post(
            client,
            URL,
            {
                "source": "instalment",
                "instalment_id": instalment.pk,
                "invoice_type": "e_normal",
                "lines": [{**typed, "amount": "2100.01"}],
            },
        ),
        422,
        "invoice_request_exceeds_instalment",
    )


def test_update_approve_reject_cancel_and_issue(delivery_books, clerk, approver, seller):
    order = shipped_order(actor=clerk)
    line = order.lines.get()
    maker, reviewer = _client(clerk), _client(approver)
    pk = _create_for_order(maker, order).json()["id"]

    _error(_post(maker, f"{URL}/{pk}/approve"), 403, "own_request_approval")
    _error(_post(reviewer, f"{URL}/{pk}/reject", {"reason": ""}), 422, "validation_failed")
    rejected = _post(reviewer, f"{URL}/{pk}/reject", {"reason": "数量不对"})
    assert rejected.status_code == 200 and rejected.json()["reject_reason"] == "数量不对"

    updated = _put(
        maker,
        f"{URL}/{pk}",
        {"invoice_type": "e_special", "lines": [{"order_line_id": line.pk, "quantity": "4"}]},
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["status"] == "pending" and updated.json()["reject_reason"] == ""
    assert D(updated.json()["gross_amount"]) == D("452.00")
    kept = _put(maker, f"{URL}/{pk}", {"invoice_type": "e_special", "remarks": "保留行"})
    assert D(kept.json()["lines"][0]["quantity"]) == D(4)

    approved = _post(reviewer, f"{URL}/{pk}/approve")
    assert approved.json()["status"] == "approved"
    _error(
        _post(
            _client(seller),
            f"{URL}/{pk}/issue",
            {"number": invoice_number(), "issued_on": ON.isoformat()},
        ),
        403,
        "permission_denied",
    )
    _error(
        _post(reviewer, f"{URL}/{pk}/issue", {"number": "12", "issued_on": ON.isoformat()}),
        422,
        "invoice_number_invalid",
    )
    number = invoice_number()
    issued = _post(reviewer, f"{URL}/{pk}/issue", {"number": number, "issued_on": ON.isoformat()})
    assert issued.status_code == 201, issued.content
    assert issued.json()["number"] == number
    assert Invoice.objects.get(pk=issued.json()["invoice_id"]).request_id == pk
    after = maker.get(f"{URL}/{pk}").json()
    assert after["status"] == "issued" and after["invoice_number"] == number
    _error(_post(maker, f"{URL}/{pk}/cancel"), 409, "wrong_status")

    other = _create_for_order(maker, shipped_order(actor=clerk)).json()["id"]
    cancelled = _post(maker, f"{URL}/{other}/cancel")
    assert cancelled.json()["status"] == RequestStatus.CANCELLED


def test_another_salespersons_request_answers_404(delivery_books, clerk, seller):
    order = shipped_order(actor=clerk)
    pk = _create_for_order(_client(clerk), order).json()["id"]
    client = _client(seller)
    assert client.get(f"{URL}/{pk}").status_code == 404
    assert client.get(URL).json()["count"] == 0
    assert _post(client, f"{URL}/{pk}/cancel").status_code == 404
    assert _create_for_order(client, order).status_code == 404


def test_list_queries_do_not_grow_with_the_rows(
    delivery_books, clerk, django_assert_max_num_queries
):
    client = _client(clerk)
    for _ in range(3):
        assert _create_for_order(client, shipped_order(actor=clerk)).status_code == 201
    with django_assert_max_num_queries(8):
        listed = client.get(URL).json()
    assert listed["count"] == 3
