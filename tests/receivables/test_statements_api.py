"""The statements API: made, listed, read, downloaded, sent and marked through the same
services as the pages, with the project's error shape, visibility and permissions."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suanpan.receivables.models import Statement
from tests.receivables.support import invoice

pytestmark = pytest.mark.django_db
URL = "/api/v1/receivables/statements"
JAN = {"start_on": "2026-01-01", "end_on": "2026-01-31"}


def test_make_list_get_download_send_and_mark_a_statement(customer, clerk, api_client):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 5))
    api = api_client(clerk)
    made = api.post(
        URL,
        {"customer_id": customer.pk, **JAN, "kind": "confirmation"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["closing_amount"] == "1130.00" and body["status"] == "draft"
    assert body["number"].startswith("DZ-202601-")
    pk = body["id"]
    listed = api.get(URL, {"q": body["number"]}).json()
    assert [row["id"] for row in listed["items"]] == [pk]
    assert api.get(f"{URL}/{pk}").json()["kind"] == "confirmation"
    pdf = api.get(f"{URL}/{pk}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = api.get(f"{URL}/{pk}/xlsx")
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content).startswith(b"PK")
    sent = api.post(
        f"{URL}/{pk}/send", {"email": "ap@example.com"}, content_type="application/json"
    )
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    assert len(mail.outbox) == 1
    marked = api.post(
        f"{URL}/{pk}/mark", {"answer": "confirmed", "notes": "ok"}, content_type="application/json"
    )
    assert marked.json()["status"] == "confirmed"
    again = api.post(
        f"{URL}/{pk}/mark", {"answer": "disputed", "notes": "no"}, content_type="application/json"
    )
    assert again.status_code == 409
    assert again.json()["code"] == "customer_statement_answered"


def test_bad_input_is_refused_with_its_code_and_writes_nothing(customer, clerk, api_client):
    api = api_client(clerk)
    reversed_period = api.post(
        URL,
        {"customer_id": customer.pk, "start_on": "2026-02-01", "end_on": "2026-01-01"},
        content_type="application/json",
    )
    assert reversed_period.status_code == 422
    assert reversed_period.json()["code"] == "customer_statement_invalid"
    unknown_kind = api.post(
        URL, {"customer_id": customer.pk, **JAN, "kind": "letter"}, content_type="application/json"
    )
    assert unknown_kind.status_code == 422
    assert not Statement.objects.exists()


def test_another_salespersons_customer_answers_404(
    customer, other_customer, clerk, seller, api_client
):
    theirs = api_client(clerk).post(
        URL, {"customer_id": other_customer.pk, **JAN}, content_type="application/json"
    )
    api = api_client(seller)
    assert api.get(f"{URL}/{theirs.json()['id']}").status_code == 404
    assert api.get(URL).json()["items"] == []
    refused = api.post(URL, {"customer_id": customer.pk, **JAN}, content_type="application/json")
    assert refused.status_code == 403


def test_list_queries_do_not_grow_with_rows(customer, clerk, api_client):
    api = api_client(clerk)
    api.post(URL, {"customer_id": customer.pk, **JAN}, content_type="application/json")

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(URL).status_code == 200
        return len(queries)

    before = counted()
    for _ in range(3):
        api.post(URL, {"customer_id": customer.pk, **JAN}, content_type="application/json")
    assert counted() == before
