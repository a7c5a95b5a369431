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
