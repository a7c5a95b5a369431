"""Invoice pages: list (filters, htmx, capped pages, export), detail, manual entry, the output
VAT report and the customer tab; what each shows, saves and refuses."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from suanpan.invoicing.models import Invoice
from suanpan.ledger.choices import AccountRole
from tests.inventory.deliveries_support import balance, customer_with_dimension
from tests.invoicing.manual_support import TAX_CODE, entered, red_against
from tests.invoicing.support import TAX_NUMBER, issued, shipped_order

pytestmark = pytest.mark.django_db
D = Decimal
LIST = "invoicing:invoice_list"


@pytest.fixture
def customer(delivery_books, seller):
    return customer_with_dimension(
        owner=seller, invoice_tax_number=TAX_NUMBER, invoice_title="上海测试贸易有限公司"
    )


def test_list_shows_invoices_and_filters(customer, clerk, login):
    blue = entered(customer, actor=clerk)
    other = entered(
        customer_with_dimension(invoice_tax_number="", invoice_title="个人买家"),
        actor=clerk,
        invoice_type="e_normal",
    )
    client = login(clerk)

    html = client.get(reverse(LIST)).content.decode()
    assert blue.number in html and other.number in html
    assert "sp-list" in html

    html = client.get(reverse(LIST), {"q": "上海测试"}).content.decode()
    assert blue.number in html and other.number not in html
    html = client.get(reverse(LIST), {"q": blue.number[-6:]}).content.decode()
    assert blue.number in html and other.number not in html
    html = client.get(reverse(LIST), {"invoice_type": "e_normal"}).content.decode()
    assert other.number in html and blue.number not in html
    html = client.get(reverse(LIST), {"kind": "red"}).content.decode()
    assert "No invoice matches these filters." in html


def test_list_htmx_answers_the_results_only(customer, clerk, login):
    entered(customer, actor=clerk)
    response = login(clerk).get(reverse(LIST), {"q": "x"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<html" not in html


def test_list_empty_state_and_bad_filter(delivery_books, clerk, login):
    client = login(clerk)
    assert "No invoices yet." in client.get(reverse(LIST)).content.decode()
    html = client.get(reverse(LIST), {"issued_from": "not a date"}).content.decode()
    assert "alert-warning" in html


def test_list_query_count_does_not_grow_with_rows(
    customer, clerk, login, django_assert_max_num_queries
):
    client = login(clerk)
    for _ in range(3):
        entered(customer, actor=clerk)
    client.get(reverse(LIST))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse(LIST))
    for _ in range(5):
        entered(customer, actor=clerk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse(LIST))


def test_salesperson_sees_only_their_customers_invoices(customer, clerk, seller, login):
    mine = entered(customer, actor=clerk)
    theirs = entered(customer_with_dimension(invoice_tax_number=TAX_NUMBER), actor=clerk)
    client = login(seller)
    html = client.get(reverse(LIST)).content.decode()
    assert mine.number in html and theirs.number not in html
    assert client.get(reverse("invoicing:invoice_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("invoicing:invoice_detail", args=[mine.pk])).status_code == 200


def test_export_is_the_filtered_list_with_numbers_as_text(customer, clerk, login):
    blue = entered(customer, actor=clerk, number="00260000000000000123")
    entered(
        customer_with_dimension(invoice_tax_number=TAX_NUMBER, invoice_title="别家"), actor=clerk
    )
    response = login(clerk).get(reverse("invoicing:invoice_export"), {"q": "上海测试"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][1] == "00260000000000000123"
    assert isinstance(rows[1][1], str)
    assert D(str(rows[1][11])) == blue.gross_amount


def test_detail_shows_lines_capitals_request_order_and_vouchers(
    delivery_books, clerk, approver, login
):
    invoice = issued(shipped_order(actor=clerk), maker=clerk, approver=approver)
    html = login(clerk).get(reverse("invoicing:invoice_detail", args=[invoice.pk])).content.decode()
    assert invoice.number in html
    assert "壹仟壹佰叁拾元整" in html
    assert "1,130.00" in html
    assert invoice.request.number in html
    assert invoice.request.order.number in html
    assert invoice.lines.get().tax_code in html
    assert "invoicing.invoice" not in html
    assert "Nothing posted." not in html
    assert "sections added by red letters and mailing" not in html


def test_detail_links_red_and_blue_and_flags_differences(customer, clerk, login):
    blue = entered(customer, actor=clerk)
    Invoice.objects.filter(pk=blue.pk).update(differences="第1行：数量 10 → 9")
    red = red_against(blue, actor=clerk)
    client = login(clerk)
    html = client.get(reverse("invoicing:invoice_detail", args=[blue.pk])).content.decode()
    assert red.number in html
    assert "第1行：数量 10 → 9" in html
    assert "alert-warning" in html
    html = client.get(reverse("invoicing:invoice_detail", args=[red.pk])).content.decode()
    assert blue.number in html
    assert "负壹仟壹佰叁拾元整" in html


def _enter_post(customer, **fields):
    data = {
        "customer": customer.pk,
        "invoice_type": "e_special",
        "number": "26350000000000009999",
        "issued_on": "2026-11-20",
        "price_includes_tax": "on",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
        "lines-0-item_name": "软件服务费",
        "lines-0-tax_code": TAX_CODE,
        "lines-0-vat_rate_key": "6",
        "lines-0-amount": "1060.00",
        "lines-1-vat_rate_key": "13",
        "lines-2-vat_rate_key": "13",
    }
    data.update(fields)
    return data


def test_enter_page_records_and_posts(customer, clerk, login):
    client = login(clerk)
    page = client.get(reverse("invoicing:invoice_enter"), {"customer": customer.pk})
    assert page.status_code == 200
    response = client.post(reverse("invoicing:invoice_enter"), _enter_post(customer))
    invoice = Invoice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("invoicing:invoice_detail", args=[invoice.pk])
    assert invoice.gross_amount == D("1060.00")
    assert invoice.lines.count() == 1
    assert balance(AccountRole.VAT_OUTPUT) == D("-60.00")


def test_enter_page_shows_errors_on_the_line_and_writes_nothing(customer, clerk, login):
    client = login(clerk)
    response = client.post(
        reverse("invoicing:invoice_enter"), _enter_post(customer, **{"lines-0-tax_code": "123"})
    )
    assert response.status_code == 200
    assert "19 digits" in response.content.decode()
    response = client.post(reverse("invoicing:invoice_enter"), _enter_post(customer, number="123"))
    assert "Twenty digits." in response.content.decode()
    assert Invoice.objects.count() == 0


def test_enter_page_is_for_accountants(customer, seller, login):
    assert login(seller).get(reverse("invoicing:invoice_enter")).status_code == 403


def test_vat_report_page_and_export(customer, clerk, seller, login):
    entered(customer, actor=clerk, issued_on=date(2026, 12, 1))
    client = login(clerk)
    html = client.get(reverse("invoicing:vat_report"), {"year": "2026"}).content.decode()
    assert "130.00" in html
    assert "text-danger fw-semibold" not in html
    response = client.get(reverse("invoicing:vat_report_export"), {"year": "2026"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    december = [row for row in rows if row[0] == "2026-12" and row[6] is not None]
    assert D(str(december[0][3])) == D("130.00")
    assert D(str(december[0][7])) == 0
    assert client.get(reverse("invoicing:vat_report"), {"year": "abc"}).status_code == 200
    assert login(seller).get(reverse("invoicing:vat_report")).status_code == 403


def test_vat_report_marks_a_difference_red(customer, clerk, login):
    blue = entered(customer, actor=clerk, issued_on=date(2026, 12, 1))
    red_against(blue, actor=clerk, issued_on=date(2026, 12, 1), post=False)
    html = login(clerk).get(reverse("invoicing:vat_report"), {"year": "2026"}).content.decode()
    assert "text-danger fw-semibold" in html


def test_customer_tab_lists_invoices_and_totals(customer, clerk, seller, login):
    invoice = entered(customer, actor=clerk)
    html = (
        login(seller)
        .get(reverse("customers:detail", args=[customer.pk]), {"tab": "invoices"})
        .content.decode()
    )
    assert invoice.number in html
    assert "1,130.00" in html
    assert reverse("invoicing:invoice_detail", args=[invoice.pk]) in html
