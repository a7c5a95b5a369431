"""Invoices issued elsewhere entered by hand: recorded as typed, posted as revenue, and every
kind of bad input refused with nothing written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from suanpan.core.errors import DateOutOfRange, NotFound, PermissionDeniedError
from suanpan.invoicing.choices import InvoiceSource, InvoiceType
from suanpan.invoicing.errors import InvoiceInvalid, InvoiceNumberInvalid, InvoiceNumberTaken
from suanpan.invoicing.models import Invoice
from suanpan.invoicing.services import BuyerInput
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.selectors import vouchers_for_source
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.inventory.deliveries_support import balance, customer_with_dimension
from tests.invoicing.manual_support import entered, line
from tests.invoicing.support import TAX_NUMBER

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def customer(delivery_books, seller):
    return customer_with_dimension(
        owner=seller,
        invoice_tax_number=TAX_NUMBER,
        invoice_title="上海测试贸易有限公司",
        payment_terms_days=30,
    )


def test_enter_records_posts_revenue_and_receivable(customer, clerk):
    invoice = entered(
        customer,
        actor=clerk,
        lines=(
            line("1130.00", quantity=D("10"), unit="次"),
            line("106.00", rate="6", item_name="咨询费"),
        ),
        drawer="王会计",
    )
    assert invoice.source == InvoiceSource.MANUAL
    assert invoice.request is None
    assert invoice.posted
    assert invoice.buyer_name == "上海测试贸易有限公司"
    assert invoice.buyer_tax_number == TAX_NUMBER
    assert (invoice.net_amount, invoice.tax_amount, invoice.gross_amount) == (
        D("1100.00"),
        D("136.00"),
        D("1236.00"),
    )
    assert invoice.first_due_on == date(2026, 12, 12)
    first = invoice.lines.get(position=1)
    assert first.unit_price == D("100.000000")
    assert first.quantity == D(10)
    assert balance(AccountRole.RECEIVABLE, dimension=customer.number) == D("1236.00")
    assert balance(AccountRole.REVENUE) == D("-1100.00")
    assert balance(AccountRole.VAT_OUTPUT) == D("-136.00")
    assert balance(AccountRole.RECEIVABLE_UNBILLED) == 0
    assert (
        vouchers_for_source(source_type="invoicing.invoice", source_ids=[invoice.pk]).count() == 1
    )


def test_enter_prices_excluding_tax_add_the_tax(customer, clerk):
    invoice = entered(customer, actor=clerk, lines=(line("1000.00"),), price_includes_tax=False)
    assert invoice.gross_amount == D("1130.00")
    assert not invoice.price_includes_tax


def test_enter_keeps_the_number_as_text_and_refuses_it_twice(customer, clerk):
    number = "00260000000000000001"
    invoice = entered(customer, actor=clerk, number=" 0026 0000 0000 0000 0001 ")
    assert invoice.number == number
    with pytest.raises(InvoiceNumberTaken):
        entered(customer, actor=clerk, number=number)
    assert Invoice.objects.count() == 1


def test_enter_paper_invoice_needs_code_and_eight_digits(customer, clerk):
    with pytest.raises(InvoiceNumberInvalid):
        entered(customer, actor=clerk, number="12345678", invoice_type=InvoiceType.PAPER_SPECIAL)
    invoice = entered(
        customer,
        actor=clerk,
        number="12345678",
        code="3100231130",
        invoice_type=InvoiceType.PAPER_SPECIAL,
    )
    assert str(invoice) == "310023113012345678"


@pytest.mark.parametrize(
    ("bad_line", "field"),
    [
        (line(item_name=" "), "lines.0.item_name"),
        (line(tax_code="12345"), "lines.0.tax_code"),
        (line(rate="17"), "lines.0.vat_rate_key"),
        (line("0"), "lines.0.amount"),
        (line("-5.00"), "lines.0.amount"),
        (line("10.001"), "lines.0.amount"),
        (line(None), "lines.0.amount"),
        (line(quantity=D("0")), "lines.0.quantity"),
        (line(quantity=D("1.00001")), "lines.0.quantity"),
    ],
)
def test_enter_refuses_bad_lines_and_writes_nothing(customer, clerk, bad_line, field):
    with pytest.raises(InvoiceInvalid) as caught:
        entered(customer, actor=clerk, lines=(line(), bad_line))
    assert field.replace("lines.0", "lines.1") in caught.value.fields
    assert Invoice.objects.count() == 0
    assert balance(AccountRole.VAT_OUTPUT) == 0


def test_enter_refuses_no_lines(customer, clerk):
    with pytest.raises(InvoiceInvalid) as caught:
        entered(customer, actor=clerk, lines=())
    assert "lines" in caught.value.fields


def test_enter_special_invoice_needs_a_valid_buyer_number(delivery_books, clerk):
    customer = customer_with_dimension(invoice_tax_number="", invoice_title="张三")
    with pytest.raises(InvoiceInvalid) as caught:
        entered(customer, actor=clerk)
    assert "buyer_tax_number" in caught.value.fields

    with pytest.raises(InvoiceInvalid) as caught:
        entered(customer, actor=clerk, buyer=BuyerInput(tax_number="91350100M000100Y44"))
    assert "buyer_tax_number" in caught.value.fields
    ordinary = entered(customer, actor=clerk, invoice_type=InvoiceType.E_NORMAL)
    assert ordinary.buyer_tax_number == ""


def test_enter_refuses_dates_outside_the_books(customer, clerk):
    with pytest.raises(DateOutOfRange):
        entered(customer, actor=clerk, issued_on=date(2020, 1, 1))
    assert Invoice.objects.count() == 0


def test_enter_needs_the_permission_and_a_visible_customer(customer, seller, make_user):
    with pytest.raises(PermissionDeniedError):
        entered(customer, actor=seller)
    # An accountant who does not see the customer (no view-all) is told it does not exist.
    stranger = make_user(Role.SALES)
    stranger.user_permissions.add(Permission.objects.get(codename="issue_invoice"))
    stranger = User.objects.get(pk=stranger.pk)
    with pytest.raises(NotFound):
        entered(customer, actor=stranger)
    assert Invoice.objects.count() == 0


def test_enter_posts_revenue_under_revenue_on_invoice_too(on_invoice, clerk):
    customer = customer_with_dimension(invoice_tax_number=TAX_NUMBER, invoice_title="某公司")
    entered(customer, actor=clerk, lines=(line("226.00"),))
    assert balance(AccountRole.REVENUE) == D("-200.00")
    assert balance(AccountRole.VAT_OUTPUT) == D("-26.00")
    assert balance(AccountRole.RECEIVABLE, dimension=customer.number) == D("226.00")
