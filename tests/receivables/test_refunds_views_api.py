"""Refund pages and API: a refund typed on the page and through the API, the list, its
detail, cancelling it; the project's error shapes; who may do what."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from suanpan.receivables.choices import ReceiptStatus
from suanpan.receivables.models import Refund
from tests.receivables.support import receipt_items, received

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/receivables/refunds"


def test_new_refund_page_shows_what_is_open_and_records_it(client: Client, customer, clerk):
    receipt = received(customer, "800.00", actor=clerk)
    client.force_login(clerk)
    url = reverse("receivables:refund_create")
    page = client.get(url, {"customer": customer.pk})
    assert page.status_code == 200
    assert "800.00" in page.text
    done = client.post(
        url,
        {
            "customer": customer.pk,
            "refunded_on": "2026-01-20",
            "amount": "300.00",
            "method": "bank_transfer",
            "payee_name": customer.name,
            "reason": "订单取消",
        },
    )
    refund = Refund.objects.get()
    assert done.status_code == 302 and done.url == reverse(
        "receivables:refund_detail", args=[refund.pk]
    )
    detail = client.get(done.url)
    assert refund.number in detail.text and receipt.number in detail.text
    (advance,) = receipt_items(receipt)
    advance.refresh_from_db()
    assert advance.open_amount == D("-500.00")
    listed = client.get(reverse("receivables:refund_list"), {"q": "订单取消"})
    assert [r.pk for r in listed.context["refunds"]] == [refund.pk]


def test_too_large_refund_is_shown_on_the_form_with_nothing_written(
    client: Client, customer, clerk
):
    received(customer, "100.00", actor=clerk)
    client.force_login(clerk)
    page = client.post(
        reverse("receivables:refund_create"),
        {
            "customer": customer.pk,
            "refunded_on": "2026-01-20",
            "amount": "100.01",
            "method": "bank_transfer",
            "reason": "多付",
        },
    )
    assert page.status_code == 200
    assert "100.01" in page.text and "100.00" in page.text
    assert not Refund.objects.exists()


def test_cancel_from_the_detail_page(client: Client, customer, clerk):
    received(customer, "100.00", actor=clerk)
    client.force_login(clerk)
    client.post(
        reverse("receivables:refund_create"),
        {
            "customer": customer.pk,
            "refunded_on": "2026-01-20",
            "amount": "40.00",
            "method": "cash",
            "reason": "多付",
        },
    )
    refund = Refund.objects.get()
    done = client.post(
        reverse("receivables:refund_cancel", args=[refund.pk]),
        {"reason": "客户未收到", "cancelled_on": "2026-01-21"},
    )
    assert done.status_code == 302
    refund.refresh_from_db()
    assert refund.status == ReceiptStatus.CANCELLED


def test_a_salesperson_reads_but_cannot_refund_and_empty_list_says_so(
    client: Client, customer, seller
):
    client.force_login(seller)
    listed = client.get(reverse("receivables:refund_list"))
    assert listed.status_code == 200 and "No refunds yet" in listed.text
    assert client.get(reverse("receivables:refund_create")).status_code == 403


def test_api_records_lists_and_cancels_a_refund(customer, clerk, api_client):
    receipt = received(customer, "500.00", actor=clerk)
    api = api_client(clerk)
    made = api.post(
        URL,
        {
            "customer_id": customer.pk,
            "refunded_on": "2026-01-20",
            "amount": "120.50",
            "reason": "退回多付款",
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["lines"] == [
        {
            "credit_source_type": "receivables.receipt",
            "credit_source_id": str(receipt.pk),
            "credit_label": body["lines"][0]["credit_label"],
            "amount": "120.50",
        }
    ]
    assert [r["id"] for r in api.get(URL, {"customer": customer.pk}).json()["items"]] == [
        body["id"]
    ]
    cancelled = api.post(
        f"{URL}/{body['id']}/cancel",
        {"reason": "退款被退回", "on": "2026-01-22"},
        content_type="application/json",
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = api.post(f"{URL}/{body['id']}/cancel", {"reason": "x"}, content_type="application/json")
    assert again.status_code == 409


def test_api_refuses_more_than_is_open_and_hides_other_customers(
    customer, other_customer, clerk, seller, api_client
):
    received(customer, "50.00", actor=clerk)
    api = api_client(clerk)
    refused = api.post(
        URL,
        {"customer_id": customer.pk, "refunded_on": "2026-01-20", "amount": "60", "reason": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "refund_exceeds_credit"
    bad = api.post(
        URL,
        {"customer_id": customer.pk, "refunded_on": "2026-01-20", "amount": "-1", "reason": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    received(other_customer, "50.00", actor=clerk)
    api.post(
        URL,
        {
            "customer_id": other_customer.pk,
            "refunded_on": "2026-01-20",
            "amount": "5",
            "reason": "x",
        },
        content_type="application/json",
    )
    theirs = Refund.objects.get(customer=other_customer)
    assert api_client(seller).get(f"{URL}/{theirs.pk}").status_code == 404
    assert not Refund.objects.filter(customer=customer).exists()
