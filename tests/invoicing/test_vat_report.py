"""The output VAT report: by rate and month, blue and red netted, and its tie-out against the
ledger's output VAT account, which must agree after invoices under both revenue policies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suanpan.invoicing.selectors import vat_output_report
from suanpan.ledger.choices import AccountRole
from tests.inventory.deliveries_support import balance, customer_with_dimension
from tests.invoicing.manual_support import entered, line, red_against
from tests.invoicing.support import TAX_NUMBER, issued, shipped_order

pytestmark = pytest.mark.django_db
D = Decimal
DEC = date(2026, 12, 1)


def _customer():
    return customer_with_dimension(invoice_tax_number=TAX_NUMBER, invoice_title="某某有限公司")


def _month(report, month):
    return report.months[month - 1]


@pytest.mark.parametrize("policy", ["delivery_books", "on_invoice"])
def test_report_equals_ledger_output_vat_per_month(request, policy, clerk, approver):
    request.getfixturevalue(policy)
    order = shipped_order(actor=clerk)
    issued(order, maker=clerk, approver=approver)  # November: 1,000.00 + 130.00 at 13%
    customer = _customer()
    entered(customer, actor=clerk, lines=(line("106.00", rate="6"),), issued_on=DEC)
    entered(customer, actor=clerk, lines=(line("113.00"), line("109.00", rate="9")), issued_on=DEC)

    report = vat_output_report(user=clerk, year=2026)

    november, december = _month(report, 11), _month(report, 12)
    assert [key for key, _label in report.rates] == ["13", "9", "6"]
    assert november.total.tax_amount == D("130.00")
    assert november.total.blue_count == 1
    assert december.cells[0].tax_amount == D("13.00")
    assert december.cells[1].tax_amount == D("9.00")
    assert december.cells[2].net_amount == D("100.00")
    assert december.total.tax_amount == D("28.00")
    for month in report.months:
        assert month.difference == 0, month
    assert november.ledger_credit == D("130.00")
    assert december.ledger_credit == D("28.00")
    assert report.total.tax_amount == D("158.00") == -balance(AccountRole.VAT_OUTPUT)
    assert report.difference == 0


def test_red_invoices_net_against_blue_and_still_tie_out(delivery_books, clerk):
    customer = _customer()
    blue = entered(customer, actor=clerk, lines=(line("226.00"),), issued_on=DEC)
    red_against(blue, actor=clerk, issued_on=DEC)

    december = _month(vat_output_report(user=clerk, year=2026), 12)

    assert december.cells[0].tax_amount == 0
    assert december.cells[0].net_amount == 0
    assert (december.total.blue_count, december.total.red_count) == (1, 1)
    assert december.ledger_credit == 0
    assert december.difference == 0


def test_invoice_recorded_without_posting_shows_a_difference(delivery_books, clerk):
    customer = _customer()
    blue = entered(customer, actor=clerk, lines=(line("113.00"),), issued_on=DEC)
    # A red invoice recorded but not posted: the books still hold the blue one's tax.
    red_against(blue, actor=clerk, issued_on=DEC, post=False)

    report = vat_output_report(user=clerk, year=2026)

    assert _month(report, 12).total.tax_amount == 0
    assert _month(report, 12).ledger_credit == D("13.00")
    assert _month(report, 12).difference == D("-13.00")
    assert report.difference == D("-13.00")


def test_report_of_another_year_is_empty(delivery_books, clerk):
    entered(_customer(), actor=clerk, issued_on=DEC)
    report = vat_output_report(user=clerk, year=2025)
    assert report.rates == []
    assert report.total.tax_amount == 0
    assert all(month.ledger_credit == 0 for month in report.months)


def test_report_reads_in_a_fixed_number_of_queries(
    delivery_books, clerk, django_assert_num_queries
):
    customer = _customer()
    for month_day in (date(2026, 11, 3), DEC, date(2026, 12, 2)):
        entered(
            customer,
            actor=clerk,
            lines=(line("113.00"), line("106.00", rate="6")),
            issued_on=month_day,
        )
    # Invoices (one grouped query), the role's account, the periods, the general ledger (two).
    with django_assert_num_queries(5):
        report = vat_output_report(user=clerk, year=2026)
    assert _month(report, 12).total.blue_count == 4  # two invoices, counted under each rate


def test_salesperson_sees_only_their_customers_invoices(delivery_books, clerk, seller):
    mine = customer_with_dimension(owner=seller, invoice_tax_number=TAX_NUMBER)
    entered(mine, actor=clerk, lines=(line("113.00"),), issued_on=DEC)
    entered(_customer(), actor=clerk, lines=(line("226.00"),), issued_on=DEC)
    assert _month(vat_output_report(user=seller, year=2026), 12).total.tax_amount == D("13.00")
    assert _month(vat_output_report(user=clerk, year=2026), 12).total.tax_amount == D("39.00")
