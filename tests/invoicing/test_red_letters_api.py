"""/api/v1/invoicing/red-letters: forms, their actions, red invoices, void and deduction."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suanpan.invoicing.choices import InvoiceStatus, InvoiceType
from suanpan.invoicing.models import Invoice
from suanpan.users.choices import Role
from suanpan.users.models import User
from suanpan.users.services import api_token_create
from tests.factories import UserFactory
from tests.invoicing.red_support import blue_invoice
from tests.invoicing.support import invoice_number

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/invoicing/red-letters"


def _client(user: User) -> Client:
    _token, key = api_token_create(user=user, name="tests")
    return Client(headers={"authorization": f"Bearer {key}"})


def _post(client: Client, url: str, body: Any = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    return body


def test_enter_confirm_and_issue_a_partial_red(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    line = blue.lines.get()
    api = _client(approver)

    created = _post(
        api,
        URL,
        {
            "invoice_id": blue.pk,
            "initiator": "1",
            "reason": "1",
            "lines": [{"blue_line_id": line.pk, "quantity": "2"}],
        },
    )
    assert created.status_code == 201, created.content
    form = created.json()
    assert form["status"] == "03" and form["net_amount"] == "200.00"
    assert form["lines"][0]["quantity"] == "2.0000" or D(form["lines"][0]["quantity"]) == 2

    confirmed = _post(api, f"{URL}/{form['id']}/confirm")
    assert confirmed.json()["status"] == "04"
    issued = _post(
        api, f"{URL}/{form['id']}/issue", {"number": invoice_number(), "issued_on": "2026-11-12"}
    )
    assert issued.status_code == 200, issued.content
    assert issued.json()["red_invoice_id"] is not None
    blue.refresh_from_db()
    assert blue.status == InvoiceStatus.PARTLY_REVERSED

    listed = api.get(URL, {"invoice": blue.pk, "status": "04"})
    assert [row["id"] for row in listed.json()["items"]] == [form["id"]]
    assert api.get(f"{URL}/{form['id']}").json()["blue_invoice_id"] == blue.pk


def test_refusals_answer_with_the_error_shape(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver)
    line = blue.lines.get()
    api = _client(approver)
    partial = _post(
        api,
        URL,
        {
            "invoice_id": blue.pk,
            "initiator": "0",
            "reason": "1",
            "lines": [{"blue_line_id": line.pk, "quantity": "1"}],
        },
    )
    assert "lines" in _error(partial, 422, "red_letter_invalid")["fields"]
    full = _post(api, URL, {"invoice_id": blue.pk, "initiator": "0", "reason": "1"}).json()
    assert full["status"] == "01"
    _error(_post(api, f"{URL}/{full['id']}/confirm"), 409, "wrong_status")
    bad_number = _post(
        api, f"{URL}/{full['id']}/issue", {"number": "123", "issued_on": "2026-11-12"}
    )
    _error(bad_number, 422, "invoice_number_invalid")
    assert _post(api, f"{URL}/{full['id']}/withdraw").status_code == 409
    assert _post(api, f"{URL}/{full['id']}/cancel").json()["status"] == "09"


def test_void_and_deducted(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver)
    api = _client(approver)
    digital = _post(api, f"{URL}/void/{blue.pk}", {"reason": "错开"})
    _error(digital, 409, "invoice_not_voidable")
    marked = _post(api, f"{URL}/deducted/{blue.pk}", {"deducted": True})
    assert marked.json()["deducted"] is True
    other = blue_invoice(clerk=clerk, approver=approver)
    Invoice.objects.filter(pk=other.pk).update(
        invoice_type=InvoiceType.PAPER_NORMAL, code="3500123456", number="00000001"
    )
    voided = _post(api, f"{URL}/void/{other.pk}", {"reason": "错开", "on": "2026-11-20"})
    assert voided.status_code == 200, voided.content
    assert voided.json()["status"] == "voided"


def test_others_records_answer_404_and_sales_cannot_act(delivery_books, clerk, approver, seller):
    blue = blue_invoice(clerk=clerk, approver=approver)
    form = _post(
        _client(approver), URL, {"invoice_id": blue.pk, "initiator": "0", "reason": "1"}
    ).json()
    stranger = _client(UserFactory(role=Role.SALES))
    assert stranger.get(f"{URL}/{form['id']}").status_code in (403, 404)
    assert _post(stranger, f"{URL}/{form['id']}/cancel").status_code in (403, 404)
    assert _post(
        stranger, URL, {"invoice_id": blue.pk, "initiator": "0", "reason": "1"}
    ).status_code in (403, 404)
    assert _client(approver).get(f"{URL}/99999").status_code == 404


def test_list_queries_do_not_grow_with_rows(delivery_books, clerk, approver):
    api = _client(approver)

    def enter() -> None:
        blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
        line = blue.lines.get()
        _post(
            api,
            URL,
            {
                "invoice_id": blue.pk,
                "initiator": "0",
                "reason": "1",
                "lines": [{"blue_line_id": line.pk, "quantity": "1"}],
            },
        )

    enter()
    with CaptureQueriesContext(connection) as one:
        api.get(URL)
    enter()
    enter()
    with CaptureQueriesContext(connection) as three:
        assert len(api.get(URL).json()["items"]) == 3
    assert len(three) == len(one)
