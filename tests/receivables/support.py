"""Builders for receivables tests: invoices (entered by hand, so posted with their open item),
receipts and the customer's open items."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from suanpan.invoicing.models import Invoice
from suanpan.ledger.models import OpenItem
from suanpan.ledger.selectors import open_items_for_source
from suanpan.receivables.models import Receipt
from suanpan.receivables.services import Allocation, ReceiptInput, receipt_create
from suanpan.users.models import User
from tests.invoicing.manual_support import entered, line

D = Decimal
ON = date(2026, 1, 10)


def invoice(customer: Any, gross: str, *, actor: User, issued_on: date = ON) -> Invoice:
    return entered(customer, actor=actor, lines=(line(gross),), issued_on=issued_on)


def invoice_item(invoice: Invoice) -> OpenItem:
    """The invoice's (single) open item on the receivable account."""
    items = [
        item
        for item in open_items_for_source(source_type="invoicing.invoice", source_ids=[invoice.pk])
        if item.amount > 0 and item.account.code.startswith("1122.01")
    ]
    assert len(items) == 1
    item = items[0]
    item.refresh_from_db()
    return item


def receipt_items(receipt: Receipt) -> list[OpenItem]:
    return open_items_for_source(source_type="receivables.receipt", source_ids=[receipt.pk])


def received(
    customer: Any,
    amount: str,
    *,
    actor: User,
    on: date = ON,
    allocations: tuple[tuple[OpenItem, str], ...] = (),
    **kwargs: Any,
) -> Receipt:
    return receipt_create(
        data=ReceiptInput(
            customer_id=customer.pk,
            received_on=on,
            amount=D(amount),
            allocations=tuple(Allocation(item.pk, D(a)) for item, a in allocations),
            **kwargs,
        ),
        actor=actor,
    )


def open_of(item: OpenItem) -> Decimal:
    item.refresh_from_db()
    return item.open_amount
