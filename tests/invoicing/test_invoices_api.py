"""/api/v1/invoicing/invoices: list, one invoice, its PDF, manual entry and the output VAT
report; visibility and errors as the pages have them."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from suanpan.invoicing.models import Invoice
from tests.inventory.deliveries_support import customer_with_dimension
from tests.invoicing.manual_support import TAX_CODE, entered, line, red_against
from tests.invoicing.support import TAX_NUMBER, issued, shipped_order

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/invoicing/invoices"


@pytest.fixture
def customer(delivery_books, seller):
    return customer_with_dimension(
        owner=seller, invoice_tax_number=TAX_NUMBER, invoice_title="上海测试贸易有限公司"
    )


def _post(client: Any, body: Any) -> Any:
    return client.post(URL, json.dumps(body), content_type="application/json")


def _error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    return body


def _body(customer: Any, **fields: Any) -> dict[str, Any]:
    body = {
        "customer_id": customer.pk,
        "invoice_type": "e_special",
        "number": "26350000000000001234",
        "issued_on": "2026-11-20",
        "lines": [
            {"item_name": "维护费", "tax_code": TAX_CODE, "vat_rate_key": "13", "amount": "1130.00"}
        ],
    }
    body.update(fields)
    return body


def test_list_filters_and_counts(customer, clerk, api_client):
    blue = entered(customer, actor=clerk)
    red = red_against(blue, actor=clerk)
    client = api_client(clerk)
    body = client.get(URL).json()
    assert body["count"] == 2 and body["count_capped"] is False
    assert {item["number"] for item in body["items"]} == {blue.number, red.number}
    body = client.get(URL, {"kind": "red"}).json()
    assert [item["number"] for item in body["items"]] == [red.number]
    assert body["items"][0]["original_id"] == blue.pk
    assert body["items"][0]["gross_amount"] == "-1130.00"
    assert client.get(URL, {"posted": "false"}).json()["count"] == 0
    _error(client.get(URL, {"ordering": "nonsense"}), 422, "validation_failed")


def test_get_has_lines_and_capitals_and_hides_others(
    delivery_books, clerk, approver, api_client, make_user
):
    invoice = issued(shipped_order(actor=clerk), maker=clerk, approver=approver)
    body = api_client(clerk).get(f"{URL}/{invoice.pk}").json()
    assert body["number"] == invoice.number
    assert body["gross_in_words"] == "壹仟壹佰叁拾元整"
    assert body["request_id"] == invoice.request_id
    assert len(body["lines"]) == 1
    assert body["lines"][0]["order_line_id"] is not None
    from suanpan.users.choices import Role

    assert api_client(make_user(Role.SALES)).get(f"{URL}/{invoice.pk}").status_code == 404


def test_pdf(customer, clerk, api_client):
    invoice = entered(customer, actor=clerk)
    response = api_client(clerk).get(f"{URL}/{invoice.pk}/pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_manual_create_records_and_posts(customer, clerk, api_client):
    response = _post(api_client(clerk), _body(customer, drawer="王会计"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"] == "manual"
    assert body["posted"] is True
    assert body["gross_amount"] == "1130.00"
    assert body["buyer_name"] == "上海测试贸易有限公司"
    assert body["drawer"] == "王会计"


def test_manual_create_refusals_write_nothing(customer, clerk, seller, api_client):
    client = api_client(clerk)
    _error(_post(client, _body(customer, number="12")), 422, "invoice_number_invalid")
    bad_line = _body(customer)
    bad_line["lines"][0]["tax_code"] = "1"
    body = _error(_post(client, bad_line), 422, "invoice_invalid")
    assert "lines.0.tax_code" in body["fields"]
    _error(_post(client, _body(customer, issued_on="2019-01-01")), 422, "date_out_of_range")
    _error(_post(api_client(seller), _body(customer)), 403, "permission_denied")
    assert _post(client, _body(customer, lines=[])).status_code == 422
    assert Invoice.objects.count() == 0
    assert _post(client, _body(customer)).status_code == 201
    _error(_post(client, _body(customer)), 409, "invoice_number_taken")
    assert Invoice.objects.count() == 1


def test_vat_report(customer, clerk, seller, api_client):
    entered(customer, actor=clerk, lines=(line("113.00"), line("106.00", rate="6")))
    body = api_client(clerk).get(f"{URL}/vat-report", {"year": 2026}).json()
    november = body["months"][10]
    assert november["total"]["tax_amount"] == "19.00"
    assert {cell["vat_rate_key"] for cell in november["rates"]} == {"13", "6"}
    assert november["ledger_credit"] == "19.00"
    assert november["difference"] == "0.00"
    assert body["difference"] == "0.00"
    assert api_client(clerk).get(f"{URL}/vat-report", {"year": 1999}).status_code == 422
    assert api_client(seller).get(f"{URL}/vat-report", {"year": 2026}).status_code == 403
