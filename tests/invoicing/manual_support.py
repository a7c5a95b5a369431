"""Builders for invoices entered by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from suanpan.invoicing.choices import InvoiceType
from suanpan.invoicing.models import Invoice
from suanpan.invoicing.services import ManualInvoiceInput, ManualLineInput, invoice_enter
from suanpan.users.models import User
from tests.invoicing.support import ON, invoice_number

D = Decimal
TAX_CODE = "1090511990000000000"


def line(amount: str | None = "1130.00", rate: str = "13", **kwargs: Any) -> ManualLineInput:
    values: dict[str, Any] = {
        "item_name": "技术服务费",
        "tax_code": TAX_CODE,
        "vat_rate_key": rate,
        "amount": None if amount is None else D(amount),
    }
    values.update(kwargs)
    return ManualLineInput(**values)


def entered(
    customer: Any,
    *,
    actor: User,
    lines: tuple[ManualLineInput, ...] | None = None,
    issued_on: date = ON,
    number: str | None = None,
    **kwargs: Any,
) -> Invoice:
    return invoice_enter(
        data=ManualInvoiceInput(
            customer_id=customer.pk,
            invoice_type=kwargs.pop("invoice_type", InvoiceType.E_SPECIAL),
            number=number or invoice_number(),
            issued_on=issued_on,
            lines=lines if lines is not None else (line(),),
            **kwargs,
        ),
        actor=actor,
    )


def red_against(blue: Invoice, *, actor: User, issued_on: date = ON, post: bool = True) -> Invoice:
    """A red invoice reversing all of `blue` (a sales allowance: it reduces revenue), recorded
    through the one writer as the red-letter services will."""
    from django.db import transaction

    from suanpan.invoicing.choices import InvoiceKind, InvoiceSource, RedReason
    from suanpan.invoicing.models import InvoiceLine
    from suanpan.invoicing.services import invoice_record
    from suanpan.invoicing.services.invoices import MODE_REVENUE

    red = Invoice(
        number=invoice_number(),
        kind=InvoiceKind.RED,
        invoice_type=blue.invoice_type,
        source=InvoiceSource.RED_LETTER,
        customer=blue.customer,
        original=blue,
        red_reason=RedReason.ALLOWANCE,
        issued_on=issued_on,
        buyer_name=blue.buyer_name,
        buyer_tax_number=blue.buyer_tax_number,
    )
    lines = [
        InvoiceLine(
            position=line.position,
            blue_line=line,
            item_name=line.item_name,
            tax_code=line.tax_code,
            quantity=-line.quantity if line.quantity else None,
            unit_price=line.unit_price,
            net_amount=-line.net_amount,
            vat_rate_key=line.vat_rate_key,
            vat_rate=line.vat_rate,
            tax_amount=-line.tax_amount,
            gross_amount=-line.gross_amount,
        )
        for line in blue.lines.order_by("position")
    ]
    with transaction.atomic():
        return invoice_record(invoice=red, lines=lines, actor=actor, post=post, mode=MODE_REVENUE)
