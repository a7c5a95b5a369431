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

from suanpan.ledger.models import Voucher
from suanpan.ledger.selectors import (
    account_for_role,
    open_items_check,
    open_items_for_source,
    vouchers_for_source,
)
from suanpan.ledger.services import posting_post_batch
from suanpan.ledger.types import PostingEvent, Role, RoleLine
from suanpan.ledger.verification import chain_verify
from suanpan.receivables.choices import SettlementKind
from suanpan.receivables.models import Receipt, Settlement
from suanpan.receivables.selectors import customer_open_sides
from suanpan.receivables.selectors.pages import settlement_vouchers
from suanpan.receivables.services import (
    Pair,
    receipt_cancel,
    settlement_auto_many,
    settlement_make,
    settlement_undo,
)
from tests.inventory.deliveries_support import balance, customer_with_dimension
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


def _owing_and_paid_in_bulk(clerk, count: int) -> list:
    """`count` customers each owing an invoice of 100.00 (2 January) and holding an advance
    of 120.00 (10 January), posted straight through the ledger's batch path: what a query
    count over hundreds of customers can afford to set up."""
    customers = [customer_with_dimension() for _ in range(count)]
    events = []
    for customer in customers:
        events += [
            PostingEvent(
                source_type="invoicing.invoice",
                source_id=f"T{customer.pk}",
                event="issued",
                date=date(2026, 1, 2),
                summary=f"发票 T{customer.pk}",
                lines=(
                    RoleLine(Role.RECEIVABLE, debit=D("100.00"), dimension_code=customer.number),
                    RoleLine(Role.REVENUE, credit=D("100.00")),
                ),
            ),
            PostingEvent(
                source_type="receivables.receipt",
                source_id=f"S{customer.pk}",
                event="receive",
                date=ON,
                summary=f"收款 S{customer.pk}",
                word="收",
                lines=(
                    RoleLine(Role.BANK, debit=D("120.00")),
                    RoleLine(
                        Role.CUSTOMER_ADVANCE, credit=D("120.00"), dimension_code=customer.number
                    ),
                ),
            ),
        ]
    posting_post_batch(events=events, actor=clerk)
    return customers


def test_a_chunk_costs_the_same_queries_for_two_customers_or_five_hundred(receivable_books, clerk):
    _owing_and_paid_in_bulk(clerk, 2)
    with CaptureQueriesContext(connection) as two:
        assert settlement_auto_many(actor=clerk, on=LATER).settlements == 2
    _owing_and_paid_in_bulk(clerk, 500)
    with CaptureQueriesContext(connection) as many:
        totals = settlement_auto_many(actor=clerk, on=LATER, chunk=500)
    assert (totals.settlements, totals.amount, totals.refused) == (500, D("50000.00"), [])
    # The first run also creates the month's numbering rows; the customers the user sees are
    # looked up 500 numbers to a query.
    if connection.vendor == "postgresql":
        assert len(many) <= len(two)
    else:
        # SQLite takes the general posting path, whose ORM bulk writes Django splits at 999
        # variables a statement (about 25 more for 1,000 voucher lines, 1,000 open items and
        # their period totals): a statement per hundred rows, never one per customer.
        assert len(many) <= len(two) + 25
    assert open_items_check(as_of=LATER) == []


def test_a_chunk_posts_one_transfer_voucher_with_a_line_pair_per_customer(receivable_books, clerk):
    made = _owing_and_paid(clerk, 3)
    totals = settlement_auto_many(actor=clerk, on=LATER)
    assert (totals.settlements, totals.amount) == (3, D("360.00"))
    (batch,) = Voucher.objects.filter(source_type="receivables.settlement_batch")
    first, *_rest, last = Settlement.objects.order_by("pk")
    assert batch.date == LATER
    assert batch.source_id == str(first.pk)
    assert first.number in batch.summary and last.number in batch.summary
    lines = list(batch.lines.order_by("line_no").select_related("account", "dimension"))
    # Balanced, and per settlement the same pair a transfer voucher of its own would post:
    # Dr customer advance / Cr receivable on the customer, for the advance it applied.
    assert sum(line.debit_amount for line in lines) == sum(line.credit_amount for line in lines)
    assert len(lines) == 6
    advance, receivable = account_for_role(Role.CUSTOMER_ADVANCE), account_for_role(Role.RECEIVABLE)
    pairs = zip(lines[::2], lines[1::2], strict=True)
    for (customer, _old, _new), (debit, credit) in zip(made, pairs, strict=True):
        settlement = Settlement.objects.get(customer=customer)
        assert settlement.advance_amount == D("120.00")
        assert (debit.account, debit.dimension.code, debit.debit_amount) == (
            advance,
            customer.number,
            D("120.00"),
        )
        assert (credit.account, credit.dimension.code, credit.credit_amount) == (
            receivable,
            customer.number,
            D("120.00"),
        )
        assert settlement.number in debit.summary and settlement.number in credit.summary
        # The settlement finds its own items and its page the voucher that carried them.
        items = open_items_for_source(
            source_type="receivables.settlement", source_ids=[settlement.pk]
        )
        assert sorted(item.line_id for item in items) == sorted([debit.pk, credit.pk])
        assert list(settlement_vouchers(settlement=settlement)) == [batch]
        assert balance(Role.CUSTOMER_ADVANCE, dimension=customer.number) == 0
        assert balance(Role.RECEIVABLE, dimension=customer.number) == D("30.00")
    assert open_items_check(as_of=LATER) == []
    assert chain_verify().ok


def test_undoing_one_settlement_of_a_batch_leaves_the_others_matched(receivable_books, clerk):
    made = _owing_and_paid(clerk, 3, advance=True)
    settlement_auto_many(actor=clerk, on=LATER)
    (batch,) = Voucher.objects.filter(source_type="receivables.settlement_batch")
    (customer, old, new), *others = made
    settlement = Settlement.objects.get(customer=customer)

    undone = settlement_undo(settlement=settlement, actor=clerk, on=LATER)

    assert undone.undone_on == LATER
    assert open_of(old) == D("100.00") and open_of(new) == D("50.00")
    # Only this customer's part of the batch voucher is reversed, in red, by a voucher of
    # the settlement's own.
    red = Voucher.objects.get(source_type="receivables.settlement", source_id=str(settlement.pk))
    assert red.lines.count() == 2
    assert set(red.lines.values_list("dimension__code", flat=True)) == {customer.number}
    assert sum(red.lines.values_list("debit_amount", flat=True)) == D("-150.00")
    assert list(settlement_vouchers(settlement=settlement)) == [batch, red]
    assert balance(Role.CUSTOMER_ADVANCE, dimension=customer.number) == D("-150.00")
    assert balance(Role.RECEIVABLE, dimension=customer.number) == D("150.00")
    for other, other_old, other_new in others:
        assert open_of(other_old) == 0 and open_of(other_new) == 0
        assert Settlement.objects.get(customer=other).undone_on is None
        assert balance(Role.CUSTOMER_ADVANCE, dimension=other.number) == 0
        assert balance(Role.RECEIVABLE, dimension=other.number) == 0
    assert open_items_check(as_of=LATER) == []
    assert chain_verify().ok
    # Automatic matching settles the customer again, alone: a transfer voucher of its own.
    again = settlement_auto_many(actor=clerk, on=LATER)
    assert (again.settlements, again.amount) == (1, D("150.00"))
    assert open_of(old) == 0 and open_of(new) == 0
    assert open_items_check(as_of=LATER) == []


def test_cancelling_the_receipt_of_a_batch_settlement_leaves_the_others_matched(
    receivable_books, clerk
):
    made = _owing_and_paid(clerk, 2)
    settlement_auto_many(actor=clerk, on=LATER)
    (customer, old, new), (_other, other_old, other_new) = made
    receipt = Receipt.objects.get(customer=customer)

    receipt_cancel(receipt=receipt, reason="退票", actor=clerk, on=LATER)

    assert Settlement.objects.get(customer=customer).undone_on == LATER
    assert open_of(old) == D("100.00") and open_of(new) == D("50.00")
    assert open_of(other_old) == 0 and open_of(other_new) == D("30.00")
    assert balance(Role.CUSTOMER_ADVANCE, dimension=customer.number) == 0
    assert balance(Role.RECEIVABLE, dimension=customer.number) == D("150.00")
    assert open_items_check(as_of=LATER) == []
    assert chain_verify().ok


def test_advances_move_with_one_transfer_and_undo_cleanly(receivable_books, clerk):
    ((customer, old, new),) = _owing_and_paid(clerk, 1)
    # Receipts that settled nothing when recorded are advances: the settlement moves them to
    # the receivable account with one transfer voucher, its own when it is alone.
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
