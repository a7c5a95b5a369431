"""Refunds (退款单): paying back advances and credits oldest first, posted as DESIGN.md says,
never more than the customer has open, cancelled in red with the credits open again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from suanpan.core.errors import NotFound, PermissionDeniedError
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.selectors import open_items_check, vouchers_for_source
from suanpan.receivables.choices import ReceiptStatus, RefundMethod
from suanpan.receivables.errors import RefundExceeds, RefundInvalid, RefundNotInStatus
from suanpan.receivables.models import Refund, RefundLine
from suanpan.receivables.services import (
    RefundInput,
    refund_cancel,
    refund_create,
    settlement_undo,
)
from tests.inventory.deliveries_support import balance
from tests.receivables.support import ON, invoice, invoice_item, open_of, receipt_items, received

pytestmark = pytest.mark.django_db
D = Decimal
LATER = date(2026, 1, 20)


def refunded(customer, amount: str, *, actor, on: date = LATER, **kwargs) -> Refund:
    return refund_create(
        data=RefundInput(
            customer_id=customer.pk,
            refunded_on=on,
            amount=D(amount),
            reason=kwargs.pop("reason", "客户取消订单，退回预收款"),
            **kwargs,
        ),
        actor=actor,
    )


def test_refund_of_an_advance_posts_advance_against_bank_and_closes_it(customer, clerk):
    receipt = received(customer, "1000.00", actor=clerk)
    refund = refunded(customer, "400.00", actor=clerk)
    assert refund.number.startswith("TK-202601-")
    assert balance(AccountRole.BANK) == D("600.00")
    assert balance(AccountRole.CUSTOMER_ADVANCE, dimension=customer.number) == D("-600.00")
    (advance,) = receipt_items(receipt)
    assert open_of(advance) == D("-600.00")
    (voucher,) = vouchers_for_source(source_type="receivables.refund", source_ids=[refund.pk])
    assert voucher.word == "付"
    (line,) = RefundLine.objects.filter(refund=refund)
    assert (line.amount, line.credit_source_id) == (D("400.00"), str(receipt.pk))
    assert open_items_check(as_of=LATER) == []


def test_refund_takes_the_oldest_credits_first_on_both_accounts(customer, clerk):
    item = invoice_item(invoice(customer, "300.00", actor=clerk))
    first = received(customer, "500.00", actor=clerk, allocations=((item, "300.00"),))
    # The settlement undone: the 300 stays a credit on the receivable account, older than the
    # advance below.
    settlement_undo(settlement=first.settlements.get(), actor=clerk, on=ON)
    second = received(customer, "250.00", actor=clerk, on=date(2026, 1, 15))
    refund = refunded(customer, "700.00", actor=clerk)
    taken = {
        (line.credit_source_id, line.amount) for line in RefundLine.objects.filter(refund=refund)
    }
    assert sum(amount for _source, amount in taken) == D("700.00")
    assert {source for source, _amount in taken} == {str(first.pk), str(second.pk)}
    # 300 from the receivable credit, 400 from advances (200 of the first, 200 of the second).
    assert balance(AccountRole.RECEIVABLE, dimension=customer.number) == D("300.00")
    assert balance(AccountRole.CUSTOMER_ADVANCE, dimension=customer.number) == D("-50.00")
    assert open_items_check(as_of=LATER) == []


def test_refund_larger_than_what_is_open_is_refused_with_nothing_written(customer, clerk):
    received(customer, "100.00", actor=clerk)
    with pytest.raises(RefundExceeds) as refused:
        refunded(customer, "100.01", actor=clerk)
    assert "100.00" in refused.value.message
    assert not Refund.objects.exists()
    assert balance(AccountRole.BANK) == D("100.00")


def test_credits_posted_after_the_refund_day_cannot_pay_it(customer, clerk):
    received(customer, "100.00", actor=clerk, on=LATER)
    with pytest.raises(RefundExceeds):
        refunded(customer, "50.00", actor=clerk, on=ON)


@pytest.mark.parametrize(
    ("amount", "field"),
    [("0", "amount"), ("-5.00", "amount"), ("1.001", "amount"), ("1000000000000.00", "amount")],
)
def test_bad_amounts_are_refused(customer, clerk, amount, field):
    received(customer, "100.00", actor=clerk)
    with pytest.raises(RefundInvalid) as refused:
        refunded(customer, amount, actor=clerk)
    assert field in refused.value.fields
    assert not Refund.objects.exists()


def test_reason_and_method_are_required(customer, clerk):
    received(customer, "100.00", actor=clerk)
    with pytest.raises(RefundInvalid) as refused:
        refunded(customer, "10.00", actor=clerk, reason="  ", method="cheque")
    assert set(refused.value.fields) == {"reason", "method"}


def test_cash_refund_posts_to_cash(customer, clerk):
    received(customer, "100.00", actor=clerk)
    refunded(customer, "30.00", actor=clerk, method=RefundMethod.CASH)
    assert balance(AccountRole.CASH) == D("-30.00")
    assert balance(AccountRole.BANK) == D("100.00")


def test_cancel_reverses_in_red_and_opens_the_credits_again(customer, clerk):
    receipt = received(customer, "1000.00", actor=clerk)
    refund = refunded(customer, "400.00", actor=clerk)
    refund_cancel(refund=refund, reason="退款被银行退回", actor=clerk, on=date(2026, 1, 25))
    refund.refresh_from_db()
    assert refund.status == ReceiptStatus.CANCELLED
    (advance,) = receipt_items(receipt)
    assert open_of(advance) == D("-1000.00")
    assert balance(AccountRole.BANK) == D("1000.00")
    vouchers = vouchers_for_source(source_type="receivables.refund", source_ids=[refund.pk])
    assert len(vouchers) == 2
    assert open_items_check(as_of=date(2026, 1, 25)) == []
    # History as of the refund day still shows it paid back.
    assert open_items_check(as_of=LATER) == []
    with pytest.raises(RefundNotInStatus):
        refund_cancel(refund=refund, reason="again", actor=clerk, on=date(2026, 1, 25))


def test_cancel_needs_a_reason_and_a_day_not_before_the_refund(customer, clerk):
    received(customer, "100.00", actor=clerk)
    refund = refunded(customer, "10.00", actor=clerk)
    with pytest.raises(RefundInvalid):
        refund_cancel(refund=refund, reason="", actor=clerk, on=LATER)
    with pytest.raises(RefundInvalid):
        refund_cancel(refund=refund, reason="late", actor=clerk, on=ON)


def test_a_salesperson_cannot_refund(customer, clerk, seller):
    received(customer, "100.00", actor=clerk)
    with pytest.raises(PermissionDeniedError):
        refunded(customer, "10.00", actor=seller)
    assert not Refund.objects.exists()


def test_a_customer_the_user_does_not_see_answers_404(customer, other_customer, clerk, seller):
    """A salesperson given the refund permission still refunds only customers it sees."""
    received(other_customer, "100.00", actor=clerk)
    seller.user_permissions.add(Permission.objects.get(codename="add_refund"))
    seller = type(seller).objects.get(pk=seller.pk)
    with pytest.raises(NotFound):
        refunded(other_customer, "10.00", actor=seller)
    assert not Refund.objects.exists()


def test_unknown_customer_answers_404(receivable_books, clerk):
    with pytest.raises(NotFound):
        refund_create(
            data=RefundInput(customer_id=999_999, refunded_on=LATER, amount=D("1.00"), reason="x"),
            actor=clerk,
        )
