"""Builders for payment plan tests: a contract with its instalments, and invoices issued for an
instalment through the request (开票申请) as the invoicing pages do."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from suanpan.invoicing.choices import InvoiceType, RequestSource
from suanpan.invoicing.models import Invoice
from suanpan.invoicing.services import (
    IssueInput,
    RequestInput,
    RequestLineInput,
    invoice_issue,
    request_approve,
    request_create,
)
from suanpan.sales.models import Contract, PaymentInstalment
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import UserFactory
from tests.invoicing.support import invoice_number

D = Decimal
ISSUED_ON = date(2026, 11, 12)


def contract_with_plan(
    customer: Any, *, owner: User, plan: tuple[tuple[str, date], ...], number: str = ""
) -> tuple[Contract, list[PaymentInstalment]]:
    """An active contract of `customer` whose plan is `plan` (amount, due date) in order."""
    total = sum((D(amount) for amount, _due in plan), D(0))
    contract = Contract.objects.create(
        number=number or f"HT-{Contract.objects.count() + 1:04d}",
        title="设备采购",
        customer=customer,
        amount=total,
        owner=owner,
        status="active",
    )
    instalments = [
        PaymentInstalment.objects.create(
            contract=contract, position=position, due_on=due, amount=D(amount)
        )
        for position, (amount, due) in enumerate(plan, start=1)
    ]
    return contract, instalments


def instalment_invoiced(
    instalment: PaymentInstalment, gross: str, *, maker: User, issued_on: date = ISSUED_ON
) -> Invoice:
    """An invoice of `gross` (13% VAT included) for the instalment, requested by `maker` and
    approved and issued by a second accountant."""
    request = request_create(
        data=RequestInput(
            source=RequestSource.INSTALMENT,
            invoice_type=InvoiceType.E_SPECIAL,
            instalment_id=instalment.pk,
            lines=(
                RequestLineInput(
                    item_name="设备款",
                    tax_code="1090000000000000000",
                    vat_rate_key="13",
                    amount=D(gross),
                ),
            ),
            requested_on=issued_on,
        ),
        actor=maker,
    )
    approver = UserFactory(role=Role.ACCOUNTANT)
    request_approve(request=request, actor=approver)
    return invoice_issue(
        request=request,
        data=IssueInput(number=invoice_number(), issued_on=issued_on),
        actor=approver,
    )
