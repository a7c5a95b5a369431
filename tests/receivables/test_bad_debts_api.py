"""The bad-debt API: the matrix, individual provisions, the period-end preview and posting,
write-offs with their approval by another user, recoveries; errors, visibility, permissions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from suanpan.receivables.models import ProvisionRun, WriteOff
from tests.receivables.bad_debt_support import written_off
from tests.receivables.support import invoice, invoice_item, open_of

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/receivables"
JSON = "application/json"


def test_set_rates_preview_and_post_the_provision(cas_books, customer, clerk, approver, api_client):
    invoice(customer, "1130.00", actor=clerk)
    manager = api_client(approver)
    saved = manager.put(
        f"{URL}/provisions/rates",
        {"rates": [{"bucket": 0, "rate": "0.05"}, {"bucket": 4, "rate": "1"}]},
        content_type=JSON,
    )
    assert saved.status_code == 200, saved.content
    assert {(r["bucket"], r["rate"]) for r in saved.json()} == {(0, "0.0500"), (4, "1.0000")}
    api = api_client(clerk)
    preview = api.get(f"{URL}/provisions/preview", {"period": "2026-01"}).json()
    assert (preview["required"], preview["existing"], preview["change"]) == (
        "56.50",
        "0.00",
        "56.50",
    )
    posted = api.post(f"{URL}/provisions/post", {"period": "2026-01"}, content_type=JSON)
    assert posted.status_code == 201, posted.content
    assert posted.json()["change_amount"] == "56.50"
    again = api.post(f"{URL}/provisions/post", {"period": "2026-01"}, content_type=JSON)
    assert again.status_code == 204
    assert api.get(f"{URL}/provisions").json()["count"] == 1


def test_individual_provision_is_saved_and_listed(cas_books, customer, approver, api_client):
    api = api_client(approver)
    saved = api.post(
        f"{URL}/provisions/individual",
        {"customer_id": customer.pk, "reason": "涉诉", "rate": "0.5"},
        content_type=JSON,
    )
    assert saved.status_code == 200, saved.content
    assert api.get(f"{URL}/provisions/individual", {"q": "涉诉"}).json()["count"] == 1
    both = api.post(
        f"{URL}/provisions/individual",
        {"customer_id": customer.pk, "reason": "涉诉", "rate": "0.5", "amount": "1.00"},
        content_type=JSON,
    )
    assert both.status_code == 422 and both.json()["code"] == "bad_debt_invalid"


@pytest.mark.parametrize("rate", ["-0.1", "1.1", "0.123456", "x"])
def test_bad_rates_answer_422(cas_books, approver, api_client, rate):
    answer = api_client(approver).put(
        f"{URL}/provisions/rates", {"rates": [{"bucket": 0, "rate": rate}]}, content_type=JSON
    )
    assert answer.status_code == 422


def test_preview_refuses_when_books_are_small_enterprise(small_books, clerk, api_client):
    answer = api_client(clerk).get(f"{URL}/provisions/preview", {"period": "2026-01"})
    assert answer.status_code == 409 and answer.json()["code"] == "provision_not_used"


def test_write_off_approve_and_recover(cas_books, customer, clerk, approver, api_client):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    maker = api_client(clerk)
    made = maker.post(
        f"{URL}/writeoffs",
        {
            "customer_id": customer.pk,
            "reason": "客户注销",
            "items": [{"item_id": item.pk, "amount": "1130.00"}],
            "written_off_on": "2026-01-10",
        },
        content_type=JSON,
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    own = maker.post(f"{URL}/writeoffs/{pk}/approve", {"on": "2026-01-10"}, content_type=JSON)
    assert own.status_code == 403  # the accountant has no approval right at all
    approved = api_client(approver).post(
        f"{URL}/writeoffs/{pk}/approve", {"on": "2026-01-10"}, content_type=JSON
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "posted"
    assert open_of(item) == 0
    twice = api_client(approver).post(
        f"{URL}/writeoffs/{pk}/approve", {"on": "2026-01-10"}, content_type=JSON
    )
    assert twice.status_code == 409 and twice.json()["code"] == "writeoff_wrong_status"
    over = maker.post(
        f"{URL}/writeoffs/{pk}/recover",
        {"amount": "1130.01", "on": "2026-01-12"},
        content_type=JSON,
    )
    assert over.status_code == 409 and over.json()["code"] == "recovery_exceeds_written_off"
    recovered = maker.post(
        f"{URL}/writeoffs/{pk}/recover", {"amount": "500.00", "on": "2026-01-12"}, content_type=JSON
    )
    assert recovered.status_code == 201, recovered.content
    assert recovered.json()["recovered_amount"] == "500.00"
    assert len(recovered.json()["recoveries"]) == 1
    assert maker.get(f"{URL}/writeoffs", {"status": "posted"}).json()["count"] == 1


def test_manager_cannot_approve_own_write_off(cas_books, customer, clerk, approver, api_client):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    api = api_client(approver)
    made = api.post(
        f"{URL}/writeoffs",
        {"customer_id": customer.pk, "reason": "x", "items": [{"item_id": item.pk, "amount": "1"}]},
        content_type=JSON,
    )
    pk = made.json()["id"]
    own = api.post(f"{URL}/writeoffs/{pk}/approve", {}, content_type=JSON)
    assert own.status_code == 409 and own.json()["code"] == "writeoff_own_approval"
    assert WriteOff.objects.get().status == "draft"


@pytest.mark.parametrize("amount", ["0", "-1", "1.234", "1e20"])
def test_bad_write_off_amounts_answer_422_and_write_nothing(
    cas_books, customer, clerk, api_client, amount
):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    answer = api_client(clerk).post(
        f"{URL}/writeoffs",
        {
            "customer_id": customer.pk,
            "reason": "x",
            "items": [{"item_id": item.pk, "amount": amount}],
        },
        content_type=JSON,
    )
    assert answer.status_code == 422
    assert not WriteOff.objects.exists()


def test_another_salespersons_write_off_answers_404(
    cas_books, customer, other_customer, clerk, approver, api_client
):
    item = invoice_item(invoice(other_customer, "1130.00", actor=clerk))
    writeoff = written_off(other_customer, ((item, "100.00"),), maker=clerk)
    seller = customer.owner
    assert api_client(seller).get(f"{URL}/writeoffs/{writeoff.pk}").status_code == 403
    seller.user_permissions.add(Permission.objects.get(codename="view_writeoff"))
    seller_api = api_client(type(seller).objects.get(pk=seller.pk))
    assert seller_api.get(f"{URL}/writeoffs/{writeoff.pk}").status_code == 404
    assert seller_api.get(f"{URL}/writeoffs").json()["count"] == 0
    assert seller_api.get(f"{URL}/provisions/preview", {"period": "2026-01"}).status_code == 403
    assert not ProvisionRun.objects.exists()


def test_reverse_a_posted_write_off(cas_books, customer, clerk, approver, api_client):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    writeoff = written_off(customer, ((item, "1130.00"),), maker=clerk, approver=approver)
    url = f"{URL}/writeoffs/{writeoff.pk}/reverse"
    payload = {"reason": "客户已付款", "on": "2026-01-20"}
    assert api_client(clerk).post(url, payload, content_type=JSON).status_code == 403
    done = api_client(approver).post(url, payload, content_type=JSON)
    assert done.status_code == 200, done.content
    body = done.json()
    assert (body["status"], body["reversed_on"]) == ("reversed", "2026-01-20")
    again = api_client(approver).post(url, payload, content_type=JSON)
    assert again.status_code == 409
