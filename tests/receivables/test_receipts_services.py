"""Receipts: posted as DESIGN.md says, settling invoices at once or kept as the customer's
advance, cancelled in red; bad input refused with nothing written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suanpan.core.errors import NotFound, PermissionDeniedError
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.selectors import open_items_check, vouchers_for_source
from suanpan.receivables.choices import ReceiptMethod, ReceiptStatus
from suanpan.receivables.errors import ReceiptInvalid, ReceiptNotInStatus, SettlementExceeds
from suanpan.receivables.models import Receipt, Settlement
from suanpan.receivables.services import receipt_cancel
from suanpan.users.choices import Role
from tests.factories import UserFactory
from tests.inventory.deliveries_support import balance, customer_with_dimension
from tests.invoicing.support import TAX_NUMBER
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


def test_receipt_settling_part_of_an_invoice_posts_bank_receivable_and_advance(customer, clerk):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    receipt = received(customer, "1500.00", actor=clerk, allocations=((item, "1130.00"),))
    assert receipt.number.startswith("SK-202601-")
    assert open_of(item) == 0
    assert balance(AccountRole.BANK) == D("1500.00")
    assert balance(AccountRole.RECEIVABLE, dimension=customer.number) == 0
    # What the receipt did not settle is the customer's advance (a credit).
    assert balance(AccountRole.CUSTOMER_ADVANCE, dimension=customer.number) == D("-370.00")
    (voucher,) = vouchers_for_source(source_type="receivables.receipt", source_ids=[receipt.pk])
    assert voucher.word == "收"
    settlement = Settlement.objects.get(receipt=receipt)
    assert settlement.amount == D("1130.00")
    assert open_items_check(as_of=ON) == []


def test_receipt_without_allocations_is_all_advance(customer, clerk):
    receipt = received(customer, "200.00", actor=clerk)
    (advance,) = receipt_items(receipt)
    assert advance.amount == D("-200.00")
    assert advance.open_amount == D("-200.00")
    assert balance(AccountRole.CUSTOMER_ADVANCE, dimension=customer.number) == D("-200.00")


def test_acceptance_bill_posts_notes_receivable_and_needs_number_and_maturity(customer, clerk):
    with pytest.raises(ReceiptInvalid) as refused:
        received(customer, "100.00", actor=clerk, method=ReceiptMethod.ACCEPTANCE_BILL)
    assert set(refused.value.fields) == {"bill_number", "bill_matures_on"}
    received(
        customer,
        "100.00",
        actor=clerk,
        method=ReceiptMethod.ACCEPTANCE_BILL,
        bill_number="5301 0000 0001",
        bill_matures_on=date(2026, 7, 10),
    )
    assert balance(AccountRole.NOTES_RECEIVABLE) == D("100.00")
    assert balance(AccountRole.BANK) == 0


@pytest.mark.parametrize("amount", ["0", "-5.00", "1.001", "1000000000000.00"])
def test_bad_amounts_are_refused_with_nothing_written(customer, clerk, amount):
    with pytest.raises(ReceiptInvalid) as refused:
        received(customer, amount, actor=clerk)
    assert "amount" in refused.value.fields
    assert not Receipt.objects.exists()


def test_allocating_more_than_the_receipt_or_the_invoice_is_refused(customer, clerk):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    with pytest.raises(ReceiptInvalid):
        received(customer, "100.00", actor=clerk, allocations=((item, "200.00"),))
    with pytest.raises(SettlementExceeds):
        received(customer, "2000.00", actor=clerk, allocations=((item, "1500.00"),))
    assert not Receipt.objects.exists()
    assert open_of(item) == D("1130.00")


def test_another_customers_invoice_cannot_be_settled(customer, clerk, seller):
    other = customer_with_dimension(owner=seller, invoice_tax_number=TAX_NUMBER)
    item = invoice_item(invoice(other, "1130.00", actor=clerk))
    with pytest.raises(NotFound):
        received(customer, "100.00", actor=clerk, allocations=((item, "100.00"),))
    assert not Receipt.objects.exists()


def test_salespeople_cannot_record_receipts(customer, seller):
    with pytest.raises(PermissionDeniedError):
        received(customer, "100.00", actor=seller)


def test_cancel_undoes_the_settlement_and_reverses_in_red(customer, clerk):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    receipt = received(customer, "1500.00", actor=clerk, allocations=((item, "1000.00"),))
    receipt_cancel(receipt=receipt, reason="重复录入", actor=clerk, on=date(2026, 1, 12))
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.CANCELLED
    assert open_of(item) == D("1130.00")
    assert balance(AccountRole.BANK) == 0
    assert balance(AccountRole.CUSTOMER_ADVANCE, dimension=customer.number) == 0
    assert all(i.open_amount == 0 for i in receipt_items(receipt))
    assert Settlement.objects.get(receipt=receipt).undone_on == date(2026, 1, 12)
    assert open_items_check(as_of=date(2026, 1, 31)) == []
    with pytest.raises(ReceiptNotInStatus):
        receipt_cancel(receipt=receipt, reason="again", actor=clerk, on=date(2026, 1, 12))


def test_cancel_needs_a_reason_and_the_permission(customer, clerk):
    receipt = received(customer, "100.00", actor=clerk)
    with pytest.raises(ReceiptInvalid):
        receipt_cancel(receipt=receipt, reason=" ", actor=clerk)
    with pytest.raises(PermissionDeniedError):
        receipt_cancel(receipt=receipt, reason="x", actor=UserFactory(role=Role.SALES))
