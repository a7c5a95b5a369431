"""Bank lines raced on PostgreSQL: confirmations of one line make one receipt, the others are
refused; the same file imported twice at once adds its lines once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from suanpan.receivables.errors import BankLineNotUnmatched
from suanpan.receivables.models import BankAccount, BankLine, Receipt
from suanpan.receivables.services import LineConfirm, bank_lines_confirm, statement_import
from tests.inventory.deliveries_support import customer_with_dimension
from tests.invoicing.support import TAX_NUMBER
from tests.ledger.test_concurrency import race
from tests.receivables.bank_support import statement_xlsx

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
D = Decimal
LINES = [
    {"date": "2026-01-12 08:00:24", "credit": "1,130.00", "name": "甲", "serial": "S1"},
    {"date": "2026-01-12 09:00:00", "credit": "50.00", "name": "乙", "serial": "S2"},
]


@pytest.fixture
def account(receivable_books) -> BankAccount:
    return BankAccount.objects.create(name="基本户", account_number="6217000010001234567")


def _import(account, actor):
    return statement_import(
        bank_account=account,
        data=statement_xlsx("ccb", LINES),
        filename="流水.xlsx",
        actor=actor,
        commit=True,
    )


def test_confirmations_of_one_line_racing_make_one_receipt(account, clerk, customer):
    other = customer_with_dimension(owner=customer.owner, invoice_tax_number=TAX_NUMBER)
    _import(account, clerk)
    line = BankLine.objects.get(serial="S1")
    # The racers name different customers, so the customer lock does not queue them.
    customers = [customer.pk, other.pk] * 3

    results, errors = race(
        6,
        lambda i: bank_lines_confirm(lines=[LineConfirm(line.pk, customers[i])], actor=clerk),
    )

    assert len(results) == 1, errors
    assert len(errors) == 5 and all(isinstance(e, BankLineNotUnmatched) for e in errors), errors
    assert Receipt.objects.count() == 1
    line.refresh_from_db()
    assert line.status == "confirmed" and line.receipt == Receipt.objects.get()


def test_the_same_file_imported_twice_at_once_adds_its_lines_once(account, clerk):
    results, errors = race(2, lambda _i: _import(account, clerk))

    assert errors == []
    assert sorted(r.added for r in results) == [0, 2]
    assert sorted(r.duplicates for r in results) == [0, 2]
    assert BankLine.objects.count() == 2
