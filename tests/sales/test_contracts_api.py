"""/api/v1/contracts: create (or from a quote), status actions, the plan, attachments."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from suanpan.sales.services.lines import LineInput
from suanpan.sales.services.quotes import quote_create, quote_send
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory, ProductFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/contracts"
PDF = b"%PDF-1.4\n%%EOF\n"


def _create(client: Client, seller: User, **body) -> dict:
    response = client.post(
        URL,
        {
            "customer_id": CustomerFactory(owner=seller).pk,
            "title": "年度供货合同",
            "amount": "10000.00",
            "signed_on": "2026-11-03",
            **body,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def test_create_get_list(client_for: Client, seller: User) -> None:
    created = _create(client_for, seller)

    assert created["number"] == "HT-202611-0001"
    assert created["amount"] == "10000.00" and created["status"] == "draft"
    assert client_for.get(f"{URL}/{created['id']}").json()["title"] == "年度供货合同"
    assert client_for.get(URL, {"q": "HT-2026"}).json()["count"] == 1


def test_create_needs_title_and_amount(client_for: Client, seller: User) -> None:
    response = client_for.post(
        URL, {"customer_id": CustomerFactory(owner=seller).pk}, content_type="application/json"
    )

    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"title", "amount"}


def test_create_from_a_quote(client_for: Client, seller: User) -> None:
    draft = quote_create(
        actor=seller,
        customer=CustomerFactory(owner=seller),
        data={},
        lines=[
            LineInput(
                product_id=ProductFactory(list_price=Decimal("113")).pk, quantity=Decimal("2")
            )
        ],
    )
    quote = quote_send(actor=seller, quote=draft)

    response = client_for.post(
        URL, {"quote_id": quote.pk, "number": "SH-9"}, content_type="application/json"
    )

    body = response.json()
    quote.refresh_from_db()
    assert response.status_code == 201
    assert (body["number"], body["amount"], body["quote_id"]) == ("SH-9", "226.00", quote.pk)
    assert quote.status == "accepted"


def test_contract_of_another_salesperson_is_not_found(
    api_client, client_for: Client, seller: User, make_user: Callable[..., User]
) -> None:
    contract_id = _create(client_for, seller)["id"]
    other = api_client(make_user(Role.SALES))

    assert other.get(f"{URL}/{contract_id}").status_code == 404
    assert (
        other.put(
            f"{URL}/{contract_id}/plan", {"instalments": []}, content_type="application/json"
        ).status_code
        == 404
    )


def test_actions_and_patch(client_for: Client, seller: User) -> None:
    contract_id = _create(client_for, seller)["id"]

    patched = client_for.patch(
        f"{URL}/{contract_id}", {"title": "新标题"}, content_type="application/json"
    )
    active = client_for.post(f"{URL}/{contract_id}/activate", content_type="application/json")
    no_reason = client_for.post(
        f"{URL}/{contract_id}/terminate", {"reason": ""}, content_type="application/json"
    )
    terminated = client_for.post(
        f"{URL}/{contract_id}/terminate", {"reason": "客户违约"}, content_type="application/json"
    )
    completed = client_for.post(f"{URL}/{contract_id}/complete", content_type="application/json")

    assert patched.json()["title"] == "新标题"
    assert active.json()["status"] == "active"
    assert no_reason.status_code == 422
    assert terminated.json()["status"] == "terminated"
    assert completed.status_code == 409
    assert completed.json()["code"] == "invalid_contract_transition"


def test_put_plan_by_percentage_and_refuse_a_bad_one(client_for: Client, seller: User) -> None:
    contract_id = _create(client_for, seller, amount="10000.01")["id"]

    good = client_for.put(
        f"{URL}/{contract_id}/plan",
        {
            "instalments": [
                {"due_on": "2026-12-01", "percentage": "30", "description": "预付款"},
                {"due_on": "2027-03-01", "percentage": "70", "description": "尾款"},
            ]
        },
        content_type="application/json",
    )
    bad = client_for.put(
        f"{URL}/{contract_id}/plan",
        {"instalments": [{"due_on": "2026-12-01", "amount": "9999.99"}]},
        content_type="application/json",
    )

    assert good.status_code == 200
    assert [(i["percentage"], i["amount"]) for i in good.json()] == [
        ("30", "3000.00"),
        ("70", "7000.01"),
    ]
    assert bad.status_code == 422
    assert bad.json()["code"] == "payment_plan_invalid"
    assert "0.02 short" in bad.json()["message"]
    plan = client_for.get(f"{URL}/{contract_id}").json()["instalments"]
    assert [i["amount"] for i in plan] == ["3000.00", "7000.01"]


def test_attachments(client_for: Client, seller: User) -> None:
    contract_id = _create(client_for, seller)["id"]

    uploaded = client_for.post(
        f"{URL}/{contract_id}/attachments", {"file": SimpleUploadedFile("合同.pdf", PDF)}
    )
    refused = client_for.post(
        f"{URL}/{contract_id}/attachments", {"file": SimpleUploadedFile("x.exe", b"MZ")}
    )
    attachment_id = uploaded.json()["id"]
    listed = client_for.get(f"{URL}/{contract_id}/attachments").json()
    downloaded = client_for.get(f"{URL}/{contract_id}/attachments/{attachment_id}")
    deleted = client_for.delete(f"{URL}/{contract_id}/attachments/{attachment_id}")

    assert uploaded.status_code == 201 and uploaded.json()["name"] == "合同.pdf"
    assert refused.status_code == 422 and refused.json()["code"] == "attachment_refused"
    assert [a["id"] for a in listed] == [attachment_id]
    assert b"".join(downloaded.streaming_content) == PDF
    assert deleted.status_code == 204
    assert client_for.get(f"{URL}/{contract_id}/attachments").json() == []
