"""Reads of invoices: the list (filters, sorting, scoping, query budget), one invoice, the
customer tab's reads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.http import Http404

from suanpan.invoicing.selectors import customer_invoices, invoice_get, invoice_list
from suanpan.invoicing.selectors.invoices import (
    customer_invoice_totals,
    customer_requests,
    invoice_vouchers,
)
from tests.inventory.deliveries_support import customer_with_dimension
from tests.invoicing.manual_support import entered, line, red_against
from tests.invoicing.support import TAX_NUMBER, issued, shipped_order

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def customer(delivery_books, seller):
    return customer_with_dimension(
        owner=seller, invoice_tax_number=TAX_NUMBER, invoice_title="上海测试贸易有限公司"
    )


def _numbers(user, **filters):
    queryset, filterset = invoice_list(user=user, filters=filters)
    assert filterset.is_valid(), filterset.errors
    return [invoice.number for invoice in queryset]


def test_list_newest_first_and_filters(customer, clerk):
    old = entered(customer, actor=clerk, issued_on=date(2026, 11, 2))
    new = entered(customer, actor=clerk, issued_on=date(2026, 11, 20), invoice_type="e_normal")
    red = red_against(old, actor=clerk, issued_on=date(2026, 11, 25))
    other = entered(
        customer_with_dimension(invoice_tax_number="91110000600037341L", invoice_title="北京某某"),
        actor=clerk,
        issued_on=date(2026, 11, 10),
    )
    assert _numbers(clerk) == [red.number, new.number, other.number, old.number]
    assert _numbers(clerk, kind="red") == [red.number]
    assert _numbers(clerk, kind="blue", customer=customer.pk) == [new.number, old.number]
    assert _numbers(clerk, invoice_type="e_normal") == [new.number]
    assert _numbers(clerk, status="reversed") == []
    assert _numbers(clerk, issued_from="2026-11-05", issued_to="2026-11-20") == [
        new.number,
        other.number,
    ]
    assert _numbers(clerk, q="北京") == [other.number]
    assert _numbers(clerk, q="91110000600037") == [other.number]
    assert _numbers(clerk, q=old.number) == [old.number]
    assert _numbers(clerk, q=old.number[-5:]) == [old.number]
    assert _numbers(clerk, posted="false") == []
    assert len(_numbers(clerk, posted="true")) == 4
    assert (
        _numbers(clerk, ordering="gross_amount".replace("gross_amount", "amount"))[0] == red.number
    )
    assert _numbers(clerk, ordering="issued") == [old.number, other.number, new.number, red.number]


def test_list_refuses_bad_filters_with_no_rows(customer, clerk):
    entered(customer, actor=clerk)
    queryset, filterset = invoice_list(user=clerk, filters={"kind": "purple"})
    assert not filterset.is_valid()
    assert list(queryset) == []
    _queryset, filterset = invoice_list(user=clerk, filters={"ordering": "created_by"})
    assert not filterset.is_valid()


def test_list_is_scoped_to_the_customers_the_user_sees(customer, clerk, seller, make_user):
    mine = entered(customer, actor=clerk)
    entered(customer_with_dimension(invoice_tax_number=TAX_NUMBER), actor=clerk)
    assert _numbers(seller) == [mine.number]
    assert len(_numbers(clerk)) == 2
    from suanpan.users.choices import Role

    assert _numbers(make_user(Role.SALES)) == []


def test_list_reads_one_page_in_one_query(customer, clerk, django_assert_num_queries):
    for _ in range(4):
        entered(customer, actor=clerk)
    queryset, _filterset = invoice_list(user=clerk, filters={"q": "上海"})
    with django_assert_num_queries(1):
        rows = list(queryset[:25])
        names = [(invoice.customer.name, invoice.original) for invoice in rows]
    assert len(names) == 4


def test_get_is_404_for_others_and_reads_lines_once(
    customer, clerk, seller, make_user, django_assert_num_queries
):
    invoice = entered(customer, actor=clerk, lines=(line("113.00"), line("106.00", rate="6")))
    from suanpan.users.choices import Role

    with pytest.raises(Http404):
        invoice_get(user=make_user(Role.SALES), pk=invoice.pk)
    with pytest.raises(Http404):
        invoice_get(user=clerk, pk="abc")
    invoice_get(user=seller, pk=invoice.pk)  # the user's permissions, cached on the user
    with django_assert_num_queries(3):
        found = invoice_get(user=seller, pk=invoice.pk)
        assert [line.position for line in found.lines.all()] == [1, 2]
        assert list(found.red_invoices.all()) == []


def test_vouchers_are_the_invoices_own(delivery_books, clerk, approver):
    invoice = issued(shipped_order(actor=clerk), maker=clerk, approver=approver)
    vouchers = list(invoice_vouchers(invoice=invoice))
    assert len(vouchers) == 1
    assert vouchers[0].source_id == str(invoice.pk)


def test_customer_tab_reads(delivery_books, clerk, approver, seller):
    order = shipped_order(actor=clerk, owner=seller)
    invoice = issued(order, maker=clerk, approver=approver)
    red_against(invoice, actor=clerk)
    customer = order.customer
    assert [i.pk for i in customer_invoices(user=seller, customer=customer)][-1] == invoice.pk
    assert [r.pk for r in customer_requests(user=seller, customer=customer)] == [invoice.request_id]
    totals = customer_invoice_totals(user=seller, customer=customer)
    assert totals.count == 2
    assert totals.gross_amount == 0
