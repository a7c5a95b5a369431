"""The receivables API: receipts and settlements through the same services as the pages, with
the project's error shape, visibility and permissions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from suanpan.receivables.models import Receipt
from tests.inventory.deliveries_support import customer_with_dimension
from tests.invoicing.support import TAX_NUMBER
from tests.receivables.support import invoice, invoice_item, open_of

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/receivables"


def test_record_settle_list_and_cancel_a_receipt(customer, clerk, api_client):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    api = api_client(clerk)
    made = api.post(
        f"{URL}/receipts",
        {
            "customer_id": customer.pk,
            "received_on": "2026-01-10",
            "amount": "1500.00",
            "payer_name": "上海测试贸易有限公司",
            "allocations": [{"item_id": item.pk, "amount": "1130.00"}],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["open_amount"] == "370.00"
    assert open_of(item) == 0
    listed = api.get(f"{URL}/receipts", {"q": "上海测试"}).json()
    assert [row["number"] for row in listed["items"]] == [body["number"]]
    sides = api.get(f"{URL}/settlements/open-items", {"customer": customer.pk}).json()
    assert sides["debits"] == [] and sides["credit_total"] == "370.00"
    cancelled = api.post(
        f"{URL}/receipts/{body['id']}/cancel",
        {"reason": "录错客户", "on": "2026-01-10"},
        content_type="application/json",
    )
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["status"] == "cancelled"
    assert open_of(item) == D("1130.00")


@pytest.mark.parametrize(
    ("amount", "status"), [("0", 422), ("-1", 422), ("1.234", 422), ("1e20", 422), ("x", 422)]
)
def test_bad_amounts_answer_422_and_write_nothing(customer, clerk, api_client, amount, status):
    answer = api_client(clerk).post(
        f"{URL}/receipts",
        {"customer_id": customer.pk, "received_on": "2026-01-10", "amount": amount},
        content_type="application/json",
    )
    assert answer.status_code == status
    assert not Receipt.objects.exists()


def test_another_salespersons_customer_answers_404(customer, clerk, api_client, make_user):
    from suanpan.users.choices import Role

    other_seller = make_user(Role.SALES)
    hidden = customer_with_dimension(owner=other_seller, invoice_tax_number=TAX_NUMBER)
    seller_api = api_client(customer.owner)
    assert (
        seller_api.get(f"{URL}/settlements/open-items", {"customer": hidden.pk}).status_code == 404
    )
    # A salesperson reads their own customers' receipts but records none.
    denied = seller_api.post(
        f"{URL}/receipts",
        {"customer_id": customer.pk, "received_on": "2026-01-10", "amount": "1.00"},
        content_type="application/json",
    )
    assert denied.status_code == 403
    assert denied.json()["code"] == "permission_denied"


def test_settle_by_hand_automatically_and_undo(customer, clerk, api_client):
    old = invoice_item(invoice(customer, "100.00", actor=clerk))
    new = invoice_item(invoice(customer, "100.00", actor=clerk))
    api = api_client(clerk)
    receipt = api.post(
        f"{URL}/receipts",
        {"customer_id": customer.pk, "received_on": "2026-01-10", "amount": "150.00"},
        content_type="application/json",
    ).json()
    sides = api.get(f"{URL}/settlements/open-items", {"customer": customer.pk}).json()
    (credit,) = sides["credits"]
    made = api.post(
        f"{URL}/settlements",
        {
            "customer_id": customer.pk,
            "settled_on": "2026-01-11",
            "pairs": [{"debit_item_id": new.pk, "credit_item_id": credit["id"], "amount": "40.00"}],
        },
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["advance_amount"] == "40.00"
    auto = api.post(
        f"{URL}/settlements/automatic",
        {"customer_id": customer.pk, "settled_on": "2026-01-11"},
        content_type="application/json",
    )
    assert auto.status_code == 201, auto.content
    assert open_of(old) == 0 and open_of(new) == D("50.00")
    nothing = api.post(
        f"{URL}/settlements/automatic",
        {"customer_id": customer.pk, "settled_on": "2026-01-11"},
        content_type="application/json",
    )
    assert nothing.status_code == 204
    undone = api.post(
        f"{URL}/settlements/{made.json()['id']}/undo",
        {"on": "2026-01-11"},
        content_type="application/json",
    )
    assert undone.status_code == 200
    assert undone.json()["undone_on"] == "2026-01-11"
    assert open_of(new) == D("90.00")
    again = api.post(
        f"{URL}/settlements/{made.json()['id']}/undo",
        {"on": "2026-01-11"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["code"] == "settlement_undone"
    assert receipt["number"]
    too_much = api.post(
        f"{URL}/settlements",
        {
            "customer_id": customer.pk,
            "settled_on": "2026-01-11",
            "pairs": [{"debit_item_id": new.pk, "credit_item_id": credit["id"], "amount": "95.00"}],
        },
        content_type="application/json",
    )
    assert too_much.status_code == 409
    assert too_much.json()["code"] == "settlement_exceeds_open"
