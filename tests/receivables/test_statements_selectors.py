"""The customer statement: opening, lines and closing tie to the ledger's balance of the
receivable and advance accounts on the customer; the ageing is the ledger's; a fixed number of
queries however many lines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suanpan.ledger.choices import AccountRole
from suanpan.receivables.selectors import line_document, statement_of
from tests.inventory.deliveries_support import balance
from tests.receivables.support import invoice, invoice_item, received

pytestmark = pytest.mark.django_db
D = Decimal


def _ledger_balance(customer) -> Decimal:
    return balance(AccountRole.RECEIVABLE, dimension=customer.number) + balance(
        AccountRole.CUSTOMER_ADVANCE, dimension=customer.number
    )


def test_statement_of_opening_and_closing_tie_to_the_ledger_when_movements_straddle_the_start(
    customer, clerk
):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 5))
    item = invoice_item(invoice(customer, "565.00", actor=clerk, issued_on=date(2026, 1, 20)))
    received(customer, "200.00", actor=clerk, on=date(2026, 1, 8))
    received(customer, "700.00", actor=clerk, on=date(2026, 1, 25), allocations=((item, "565.00"),))

    report = statement_of(customer=customer, start=date(2026, 1, 10), end=date(2026, 1, 31))

    assert report.opening == D("930.00")  # 1130 invoiced, 200 received before the 10th
    lines = list(report.lines)
    assert [line.date for line in lines] == sorted(line.date for line in lines)
    assert sum(line.debit_amount for line in lines) == report.debit == D("565.00")
    assert sum(line.credit_amount for line in lines) == report.credit == D("700.00")
    assert lines[-1].balance == report.closing == D("795.00") == _ledger_balance(customer)
    running = report.opening
    for line in lines:
        running += line.debit_amount - line.credit_amount
        assert line.balance == running


def test_statement_of_ageing_is_the_open_receivable_at_the_end(customer, clerk):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 5))
    report = statement_of(customer=customer, start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert report.ageing.total == D("1130.00")
    assert sum(report.ageing.amounts) == D("1130.00")
    assert report.ageing.rows[0][1] == D("1130.00")  # due in 30 days: not yet due on the 31st


def test_statement_of_names_each_lines_document(customer, clerk):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 5))
    receipt = received(customer, "100.00", actor=clerk, on=date(2026, 1, 6))
    report = statement_of(customer=customer, start=date(2026, 1, 1), end=date(2026, 1, 31))
    documents = [line_document(line) for line in report.lines]
    assert documents[0][0] == "Invoice"
    assert documents[1] == ("Receipt", receipt.number)
    assert {line.source_type for line in report.lines} == {
        "invoicing.invoice",
        "receivables.receipt",
    }


def test_statement_of_is_empty_when_the_customer_never_posted(customer):
    report = statement_of(customer=customer, start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert report.opening == report.closing == 0
    assert list(report.lines) == []
    assert report.ageing.total == 0


def test_statement_of_query_count_is_constant_when_lines_grow(
    customer, clerk, django_assert_max_num_queries
):
    for day in range(2, 12):
        invoice(customer, "113.00", actor=clerk, issued_on=date(2026, 1, day))
    with django_assert_max_num_queries(8):
        report = statement_of(customer=customer, start=date(2026, 1, 5), end=date(2026, 1, 31))
        lines = list(report.lines)
    assert len(lines) == 7
