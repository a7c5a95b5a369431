"""Settlements (核销): by hand with partial amounts, automatically, from an advance, undone;
never beyond what an item has open; the open items stay equal to their accounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suanpan.core.errors import NotFound
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.selectors import open_items_check
from suanpan.receivables.choices import AutoMatchRule
from suanpan.receivables.errors import SettlementExceeds, SettlementInvalid, SettlementUndone
from suanpan.receivables.models import SettlementLine
from suanpan.receivables.services import (
    Pair,
    settlement_auto,
    settlement_make,
    settlement_undo,
)
from tests.inventory.deliveries_support import balance
from tests.receivables.support import (
    ON,
    invoice,
    invoice_item,
    open_of,
    receipt_items,
    received,
)

pytestmark = pytest.mark.django_db
D = Decimal
LATER = date(2026, 1, 20)


def test_an_advance_applied_by_hand_posts_a_transfer_and_settles(customer, clerk):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    (advance,) = receipt_items(received(customer, "500.00", actor=clerk, reference="预付款"))
    settlement = settlement_make(
        customer_id=customer.pk,
        pairs=[Pair(item.pk, advance.pk, D("300.00"))],
        actor=clerk,
        on=LATER,
    )
    assert settlement.amount == D("300.00")
    assert settlement.advance_amount == D("300.00")
    assert open_of(item) == D("830.00")
    assert open_of(advance) == D("-200.00")
    assert balance(AccountRole.CUSTOMER_ADVANCE, dimension=customer.number) == D("-200.00")
    assert balance(AccountRole.RECEIVABLE, dimension=customer.number) == D("830.00")
    assert open_items_check(as_of=LATER) == []
    line = SettlementLine.objects.get(settlement=settlement, is_transfer=False)
    assert line.credit_source_type == "receivables.receipt"


def test_undo_reopens_everything_and_reverses_the_transfer(customer, clerk):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    (advance,) = receipt_items(received(customer, "500.00", actor=clerk))
    settlement = settlement_make(
        customer_id=customer.pk,
        pairs=[Pair(item.pk, advance.pk, D("500.00"))],
        actor=clerk,
        on=LATER,
    )
    settlement_undo(settlement=settlement, actor=clerk, on=LATER)
    assert open_of(item) == D("1130.00")
    assert open_of(advance) == D("-500.00")
    assert balance(AccountRole.CUSTOMER_ADVANCE, dimension=customer.number) == D("-500.00")
    assert balance(AccountRole.RECEIVABLE, dimension=customer.number) == D("1130.00")
    assert open_items_check(as_of=LATER) == []
    with pytest.raises(SettlementUndone):
        settlement_undo(settlement=settlement, actor=clerk, on=LATER)


def test_more_than_open_is_refused_whole(customer, clerk):
    first = invoice_item(invoice(customer, "100.00", actor=clerk))
    second = invoice_item(invoice(customer, "100.00", actor=clerk))
    (advance,) = receipt_items(received(customer, "150.00", actor=clerk))
    with pytest.raises(SettlementExceeds):
        settlement_make(
            customer_id=customer.pk,
            pairs=[
                Pair(first.pk, advance.pk, D("100.00")),
                Pair(second.pk, advance.pk, D("60.00")),
            ],
            actor=clerk,
            on=LATER,
        )
    assert open_of(first) == D("100.00")
    assert open_of(advance) == D("-150.00")


def test_pairs_that_are_not_a_debit_and_a_credit_are_refused(customer, clerk):
    first = invoice_item(invoice(customer, "100.00", actor=clerk))
    second = invoice_item(invoice(customer, "100.00", actor=clerk))
    with pytest.raises(SettlementInvalid):
        settlement_make(
            customer_id=customer.pk, pairs=[Pair(first.pk, second.pk, D("1"))], actor=clerk
        )
    with pytest.raises(SettlementInvalid):
        settlement_make(customer_id=customer.pk, pairs=[], actor=clerk)
    with pytest.raises(NotFound):
        settlement_make(
            customer_id=customer.pk, pairs=[Pair(first.pk, 999_999, D("1"))], actor=clerk
        )


def test_automatic_matching_settles_oldest_due_first(customer, clerk):
    old = invoice_item(invoice(customer, "100.00", actor=clerk, issued_on=date(2026, 1, 2)))
    new = invoice_item(invoice(customer, "100.00", actor=clerk, issued_on=date(2026, 1, 5)))
    received(customer, "150.00", actor=clerk)
    settlement = settlement_auto(customer_id=customer.pk, actor=clerk, on=LATER)
    assert settlement is not None and settlement.amount == D("150.00")
    assert open_of(old) == 0
    assert open_of(new) == D("50.00")
    assert settlement_auto(customer_id=customer.pk, actor=clerk, on=LATER) is None
    assert open_items_check(as_of=LATER) == []


def test_automatic_matching_by_reference_takes_the_named_invoice_first(customer, clerk):
    old_invoice = invoice(customer, "100.00", actor=clerk, issued_on=date(2026, 1, 2))
    new_invoice = invoice(customer, "100.00", actor=clerk, issued_on=date(2026, 1, 5))
    received(customer, "100.00", actor=clerk, reference=f"货款 发票{new_invoice.number}")
    settlement_auto(customer_id=customer.pk, actor=clerk, rule=AutoMatchRule.REFERENCE, on=LATER)
    assert open_of(invoice_item(new_invoice)) == 0
    assert open_of(invoice_item(old_invoice)) == D("100.00")


def test_a_receipt_posted_after_the_settlement_date_is_left_alone(customer, clerk):
    item = invoice_item(invoice(customer, "100.00", actor=clerk))
    received(customer, "100.00", actor=clerk, on=LATER)
    assert settlement_auto(customer_id=customer.pk, actor=clerk, on=ON) is None
    assert open_of(item) == D("100.00")
