"""Bad-debt approvals and provision runs racing on PostgreSQL: a write-off approved by several
managers at once posts once; provision runs of one period at once post the difference once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Voucher
from suanpan.ledger.selectors import open_items_check
from suanpan.receivables.errors import WriteOffNotInStatus
from suanpan.receivables.models import ProvisionRun
from suanpan.receivables.services import (
    RateInput,
    provision_post,
    provision_rates_save,
    writeoff_approve,
)
from suanpan.users.choices import Role
from tests.factories import UserFactory
from tests.inventory.deliveries_support import balance
from tests.ledger.test_concurrency import race
from tests.receivables.bad_debt_support import written_off
from tests.receivables.support import ON, invoice, invoice_item, open_of

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
D = Decimal


def test_five_approvals_at_once_post_the_write_off_once(cas_books, customer, clerk):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    writeoff = written_off(customer, ((item, "1130.00"),), maker=clerk)
    managers = [UserFactory(role=Role.FINANCE_MANAGER) for _ in range(5)]

    results, errors = race(
        5, lambda i: writeoff_approve(writeoff=writeoff, actor=managers[i], on=ON)
    )

    assert len(results) == 1, errors
    assert len(errors) == 4 and all(isinstance(e, WriteOffNotInStatus) for e in errors), errors
    assert Voucher.objects.filter(source_type="receivables.writeoff").count() == 1
    assert open_of(item) == 0
    assert open_items_check(as_of=date(2026, 1, 31)) == []


def test_provision_runs_of_one_period_at_once_post_the_difference_once(
    cas_books, customer, clerk, approver
):
    invoice(customer, "1130.00", actor=clerk)
    provision_rates_save(rates=[RateInput(bucket=0, rate=D("0.05"))], actor=approver)

    results, errors = race(4, lambda _i: provision_post(period="2026-01", actor=clerk))

    assert not errors, errors
    assert sum(1 for run in results if run is not None) == 1
    assert ProvisionRun.objects.count() == 1
    assert balance(AccountRole.BAD_DEBT_PROVISION) == D("-56.50")
