"""Issuing invoices from requests: postings under both revenue policies, order lines billed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from suanpan.core.errors import DomainError
from suanpan.invoicing.choices import InvoiceStatus, RequestStatus
from suanpan.invoicing.errors import (
    InvoiceNumberInvalid,
    InvoiceNumberTaken,
    OwnRequestApproval,
    RequestExceedsOrder,
)
from suanpan.invoicing.services import IssueInput, RequestLineInput, invoice_issue, request_approve
from suanpan.ledger.choices import AccountRole
from tests.inventory.deliveries_support import balance
from tests.invoicing.support import ON, invoice_number, issued, request_for, shipped_order

pytestmark = pytest.mark.django_db
D = Decimal


def test_issue_on_delivery_moves_unbilled_to_receivable(delivery_books, clerk, approver):
    order = shipped_order(actor=clerk)
    customer = order.customer.number
    assert balance(AccountRole.RECEIVABLE_UNBILLED, dimension=customer) == D("1130.00")
    invoice = issued(order, maker=clerk, approver=approver)
    assert invoice.gross_amount == D("1130.00")
    assert invoice.status == InvoiceStatus.ISSUED
    assert balance(AccountRole.RECEIVABLE_UNBILLED, dimension=customer) == 0
    assert balance(AccountRole.RECEIVABLE, dimension=customer) == D("1130.00")
    assert balance(AccountRole.VAT_OUTPUT_PENDING) == 0
    assert balance(AccountRole.VAT_OUTPUT) == D("-130.00")
    line = order.lines.get()
    assert line.invoiced_quantity == D(10)
    assert invoice.request.status == RequestStatus.ISSUED


def test_issue_on_invoice_recognises_revenue_and_cost(on_invoice, clerk, approver):
    order = shipped_order(actor=clerk, sign=True)
    assert balance(AccountRole.GOODS_SHIPPED) == D("600.00")
    request = request_for(
        order,
        actor=clerk,
        lines=(RequestLineInput(order_line_id=order.lines.get().pk, quantity=D(4)),),
    )
    request_approve(request=request, actor=approver)
    invoice = invoice_issue(
        request=request, data=IssueInput(number=invoice_number(), issued_on=ON), actor=approver
    )
    assert invoice.gross_amount == D("452.00")
    assert balance(AccountRole.REVENUE) == D("-400.00")
    assert balance(AccountRole.COGS) == D("240.00")
    assert balance(AccountRole.GOODS_SHIPPED) == D("360.00")
    rest = issued(order, maker=clerk, approver=approver)
    assert rest.gross_amount == D("678.00")
    assert balance(AccountRole.GOODS_SHIPPED) == 0
    assert balance(AccountRole.REVENUE) == D("-1000.00")
    assert balance(AccountRole.RECEIVABLE, dimension=order.customer.number) == D("1130.00")


def test_requests_hold_the_quantity_and_never_exceed_it(delivery_books, clerk):
    order = shipped_order(actor=clerk)
    line = order.lines.get()
    request_for(order, actor=clerk, lines=(RequestLineInput(order_line_id=line.pk, quantity=D(7)),))
    with pytest.raises(RequestExceedsOrder):
        request_for(
            order, actor=clerk, lines=(RequestLineInput(order_line_id=line.pk, quantity=D(4)),)
        )
    rest = request_for(order, actor=clerk)
    assert rest.lines.get().quantity == D(3)


def test_maker_cannot_approve_own_request(delivery_books, clerk):
    order = shipped_order(actor=clerk)
    request = request_for(order, actor=clerk)
    with pytest.raises(OwnRequestApproval):
        request_approve(request=request, actor=clerk)


def test_invoice_numbers_are_twenty_digits_and_unique(delivery_books, clerk, approver):
    order = shipped_order(actor=clerk, lines=[("10", "113.00"), ("5", "50.00")])
    lines = list(order.lines.all())
    first = request_for(order, actor=clerk, lines=(RequestLineInput(order_line_id=lines[0].pk),))
    second = request_for(order, actor=clerk, lines=(RequestLineInput(order_line_id=lines[1].pk),))
    for request in (first, second):
        request_approve(request=request, actor=approver)
    with pytest.raises(InvoiceNumberInvalid):
        invoice_issue(request=first, data=IssueInput(number="12345", issued_on=ON), actor=approver)
    number = invoice_number()
    invoice_issue(request=first, data=IssueInput(number=number, issued_on=ON), actor=approver)
    with pytest.raises(InvoiceNumberTaken):
        invoice_issue(request=second, data=IssueInput(number=number, issued_on=ON), actor=approver)
    assert isinstance(InvoiceNumberTaken(number="x"), DomainError)


def test_an_order_under_a_contract_falls_due_by_its_plan(delivery_books, clerk, approver):
    from datetime import date

    from suanpan.ledger.models import OpenItem
    from suanpan.sales.models import Contract, PaymentInstalment

    order = shipped_order(actor=clerk)
    contract = Contract.objects.create(
        number="HT-PLAN-1",
        title="设备采购",
        customer=order.customer,
        amount=D("1130.00"),
        owner=order.owner,
        status="active",
    )
    for position, (due, amount) in enumerate(
        [
            (date(2026, 12, 1), "339.00"),
            (date(2027, 1, 1), "678.00"),
            (date(2027, 11, 30), "113.00"),
        ],
        start=1,
    ):
        PaymentInstalment.objects.create(
            contract=contract, position=position, due_on=due, amount=D(amount)
        )
    order.contract = contract
    order.save()
    invoice = issued(order, maker=clerk, approver=approver)
    items = OpenItem.objects.filter(source_id=str(invoice.pk)).order_by("due_on")
    assert [(item.due_on, item.amount) for item in items] == [
        (date(2026, 12, 1), D("339.00")),
        (date(2027, 1, 1), D("678.00")),
        (date(2027, 11, 30), D("113.00")),
    ]
    assert invoice.first_due_on == date(2026, 12, 1)


def test_a_contract_is_billed_by_its_plan_or_its_orders_not_both(delivery_books, clerk, approver):
    from datetime import date

    from suanpan.invoicing.choices import InvoiceType, RequestSource
    from suanpan.invoicing.errors import RequestInvalid
    from suanpan.invoicing.services import RequestInput, request_create
    from suanpan.sales.models import Contract, PaymentInstalment

    order = shipped_order(actor=clerk)
    contract = Contract.objects.create(
        number="HT-PLAN-2",
        title="设备采购",
        customer=order.customer,
        amount=D("1130.00"),
        owner=order.owner,
        status="active",
    )
    deposit = PaymentInstalment.objects.create(
        contract=contract, position=1, due_on=date(2026, 12, 1), amount=D("1130.00")
    )
    order.contract = contract
    order.save()
    request = request_create(
        data=RequestInput(
            source=RequestSource.INSTALMENT,
            invoice_type=InvoiceType.E_SPECIAL,
            instalment_id=deposit.pk,
            lines=(
                RequestLineInput(
                    item_name="设备款（预收30%）",
                    tax_code="1090000000000000000",
                    vat_rate_key="13",
                    amount=D("339.00"),
                ),
            ),
            requested_on=ON,
        ),
        actor=clerk,
    )
    assert (request.net_amount, request.tax_amount) == (D("300.00"), D("39.00"))
    with pytest.raises(RequestInvalid) as refused:
        request_for(order, actor=clerk)
    assert "order_id" in refused.value.fields
