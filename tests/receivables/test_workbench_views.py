"""The accountant's home page (工作台): what is overdue and who owes most, receipts not yet
settled, requests to approve, invoices to mail, the open period — and none of it for sales."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from suanpan.ledger.selectors import account_for_role, overdue_summary
from suanpan.ledger.types import Role
from tests.receivables.support import invoice, received

pytestmark = pytest.mark.django_db


def test_overdue_summary_counts_only_what_is_past_due_and_open(customer, clerk):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 2))  # due 1 February
    invoice(customer, "500.00", actor=clerk, issued_on=date(2026, 1, 20))  # due 19 February
    receivable = account_for_role(Role.RECEIVABLE)
    assert receivable is not None
    summary = overdue_summary(account=receivable, today=date(2026, 2, 10))
    assert summary.total == 1130 and summary.customers == 1
    assert [(row.code, row.amount) for row in summary.top] == [(customer.number, 1130)]
    assert overdue_summary(account=receivable, today=date(2026, 1, 31)).total == 0


def test_accountant_sees_the_work_of_the_day(customer, clerk, login):
    invoice(customer, "1130.00", actor=clerk, issued_on=date(2026, 1, 2))
    received(customer, "300.00", actor=clerk)
    page = login(clerk).get(reverse("web:home"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Work of the day" in text
    assert customer.name in text  # among those owing most past due (today is long after)
    assert "Receipts not yet settled" in text and "300.00" in text
    assert "Invoices to mail" in text


def test_salespeople_see_no_workbench(customer, seller, login):
    text = login(seller).get(reverse("web:home")).content.decode()
    assert "Work of the day" not in text
