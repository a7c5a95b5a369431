"""Settlements racing on PostgreSQL: twenty identical requests settle an invoice once; the
other nineteen are refused and nothing is settled twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suanpan.ledger.selectors import open_items_check
from suanpan.receivables.errors import SettlementExceeds
from suanpan.receivables.models import Settlement
from suanpan.receivables.services import Pair, settlement_make
from tests.ledger.test_concurrency import race
from tests.receivables.support import invoice, invoice_item, open_of, receipt_items, received

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
D = Decimal
ON = date(2026, 1, 20)


def test_twenty_identical_settlements_settle_once(customer, clerk):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    (advance,) = receipt_items(received(customer, "2000.00", actor=clerk))

    results, errors = race(
        20,
        lambda _i: settlement_make(
            customer_id=customer.pk,
            pairs=[Pair(item.pk, advance.pk, D("1130.00"))],
            actor=clerk,
            on=ON,
        ),
    )

    assert len(results) == 1, errors
    assert len(errors) == 19 and all(isinstance(e, SettlementExceeds) for e in errors), errors
    assert Settlement.objects.count() == 1
    assert open_of(item) == 0
    assert open_of(advance) == D("-870.00")
    assert open_items_check(as_of=ON) == []


def test_receipts_allocating_the_same_invoice_at_once_settle_it_once(customer, clerk):
    item = invoice_item(invoice(customer, "500.00", actor=clerk))

    results, errors = race(
        5,
        lambda _i: received(customer, "500.00", actor=clerk, allocations=((item, "500.00"),)),
    )

    assert len(results) == 1, errors
    assert all(isinstance(e, SettlementExceeds) for e in errors), errors
    assert open_of(item) == 0
    assert open_items_check(as_of=ON) == []
