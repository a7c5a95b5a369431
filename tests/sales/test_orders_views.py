"""Sales order pages: list, detail, entry with the line grid, actions, credit refusal, tab."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from suanpan.sales.choices import OrderActivityKind, OrderStatus, QuoteStatus
from suanpan.sales.models import Quote, QuoteLine, SalesOrder
from suanpan.users.choices import Role
from tests.factories import CustomerFactory, UserFactory, order_build

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def signed_in(client: Client, seller) -> Client:
    client.force_login(seller)
    return client


def _lines_post(product, quantity="2", price="") -> dict[str, str]:
    return {
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "500",
        "lines-0-product": str(product.pk),
        "lines-0-product_label": product.name,
        "lines-0-quantity": quantity,
        "lines-0-unit_price": price,
        "lines-0-discount": "",
        "lines-1-product": "",
        "lines-1-quantity": "",
    }


def test_order_list_shows_visible_orders_only(signed_in, customer, product):
    mine = order_build(customer=customer, lines=[(product, "1", "113")])
    other = order_build(customer=CustomerFactory(), lines=[(product, "1", "113")])
    response = signed_in.get(reverse("sales:order_list"))
    assert response.status_code == 200
    assert mine.number in response.text and other.number not in response.text


def test_order_list_queries_constant_when_orders_grow(
    signed_in, customer, product, django_assert_num_queries
):
    order_build(customer=customer, lines=[(product, "1", "113")])
    signed_in.get(reverse("sales:order_list"))  # warm the session and permission caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("sales:order_list"))
    for _ in range(10):
        order_build(customer=CustomerFactory(owner=customer.owner), lines=[(product, "1", "113")])
    with CaptureQueriesContext(connection) as more:
        response = signed_in.get(reverse("sales:order_list"))
    assert response.text.count("sales/orders/") >= 11
    assert len(few) == len(more)


def test_order_list_page_reads_a_capped_count_and_one_page_of_narrow_rows(
    signed_in, customer, product
):
    for _ in range(3):
        order_build(customer=customer, lines=[(product, "1", "113")])
    url = reverse("sales:order_list")
    signed_in.get(url)  # warm the session and permission caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = signed_in.get(url)
    assert "3 orders" in response.text
    sqls = [q["sql"] for q in queries.captured_queries if '"sales_salesorder"' in q["sql"]]
    count, rows = sqls  # the count stopped at the cap, then the page with one row more
    assert "COUNT(" in count.upper() and "LIMIT 1001" in count
    assert "LIMIT 26" in rows and '"sales_salesorder"."notes"' not in rows
    assert '"sales_salesorder"."gross_amount"' in rows


def test_order_list_filters_by_status_and_shows_empty_state(signed_in, customer, product):
    order_build(customer=customer, lines=[(product, "1", "113")], status=OrderStatus.DRAFT)
    response = signed_in.get(reverse("sales:order_list"), {"status": "shipped"})
    assert "No order matches these filters." in response.text
    response = signed_in.get(
        reverse("sales:order_list"), {"status": "shipped"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.text and 'id="results"' in response.text


def test_order_list_pages_without_full_count(signed_in, customer, product, settings):
    for n in range(30):
        order_build(
            customer=customer, lines=[(product, "1", "113")], ordered_on=date(2026, 10, 1 + n % 28)
        )
    response = signed_in.get(reverse("sales:order_list"))
    assert "1–25 of 30" in response.text
    response = signed_in.get(reverse("sales:order_list"), {"page": "2"})
    assert "26–30 of 30" in response.text


def test_order_list_empty_state_offers_first_order(signed_in):
    assert "Enter the first order" in signed_in.get(reverse("sales:order_list")).text


def test_order_create_page_saves_draft_with_lines(signed_in, customer, product):
    url = reverse("sales:order_create")
    page = signed_in.get(url, {"customer": customer.pk})
    assert page.status_code == 200
    # The search-as-you-type picker names the customer given, and lists no other.
    assert customer.name in page.text and '<select name="customer"' not in page.text
    response = signed_in.post(
        url,
        {
            "customer": customer.pk,
            "ordered_on": "2026-11-20",
            "price_includes_tax": "on",
            **_lines_post(product, quantity="3"),
        },
    )
    order = SalesOrder.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "sales:order_detail", args=[order.pk]
    )
    assert order.gross_amount == D("339.00")


def test_order_create_page_shows_error_when_no_lines(signed_in, customer, product):
    data = {"customer": customer.pk, "ordered_on": "2026-11-20", **_lines_post(product)}
    data["lines-0-product"] = ""
    data["lines-0-quantity"] = ""
    response = signed_in.post(reverse("sales:order_create"), data)
    assert response.status_code == 200
    assert "Add at least one line." in response.text
    assert not SalesOrder.objects.exists()


def test_order_edit_page_replaces_lines_when_draft(signed_in, customer, product):
    order = order_build(customer=customer, lines=[(product, "1", "113")], status=OrderStatus.DRAFT)
    url = reverse("sales:order_edit", args=[order.pk])
    assert product.name in signed_in.get(url).text
    signed_in.post(
        url,
        {
            "customer": customer.pk,
            "ordered_on": "2026-11-20",
            "price_includes_tax": "on",
            **_lines_post(product, "5", "100"),
        },
    )
    order.refresh_from_db()
    assert order.gross_amount == D("500.00")


def test_order_detail_shows_lines_totals_capitals_and_timeline(signed_in, customer, product):
    order = order_build(customer=customer, lines=[(product, "3", "113")])
    response = signed_in.get(reverse("sales:order_detail", args=[order.pk]))
    assert response.status_code == 200
    assert "339.00" in response.text and "叁佰叁拾玖元整" in response.text
    assert "Start picking" in response.text


def test_order_detail_answers_404_for_another_salespersons_order(signed_in, product):
    order = order_build(customer=CustomerFactory(), lines=[(product, "1", "113")])
    assert signed_in.get(reverse("sales:order_detail", args=[order.pk])).status_code == 404
    assert signed_in.post(reverse("sales:order_pick", args=[order.pk])).status_code == 404


def test_order_actions_through_pages(signed_in, customer, product):
    order = order_build(customer=customer, lines=[(product, "1", "113")], status=OrderStatus.DRAFT)
    signed_in.post(reverse("sales:order_confirm", args=[order.pk]))
    signed_in.post(reverse("sales:order_pick", args=[order.pk]))
    signed_in.post(reverse("sales:order_note_add", args=[order.pk]), {"note": "仓库已备货"})
    response = signed_in.post(
        reverse("sales:order_cancel", args=[order.pk]), {"reason": ""}, follow=True
    )
    assert "Say why the order is cancelled." in response.text
    signed_in.post(reverse("sales:order_cancel", args=[order.pk]), {"reason": "客户取消"})
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert OrderActivityKind.NOTE in order.activities.values_list("kind", flat=True)


def test_order_confirm_page_shows_credit_figures_and_reason_form_for_finance(
    client, seller, product
):
    customer = CustomerFactory(owner=seller, credit_limit_amount=D("100.00"))
    order = order_build(customer=customer, lines=[(product, "1", "113")], status=OrderStatus.DRAFT)
    client.force_login(seller)
    response = client.post(reverse("sales:order_confirm", args=[order.pk]))
    assert response.status_code == 409
    assert "Credit limit exceeded" in response.text and "13.00" in response.text
    assert "Approve and confirm" not in response.text

    client.force_login(UserFactory(role=Role.FINANCE_MANAGER))
    response = client.post(reverse("sales:order_confirm", args=[order.pk]))
    assert "Approve and confirm" in response.text
    response = client.post(
        reverse("sales:order_confirm", args=[order.pk]), {"credit_approval_reason": "预付款已到"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED and order.credit_approval_reason == "预付款已到"


def test_order_from_quote_page_asks_then_creates(signed_in, seller, customer, product):
    quote = Quote.objects.create(
        number="BJ-202611-0003",
        customer=customer,
        quoted_on=date(2026, 11, 1),
        valid_until=date(2026, 11, 30),
        owner=seller,
        status=QuoteStatus.SENT,
        gross_amount=D("226.00"),
        net_amount=D("200.00"),
        tax_amount=D("26.00"),
    )
    QuoteLine.objects.create(
        quote=quote,
        position=1,
        product=product,
        product_name=product.name,
        unit="台",
        quantity=D("2"),
        unit_price=D("113"),
        vat_rate_key="13",
        vat_rate=D("0.13"),
        net_amount=D("200.00"),
        tax_amount=D("26.00"),
        gross_amount=D("226.00"),
    )
    url = reverse("sales:order_create_from_quote", args=[quote.pk])
    page = signed_in.get(url)
    assert page.status_code == 200 and "copies these lines exactly" in page.text
    assert not SalesOrder.objects.exists()
    response = signed_in.post(url, {"ordered_on": "2026-11-21"})
    order = SalesOrder.objects.get()
    assert response.url == reverse("sales:order_detail", args=[order.pk])
    assert order.gross_amount == D("226.00") and order.quote == quote


def test_customer_page_orders_tab_lists_orders(signed_in, customer, product):
    order = order_build(customer=customer, lines=[(product, "1", "113")])
    response = signed_in.get(reverse("customers:detail", args=[customer.pk]), {"tab": "orders"})
    assert response.status_code == 200
    assert order.number in response.text


def test_order_under_contract_page_takes_lines_when_contract_has_no_quote(
    signed_in, seller, customer, product
):
    from suanpan.sales.choices import ContractStatus
    from suanpan.sales.models import Contract

    contract = Contract.objects.create(
        number="HT-202611-0001",
        title="年度供货",
        customer=customer,
        amount=D("1000.00"),
        status=ContractStatus.ACTIVE,
        owner=seller,
    )
    url = reverse("sales:order_create_from_contract", args=[contract.pk])
    assert "Under contract HT-202611-0001" in signed_in.get(url).text
    response = signed_in.post(
        url,
        {"ordered_on": "2026-11-20", "price_includes_tax": "on", **_lines_post(product, "2")},
    )
    order = SalesOrder.objects.get()
    assert response.url == reverse("sales:order_detail", args=[order.pk])
    assert order.contract == contract and order.customer == customer
    assert order.gross_amount == D("226.00")


def test_order_under_contract_page_answers_404_for_another_salespersons_contract(signed_in, seller):
    from suanpan.sales.models import Contract

    contract = Contract.objects.create(
        number="HT-X", title="X", customer=CustomerFactory(), amount=D("1.00"), owner=seller
    )
    url = reverse("sales:order_create_from_contract", args=[contract.pk])
    assert signed_in.get(url).status_code == 404


def test_order_list_says_more_than_when_count_stops(signed_in, customer, product, monkeypatch):
    from suanpan.core import listing

    for _ in range(7):
        order_build(customer=customer, lines=[(product, "1", "113")])
    assert "7 orders" in signed_in.get(reverse("sales:order_list")).text
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    response = signed_in.get(reverse("sales:order_list"))
    assert "more than 3 orders" in response.text
    assert response.text.count("/sales/orders/") >= 7  # every row still shown


def test_order_detail_offers_confirm_to_finance_only_over_the_limit(client, seller, product):
    finance = UserFactory(role=Role.FINANCE_MANAGER)
    client.force_login(finance)
    under = order_build(
        customer=CustomerFactory(owner=seller, credit_limit_amount=D("1000.00")),
        lines=[(product, "1", "113")],
        status=OrderStatus.DRAFT,
    )
    over = order_build(
        customer=CustomerFactory(owner=seller, credit_limit_amount=D("100.00")),
        lines=[(product, "1", "113")],
        status=OrderStatus.DRAFT,
    )
    confirm = 'action="{}"'
    page = client.get(reverse("sales:order_detail", args=[under.pk])).text
    assert confirm.format(reverse("sales:order_confirm", args=[under.pk])) not in page
    page = client.get(reverse("sales:order_detail", args=[over.pk])).text
    assert confirm.format(reverse("sales:order_confirm", args=[over.pk])) in page
    assert "Over the limit by" in page
