"""Voiding (作废) paper invoices: same month only, not deducted, nothing red or settled; the
voucher reversed in red and the request and order lines free to invoice again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suanpan.core.errors import DomainError
from suanpan.invoicing.choices import InvoiceStatus, InvoiceType, RequestStatus
from suanpan.invoicing.errors import InvoiceNotInStatus, InvoiceNotVoidable, RedLetterInvalid
from suanpan.invoicing.models import Invoice
from suanpan.invoicing.services import (
    IssueInput,
    invoice_issue,
    invoice_void,
    red_form_create,
)
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import Voucher
from suanpan.ledger.selectors import open_items_check
from tests.inventory.deliveries_support import balance
from tests.invoicing.red_support import blue_invoice, pay, receivable_items
from tests.invoicing.support import ON, invoice_number

pytestmark = pytest.mark.django_db
D = Decimal


def _paper(invoice: Invoice) -> Invoice:
    Invoice.objects.filter(pk=invoice.pk).update(
        invoice_type=InvoiceType.PAPER_SPECIAL, code="3500123456", number=f"{invoice.pk:08d}"
    )
    invoice.refresh_from_db()
    return invoice


def test_void_paper_invoice_same_month_reverses_everything(delivery_books, clerk, approver):
    blue = _paper(blue_invoice(clerk=clerk, approver=approver))
    customer = blue.customer.number
    request = blue.request

    voided = invoice_void(invoice=blue, reason="开错抬头", actor=approver, on=date(2026, 11, 20))

    assert voided.status == InvoiceStatus.VOIDED
    assert voided.voided_on == date(2026, 11, 20) and voided.void_reason == "开错抬头"
    assert balance(AccountRole.RECEIVABLE, dimension=customer) == 0
    assert balance(AccountRole.RECEIVABLE_UNBILLED, dimension=customer) == D("1130.00")
    assert balance(AccountRole.VAT_OUTPUT) == 0
    void_voucher = Voucher.objects.get(source_event=f"invoicing.invoice:{blue.pk}:void")
    assert void_voucher.date == date(2026, 11, 20)
    assert [i.open_amount for i in receivable_items(blue)] == [0, 0]
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    assert request.order.lines.get().invoiced_quantity == 0
    assert open_items_check(as_of=date(2026, 12, 31)) == []
    # The request can be issued again.
    again = invoice_issue(
        request=request, data=IssueInput(number=invoice_number(), issued_on=ON), actor=approver
    )
    assert again.request == request
    assert balance(AccountRole.RECEIVABLE, dimension=customer) == D("1130.00")


def test_void_on_invoice_moves_cost_back(on_invoice, clerk, approver):
    blue = _paper(blue_invoice(clerk=clerk, approver=approver))
    invoice_void(invoice=blue, reason="错开", actor=approver, on=ON)
    assert balance(AccountRole.REVENUE) == 0
    assert balance(AccountRole.COGS) == 0
    assert balance(AccountRole.GOODS_SHIPPED) == D("600.00")


def test_digital_invoice_cannot_be_voided(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver)
    with pytest.raises(InvoiceNotVoidable) as refused:
        invoice_void(invoice=blue, reason="x", actor=approver, on=ON)
    assert "red" in str(refused.value)
    blue.refresh_from_db()
    assert blue.status == InvoiceStatus.ISSUED


@pytest.mark.parametrize("case", ["cross_month", "deducted", "red_form", "paid"])
def test_void_refused(delivery_books, clerk, approver, case):
    blue = _paper(blue_invoice(clerk=clerk, approver=approver))
    on = ON
    if case == "cross_month":
        on = date(2026, 12, 1)
    elif case == "deducted":
        Invoice.objects.filter(pk=blue.pk).update(deducted=True)
    elif case == "red_form":
        red_form_create(blue_invoice=blue, initiator="0", reason="1", actor=approver)
    else:
        pay(blue, D("100.00"), actor=approver, on=ON)
    with pytest.raises(InvoiceNotVoidable):
        invoice_void(invoice=blue, reason="x", actor=approver, on=on)
    assert not Voucher.objects.filter(source_event__endswith=":void").exists()


def test_void_needs_a_reason_and_the_permission(delivery_books, clerk, approver, seller):
    blue = _paper(blue_invoice(clerk=clerk, approver=approver))
    with pytest.raises(RedLetterInvalid):
        invoice_void(invoice=blue, reason=" ", actor=approver, on=ON)
    with pytest.raises(DomainError):
        invoice_void(invoice=blue, reason="x", actor=seller, on=ON)
    invoice_void(invoice=blue, reason="x", actor=approver, on=ON)
    with pytest.raises(InvoiceNotInStatus):
        invoice_void(invoice=blue, reason="x", actor=approver, on=ON)
