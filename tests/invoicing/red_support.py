"""Builders for the red-letter tests: an invoice issued for a shipped order, its receivable
items, a payment against it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from suanpan.invoicing.models import Invoice
from suanpan.ledger.models import OpenItem
from suanpan.ledger.services import PostingEvent, RoleLine, open_item_match, posting_post
from suanpan.ledger.types import Role
from suanpan.users.models import User
from tests.invoicing.support import issued, shipped_order

D = Decimal


def blue_invoice(*, clerk: User, approver: User, deducted: bool = False, **kwargs: Any) -> Invoice:
    """An invoice for 10 units at 113.00 incl. 13% VAT (net 1000, tax 130), cost 600."""
    order = shipped_order(actor=clerk, **kwargs)
    invoice = issued(order, maker=clerk, approver=approver)
    if deducted:
        Invoice.objects.filter(pk=invoice.pk).update(deducted=True)
        invoice.refresh_from_db()
    return invoice


def receivable_items(invoice: Invoice) -> list[OpenItem]:
    return list(
        OpenItem.objects.filter(source_type="invoicing.invoice", source_id=str(invoice.pk))
        .exclude(account__code__startswith="1122.99")
        .order_by("pk")
    )


def pay(invoice: Invoice, amount: Decimal, *, actor: User, on: date) -> None:
    """A receipt (Dr bank / Cr receivable) settled against the invoice's item."""
    posting_post(
        event=PostingEvent(
            source_type="tests.receipt",
            source_id=str(invoice.pk),
            event="receive",
            date=on,
            summary="receipt",
            lines=(
                RoleLine(Role.BANK, debit=amount),
                RoleLine(Role.RECEIVABLE, credit=amount, dimension_code=invoice.customer.number),
            ),
        ),
        actor=actor,
    )
    credit = OpenItem.objects.get(source_type="tests.receipt", source_id=str(invoice.pk))
    debit = receivable_items(invoice)[0]
    open_item_match(actor=actor, debit_item=debit, credit_item=credit, amount=amount, on=on)
