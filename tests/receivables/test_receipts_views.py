"""Receipt pages: the list (filters, sorting, export, scoping), a new receipt settling invoices
at once, its detail, cancelling it; the home page and the customer's receivables tab; who may
do what (a salesperson reads their customers' receipts only)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from suanpan.receivables.choices import ReceiptStatus
from suanpan.receivables.models import Receipt, Settlement
from suanpan.receivables.services import receipt_cancel
from suanpan.users.choices import Role
from tests.factories import UserFactory
from tests.receivables.support import ON, invoice, invoice_item, open_of, received

pytestmark = pytest.mark.django_db
D = Decimal


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_list_filters_sorts_and_exports(client: Client, customer, other_customer, clerk):
    first = received(customer, "100.00", actor=clerk, reference="合同A")
    second = received(other_customer, "250.00", actor=clerk, method="cash")
    client.force_login(clerk)
    url = reverse("receivables:receipt_list")
    page = client.get(url)
    assert page.status_code == 200
    assert first.number in page.text and second.number in page.text and "sp-list" in page.text
    assert [r.pk for r in client.get(url, {"q": "合同A"}).context["receipts"]] == [first.pk]
    assert [r.pk for r in client.get(url, {"method": "cash"}).context["receipts"]] == [second.pk]
    by_amount = client.get(url, {"ordering": "-amount"}).context["receipts"]
    assert [r.pk for r in by_amount] == [second.pk, first.pk]
    export = client.get(url, {"customer": customer.pk, "format": "xlsx"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 2 and rows[1][0] == first.number


def test_list_answers_only_the_changed_rows_to_htmx(client: Client, customer, clerk):
    received(customer, "100.00", actor=clerk)
    client.force_login(clerk)
    fragment = client.get(reverse("receivables:receipt_list"), HTTP_HX_REQUEST="true")
    assert 'id="results"' in fragment.text and "<html" not in fragment.text


def test_empty_list_invites_a_first_receipt(client: Client, receivable_books, clerk):
    client.force_login(clerk)
    page = client.get(reverse("receivables:receipt_list"))
    assert reverse("receivables:receipt_create") in page.text


def test_list_queries_do_not_grow_with_rows(client: Client, customer, other_customer, clerk):
    received(customer, "1.00", actor=clerk)
    client.force_login(clerk)
    url = reverse("receivables:receipt_list")

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = counted()
    for n in range(4):
        received(other_customer if n % 2 else customer, f"{n + 2}.00", actor=clerk)
    assert counted() == before


def test_new_receipt_settles_the_invoices_typed_and_keeps_the_rest_as_advance(
    client: Client, customer, clerk
):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    client.force_login(clerk)
    url = reverse("receivables:receipt_create")
    page = client.get(url, {"customer": customer.pk})
    assert page.status_code == 200
    assert page.context["form"]["customer"].value() == customer.pk
    assert f'name="settle-{item.pk}"' in page.text
    response = client.post(
        url,
        {
            "customer": customer.pk,
            "received_on": ON.isoformat(),
            "amount": "1500.00",
            "method": "bank_transfer",
            "payer_name": "上海测试贸易有限公司",
            f"settle-{item.pk}": "1000.00",
        },
    )
    receipt = Receipt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("receivables:receipt_detail", args=[receipt.pk])
    assert open_of(item) == D("130.00")
    assert Settlement.objects.get().receipt_id == receipt.pk
    detail = client.get(response["Location"])
    assert detail.context["still_open"] == D("500.00")
    assert [s["line"].amount for s in detail.context["settled"]] == [D("1000.00")]
    assert len(detail.context["vouchers"]) == 1


def test_open_invoices_fragment_follows_the_customer_chosen(client: Client, customer, clerk):
    item = invoice_item(invoice(customer, "500.00", actor=clerk))
    client.force_login(clerk)
    url = reverse("receivables:receipt_open_invoices")
    fragment = client.get(url, {"customer": customer.pk}, HTTP_HX_REQUEST="true")
    assert f'name="settle-{item.pk}"' in fragment.text and "<html" not in fragment.text
    assert "settle-" not in client.get(url, {"customer": ""}).text


def test_acceptance_bill_without_number_is_refused_on_the_field(client: Client, customer, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("receivables:receipt_create"),
        {
            "customer": customer.pk,
            "received_on": ON.isoformat(),
            "amount": "100.00",
            "method": "acceptance_bill",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["bill_number"]
    assert not Receipt.objects.exists()


def test_a_settle_amount_that_is_not_an_amount_is_refused(client: Client, customer, clerk):
    item = invoice_item(invoice(customer, "500.00", actor=clerk))
    client.force_login(clerk)
    response = client.post(
        reverse("receivables:receipt_create"),
        {
            "customer": customer.pk,
            "received_on": ON.isoformat(),
            "amount": "100.00",
            "method": "bank_transfer",
            f"settle-{item.pk}": "1.001",
        },
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    # What was typed comes back in its cell.
    assert 'value="1.001"' in response.text
    assert not Receipt.objects.exists()


def test_settling_more_than_received_lands_on_the_form(client: Client, customer, clerk):
    item = invoice_item(invoice(customer, "500.00", actor=clerk))
    client.force_login(clerk)
    response = client.post(
        reverse("receivables:receipt_create"),
        {
            "customer": customer.pk,
            "received_on": ON.isoformat(),
            "amount": "100.00",
            "method": "bank_transfer",
            f"settle-{item.pk}": "200.00",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not Receipt.objects.exists()


def test_cancel_with_a_reason_undoes_what_it_settled(client: Client, customer, clerk):
    item = invoice_item(invoice(customer, "300.00", actor=clerk))
    receipt = received(customer, "300.00", actor=clerk, allocations=((item, "300.00"),))
    client.force_login(clerk)
    url = reverse("receivables:receipt_cancel", args=[receipt.pk])
    detail = client.get(reverse("receivables:receipt_detail", args=[receipt.pk]))
    assert url in detail.text and "data-confirm" in detail.text
    refused = client.post(url, {"reason": "", "cancelled_on": ON.isoformat()})
    assert refused.status_code == 200 and refused.context["cancel_form"].errors["reason"]
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.POSTED
    done = client.post(url, {"reason": "客户退票", "cancelled_on": ON.isoformat()})
    assert done.status_code == 302
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.CANCELLED and receipt.cancel_reason == "客户退票"
    assert open_of(item) == D("300.00")
    assert _messages(done)
    again = client.get(reverse("receivables:receipt_detail", args=[receipt.pk]))
    assert url not in again.text and len(again.context["vouchers"]) == 2


def test_cancel_is_refused_on_get(client: Client, customer, clerk):
    receipt = received(customer, "10.00", actor=clerk)
    client.force_login(clerk)
    assert client.get(reverse("receivables:receipt_cancel", args=[receipt.pk])).status_code == 405


def test_salesperson_reads_their_customers_receipts_only(
    client: Client, customer, other_customer, clerk, seller
):
    mine = received(customer, "100.00", actor=clerk)
    theirs = received(other_customer, "200.00", actor=clerk)
    client.force_login(seller)
    listed = client.get(reverse("receivables:receipt_list"))
    assert [r.pk for r in listed.context["receipts"]] == [mine.pk]
    detail = client.get(reverse("receivables:receipt_detail", args=[mine.pk]))
    assert detail.status_code == 200
    assert reverse("receivables:receipt_cancel", args=[mine.pk]) not in detail.text
    assert client.get(reverse("receivables:receipt_create")).status_code == 403
    assert (
        client.post(
            reverse("receivables:receipt_cancel", args=[mine.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    # Another salesperson's customer's receipt does not exist for them, even to write.
    assert client.get(reverse("receivables:receipt_detail", args=[theirs.pk])).status_code == 404
    assert (
        client.post(
            reverse("receivables:receipt_cancel", args=[theirs.pk]), {"reason": "x"}
        ).status_code
        == 404
    )
    mine.refresh_from_db()
    assert mine.status == ReceiptStatus.POSTED


def test_users_without_receivables_permission_are_refused(client: Client, receivable_books):
    client.force_login(UserFactory(role=Role.CUSTOMER_SERVICE))
    assert client.get(reverse("receivables:home")).status_code == 403
    assert client.get(reverse("receivables:receipt_list")).status_code == 403


def test_home_counts_this_months_receipts_and_links_everywhere(
    client: Client, customer, clerk, admin_user
):
    received(customer, "120.00", actor=clerk, on=timezone.localdate())
    cancelled = received(customer, "80.00", actor=clerk, on=timezone.localdate())
    receipt_cancel(receipt=cancelled, reason="重复录入", actor=clerk)
    received(customer, "999.00", actor=clerk, on=ON)
    client.force_login(admin_user)
    page = client.get(reverse("receivables:home"))
    assert page.status_code == 200
    for name in ("receipt_list", "receipt_create", "settle", "settlement_list"):
        assert reverse(f"receivables:{name}") in page.text
    assert reverse("ledger_reports:ageing") in page.text
    assert (page.context["receipt_count"], page.context["received"]) == (1, D("120.00"))


def test_nav_links_receivables_for_those_who_may_see_it(client: Client, receivable_books, seller):
    client.force_login(seller)
    assert reverse("receivables:home") in client.get(reverse("receivables:home")).text


def test_customer_tab_shows_open_items_receipts_and_links(client: Client, customer, clerk):
    item = invoice_item(invoice(customer, "800.00", actor=clerk))
    receipt = received(customer, "300.00", actor=clerk)
    client.force_login(clerk)
    page = client.get(reverse("customers:detail", args=[customer.pk]), {"tab": "receivables"})
    assert page.status_code == 200
    assert page.context["tab"] == "receivables"
    assert [row.pk for row in page.context["rx_debits"]] == [item.pk]
    assert page.context["rx_balance"] == D("500.00")
    assert receipt.number in page.text
    assert f"{reverse('receivables:settle')}?customer={customer.pk}" in page.text
    assert f"{reverse('receivables:receipt_create')}?customer={customer.pk}" in page.text


def test_customer_tab_is_not_offered_without_the_permission(client: Client, customer):
    client.force_login(UserFactory(role=Role.CUSTOMER_SERVICE))
    page = client.get(reverse("customers:detail", args=[customer.pk]), {"tab": "receivables"})
    assert page.context["tab"] != "receivables"


def test_home_counts_only_the_salespersons_customers(
    client: Client, customer, other_customer, clerk, seller
):
    today = timezone.localdate()
    received(customer, "10.00", actor=clerk, on=today)
    received(other_customer, "20.00", actor=clerk, on=today)
    client.force_login(seller)
    page = client.get(reverse("receivables:home"))
    assert (page.context["receipt_count"], page.context["received"]) == (1, D("10.00"))
    # A salesperson reads; the buttons that write are not offered.
    assert reverse("receivables:receipt_create") not in page.text


def test_customer_page_shows_the_advance_beside_the_balance(client: Client, customer, clerk):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    client.force_login(clerk)
    url = reverse("customers:detail", args=[customer.pk])
    assert "Advances" not in client.get(url).content.decode()
    received(customer, "1500.00", actor=clerk, allocations=((item, "1130.00"),))
    assert "Advances ¥370.00" in client.get(url).content.decode()
