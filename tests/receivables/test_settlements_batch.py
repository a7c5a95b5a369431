"""Automatic matching of many customers at once: the same settlements as one at a time, a
constant number of queries per chunk, only the customers the user sees, and a customer that
cannot be settled leaves the others settled."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suanpan.ledger.selectors import open_items_check, vouchers_for_source
from suanpan.receivables.choices import SettlementKind
from suanpan.receivables.models import Settlement
from suanpan.receivables.selectors import customer_open_sides
from suanpan.receivables.services import (
    Pair,
    settlement_auto_many,
    settlement_make,
    settlement_undo,
)
from tests.inventory.deliveries_support import customer_with_dimension
from tests.invoicing.support import TAX_NUMBER
from tests.receivables.support import ON, invoice, invoice_item, open_of, received

pytestmark = pytest.mark.django_db
D = Decimal
LATER = date(2026, 1, 20)


def _owing_and_paid(clerk, count: int, *, advance: bool = False):
    """Customers each with two invoices (100, 50) and a receipt of 120 (and one of 30 with
    `advance`), recorded without settling anything: advances."""
    made = []
    for _ in range(count):
        customer = customer_with_dimension(invoice_tax_number=TAX_NUMBER)
        old = invoice_item(invoice(customer, "100.00", actor=clerk, issued_on=date(2026, 1, 2)))
        new = invoice_item(invoice(customer, "50.00", actor=clerk, issued_on=date(2026, 1, 5)))
        received(customer, "120.00", actor=clerk, on=ON)
        if advance:
            received(customer, "30.00", actor=clerk, on=ON)
        made.append((customer, old, new))
    return made


def test_every_customer_is_settled_oldest_due_first(receivable_books, clerk):
    made = _owing_and_paid(clerk, 3, advance=True)
    totals = settlement_auto_many(actor=clerk, on=LATER)
    assert (totals.customers, totals.settlements, totals.refused) == (3, 3, [])
    assert totals.amount == D("450.00")
    for customer, old, new in made:
        assert open_of(old) == 0 and open_of(new) == 0
        settlement = Settlement.objects.get(customer=customer)
        assert settlement.kind == SettlementKind.AUTOMATIC
        assert settlement.history.count() == 1
    numbers = sorted(Settlement.objects.values_list("number", flat=True))
    assert numbers == ["HX-202601-0001", "HX-202601-0002", "HX-202601-0003"]
    assert open_items_check(as_of=LATER) == []
    # Nothing left to settle: a second run makes nothing.
    again = settlement_auto_many(actor=clerk, on=LATER)
    assert (again.customers, again.settlements) == (0, 0)


def test_a_chunk_costs_the_same_queries_for_two_customers_or_six(receivable_books, clerk):
    _owing_and_paid(clerk, 2)
    with CaptureQueriesContext(connection) as two:
        settlement_auto_many(actor=clerk, on=LATER)
    _owing_and_paid(clerk, 6)
    with CaptureQueriesContext(connection) as six:
        assert settlement_auto_many(actor=clerk, on=LATER).settlements == 6
    # The first run also creates the month's numbering row.
    assert len(six) <= len(two)


def test_advances_move_with_one_transfer_each_and_undo_cleanly(receivable_books, clerk):
    ((customer, old, new),) = _owing_and_paid(clerk, 1)
    # Receipts that settled nothing when recorded are advances: the settlement moves them to
    # the receivable account with one transfer voucher.
    received(customer, "10.00", actor=clerk, on=ON)
    totals = settlement_auto_many(actor=clerk, on=LATER)
    assert totals.amount == D("130.00")
    settlement = Settlement.objects.get()
    assert settlement.advance_amount == D("130.00")
    (transfer,) = vouchers_for_source(
        source_type="receivables.settlement", source_ids=[settlement.pk]
    )
    assert transfer.date == LATER
    undone = settlement_undo(settlement=settlement, actor=clerk, on=LATER)
    assert undone.undone_on == LATER
    assert open_of(old) == D("100.00") and open_of(new) == D("50.00")
    assert open_items_check(as_of=LATER) == []


def test_only_the_customers_the_user_sees_and_asked_for(
    receivable_books, clerk, customer, other_customer, seller
):
    for who in (customer, other_customer):
        invoice_item(invoice(who, "100.00", actor=clerk))
        received(who, "100.00", actor=clerk)
    seller.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_settlement", "match_open_items"])
    )
    seller = type(seller).objects.get(pk=seller.pk)
    totals = settlement_auto_many(actor=seller, on=LATER)
    assert totals.customers == 1
    assert list(Settlement.objects.values_list("customer", flat=True)) == [customer.pk]
    assert settlement_auto_many(actor=clerk, on=LATER, customer_ids=[customer.pk]).customers == 0
    assert (
        settlement_auto_many(actor=clerk, on=LATER, customer_ids=[other_customer.pk]).settlements
        == 1
    )


def test_a_customer_that_cannot_be_settled_on_the_day_leaves_the_others_settled(
    receivable_books, clerk
):
    (first, second) = _owing_and_paid(clerk, 2)
    # The first customer's invoice was matched and undone after the day asked for: history
    # only moves forward, so it cannot be settled as of that day.
    customer, old, _new = first
    sides = customer_open_sides(customer=customer)
    made = settlement_make(
        customer_id=customer.pk,
        pairs=[Pair(old.pk, sides.credits[0].pk, D("10.00"))],
        actor=clerk,
        on=date(2026, 1, 25),
    )
    settlement_undo(settlement=made, actor=clerk, on=date(2026, 1, 25))
    totals = settlement_auto_many(actor=clerk, on=LATER, chunk=10)
    assert totals.settlements == 1
    assert [number for number, _reason in totals.refused] == [customer.number]
    assert open_of(second[1]) == 0
