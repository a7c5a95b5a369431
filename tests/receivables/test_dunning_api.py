"""The dunning API: preview, run once a day, letters, promises, settings and tasks through the
same services as the pages, with the project's error shape, visibility and permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from suanpan.receivables.models import CollectionTask, DunningLevel
from tests.receivables.dunning_support import days_after_due, invoice_due, with_email
from tests.receivables.support import received

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dunning_levels")]
URL = "/api/v1/receivables/dunning"
ON = days_after_due(10).isoformat()


def test_preview_run_and_read_the_letter(customer, clerk, api_client):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    api = api_client(clerk)
    preview = api.get(f"{URL}/preview", {"on": ON})
    assert preview.status_code == 200, preview.content
    (row,) = preview.json()
    assert row["customer_id"] == customer.pk and row["total_amount"] == "1130.00"
    assert row["skip_reason"] is None and row["items"][0]["days_overdue"] == 10
    run = api.post(f"{URL}/runs", {"on": ON}, content_type="application/json")
    assert run.status_code == 201, run.content
    assert run.json()["letters_sent"] == 1
    assert len(mail.outbox) == 1
    again = api.post(f"{URL}/runs", {"on": ON}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["code"] == "dunning_already_run"
    letters = api.get(f"{URL}/letters", {"run_on": ON}).json()
    assert [r["customer_name"] for r in letters["items"]] == [customer.name]
    letter = api.get(f"{URL}/letters/{letters['items'][0]['id']}").json()
    assert "逾期合计" in letter["body"] and len(letter["items"]) == 1
    assert api.get(f"{URL}/runs").json()["items"][0]["run_on"] == ON


def test_a_salesperson_cannot_run_and_sees_only_own_letters(
    customer, other_customer, seller, clerk, api_client
):
    with_email(other_customer)
    invoice_due(other_customer, "1130.00", actor=clerk)
    api_client(clerk).post(f"{URL}/runs", {"on": ON}, content_type="application/json")
    api = api_client(seller)
    assert api.post(f"{URL}/runs", {"on": ON}, content_type="application/json").status_code == 403
    assert api.get(f"{URL}/letters").json()["items"] == []
    assert api.get(f"{URL}/preview", {"on": ON}).json() == []


def test_promises_create_mark_and_refuse_bad_input(
    customer, other_customer, seller, clerk, api_client
):
    api = api_client(clerk)
    on = (timezone.localdate() + timedelta(days=7)).isoformat()
    for amount in ("-1", "0", "1.001", "1e20"):
        bad = api.post(
            f"{URL}/promises",
            {"customer_id": customer.pk, "amount": amount, "promised_on": on},
            content_type="application/json",
        )
        assert bad.status_code == 422, (amount, bad.content)
    past = api.post(
        f"{URL}/promises",
        {"customer_id": customer.pk, "amount": "10", "promised_on": "2020-01-01"},
        content_type="application/json",
    )
    assert past.status_code == 422 and "promised_on" in past.json()["fields"]
    made = api.post(
        f"{URL}/promises",
        {"customer_id": customer.pk, "amount": "800.00", "promised_on": on, "notes": "月底"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["received"] == "0.00"
    received(customer, "300.00", actor=clerk, on=timezone.localdate())
    listed = api.get(f"{URL}/promises", {"status": "open"}).json()
    assert listed["count"] == 1
    assert listed["items"][0]["received"] == "300.00"
    marked = api.post(
        f"{URL}/promises/{pk}/mark", {"status": "kept"}, content_type="application/json"
    )
    assert marked.json()["status"] == "kept"
    twice = api.post(
        f"{URL}/promises/{pk}/mark", {"status": "broken"}, content_type="application/json"
    )
    assert twice.status_code == 409


def test_promise_for_another_salespersons_customer_is_404(other_customer, seller, api_client):
    seller_api = api_client(seller)
    gone = seller_api.get(f"{URL}/promises")
    assert gone.status_code == 200 and gone.json()["items"] == []


def test_settings_exclude_the_customer(customer, clerk, api_client):
    api = api_client(clerk)
    url = f"{URL}/customers/{customer.pk}/settings"
    refused = api.put(url, {"is_excluded": True}, content_type="application/json")
    assert refused.status_code == 422
    saved = api.put(
        url,
        {
            "is_excluded": True,
            "excluded_reason": "诉讼中",
            "email": "a@example.com",
            "language": "en",
        },
        content_type="application/json",
    )
    assert saved.status_code == 200, saved.content
    assert saved.json()["is_excluded"] is True
    assert (
        api.put(
            f"{URL}/customers/999999/settings",
            {"is_excluded": False},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_levels_list_and_update(finance_manager, clerk, api_client):
    level = DunningLevel.objects.get(days=30)
    api = api_client(finance_manager)
    listed = api.get(f"{URL}/levels").json()
    assert [row["days"] for row in listed] == [-3, 7, 30, 60]
    body = {k: v for k, v in listed[2].items() if k != "id"}
    body["interest_rate"] = "0.0005"
    saved = api.put(f"{URL}/levels/{level.pk}", body, content_type="application/json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["interest_rate"] == "0.0005"
    body["days"] = 7
    clash = api.put(f"{URL}/levels/{level.pk}", body, content_type="application/json")
    assert clash.status_code == 422 and "days" in clash.json()["fields"]
    assert (
        api_client(clerk)
        .put(f"{URL}/levels/{level.pk}", body, content_type="application/json")
        .status_code
        == 403
    )


def test_tasks_list_and_done(customer, seller, clerk, api_client):
    with_email(customer)
    invoice_due(customer, "1130.00", actor=clerk)
    api_client(clerk).post(f"{URL}/runs", {"on": ON}, content_type="application/json")
    api = api_client(seller)
    (task,) = api.get(f"{URL}/tasks").json()["items"]
    done = api.post(f"{URL}/tasks/{task['id']}/done")
    assert done.status_code == 200 and done.json()["done_at"]
    assert CollectionTask.objects.get().done_by == seller
    assert api.post(f"{URL}/tasks/{task['id']}/done").status_code == 409
