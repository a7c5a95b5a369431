"""/api/v1/invoicing/mailings: list with filters, create, receive, returned, tracking, the
unconfirmed list and the settings; errors in the API's shape; others' customers invisible."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from suanpan.invoicing.models import InvoiceMailing
from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import api_token_create
from tests.factories import UserFactory
from tests.invoicing.mailing_support import SENT_ON, issued_invoice, mailed, second_invoice

pytestmark = pytest.mark.django_db
URL = "/api/v1/invoicing/mailings"


def _client(user: User) -> Client:
    _token, key = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {key}"})


def _send(client: Client, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    return body


@pytest.fixture
def invoice(delivery_books, clerk, approver):
    return issued_invoice(maker=clerk, approver=approver, address="福州市鼓楼区1号")


def test_create_list_and_filter(invoice, clerk, approver):
    client = _client(clerk)
    second = second_invoice(invoice, maker=clerk, approver=approver)
    response = _send(
        client,
        "post",
        URL,
        {
            "invoice_ids": [invoice.pk, second.pk],
            "sent_on": SENT_ON.isoformat(),
            "courier": "顺丰",
            "tracking_number": "SF123",
        },
    )
    assert response.status_code == 201, response.content
    rows = response.json()
    assert [r["invoice_id"] for r in rows] == [invoice.pk, second.pk]
    assert rows[0]["address"] == "福州市鼓楼区1号"
    assert rows[0]["status"] == "sent"
    assert rows[0]["invoice_number"] == invoice.number
    listed = client.get(URL, {"q": "SF123"}).json()
    assert listed["count"] == 2
    assert client.get(URL, {"status": "received"}).json()["count"] == 0
    assert client.get(URL, {"customer": invoice.customer_id}).json()["count"] == 2
    assert client.get(URL, {"sent_from": "2026-11-15"}).json()["count"] == 0
    assert client.get(URL, {"courier": "顺"}).json()["count"] == 2
    _error(client.get(URL, {"sent_from": "not a date"}), 422, "validation_failed")


def test_create_errors_write_nothing(invoice, clerk, approver):
    client = _client(clerk)
    other = issued_invoice(maker=clerk, approver=approver, address="厦门市1号")
    body = _error(
        _send(
            client,
            "post",
            URL,
            {"invoice_ids": [invoice.pk, other.pk], "sent_on": SENT_ON.isoformat()},
        ),
        422,
        "mailing_invalid",
    )
    assert "invoice_ids" in body["fields"]
    _error(
        _send(client, "post", URL, {"invoice_ids": [], "sent_on": SENT_ON.isoformat()}),
        422,
        "validation_failed",
    )
    _error(
        _send(
            client,
            "post",
            URL,
            {"invoice_ids": [invoice.pk], "sent_on": SENT_ON.isoformat(), "courier": "x" * 101},
        ),
        422,
        "validation_failed",
    )
    assert not InvoiceMailing.objects.exists()


def test_receive_returned_and_patch(invoice, clerk):
    client = _client(clerk)
    mailing = mailed(invoice, actor=clerk)
    early = (SENT_ON - timedelta(days=1)).isoformat()
    _error(
        _send(client, "post", f"{URL}/{mailing.pk}/receive", {"received_on": early}),
        422,
        "mailing_invalid",
    )
    patched = _send(client, "patch", f"{URL}/{mailing.pk}", {"tracking_number": "YT77"})
    assert patched.json()["tracking_number"] == "YT77"
    _error(
        _send(client, "patch", f"{URL}/{mailing.pk}", {"courier": None}), 422, "validation_failed"
    )
    received = _send(
        client,
        "post",
        f"{URL}/{mailing.pk}/receive",
        {"received_on": "2026-11-16", "confirmed_by_customer": True},
    ).json()
    assert (received["status"], received["received_on"], received["confirmed_by_customer"]) == (
        "received",
        "2026-11-16",
        True,
    )
    _error(_send(client, "post", f"{URL}/{mailing.pk}/returned", {}), 409, "wrong_status")


def test_returned(invoice, clerk):
    client = _client(clerk)
    mailing = mailed(invoice, actor=clerk)
    body = _send(client, "post", f"{URL}/{mailing.pk}/returned", {"notes": "拒收"}).json()
    assert body["status"] == "returned"
    assert "拒收" in body["notes"]


def test_unconfirmed_list_oldest_first(invoice, clerk, approver):
    client = _client(clerk)
    second = second_invoice(invoice, maker=clerk, approver=approver)
    newer = mailed(invoice, actor=clerk, sent_on=SENT_ON + timedelta(days=2))
    older = mailed(second, actor=clerk, tracking_number="SF2")
    rows = client.get(f"{URL}/unconfirmed").json()["items"]
    assert [r["id"] for r in rows] == [older.pk, newer.pk]
    assert client.get(f"{URL}/unconfirmed", {"days": 365}).json()["count"] == 0


def test_settings_get_and_put(db):
    manager = UserFactory(role=Role.FINANCE_MANAGER)
    accountant = UserFactory(role=Role.ACCOUNTANT)
    assert _client(accountant).get(f"{URL}/settings").json() == {
        "due_from_received": False,
        "unconfirmed_after_days": 7,
    }
    body = {"due_from_received": True, "unconfirmed_after_days": 14}
    _error(_send(_client(accountant), "put", f"{URL}/settings", body), 403, "permission_denied")
    assert _send(_client(manager), "put", f"{URL}/settings", body).json() == body
    _error(
        _send(
            _client(manager),
            "put",
            f"{URL}/settings",
            {"due_from_received": True, "unconfirmed_after_days": 0},
        ),
        422,
        "validation_failed",
    )


def test_other_salespeoples_customers_are_invisible(delivery_books, clerk, approver):
    owner = UserFactory(role=Role.SALES)
    stranger = UserFactory(role=Role.SALES)
    invoice = issued_invoice(maker=clerk, approver=approver, address="福州市1号", owner=owner)
    mailing = mailed(invoice, actor=clerk)
    assert _client(owner).get(f"{URL}/{mailing.pk}").status_code == 200
    assert _client(stranger).get(f"{URL}/{mailing.pk}").status_code == 404
    assert _client(stranger).get(URL).json()["count"] == 0
    # Salespeople read the register but do not write it.
    _error(
        _send(_client(owner), "post", f"{URL}/{mailing.pk}/returned", {}), 403, "permission_denied"
    )
