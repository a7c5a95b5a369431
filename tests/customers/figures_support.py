"""A customer who owes something, posted the way invoices and receipts post, for the tests of
the figures beside customers (list, page, API).

Shared by several test modules: keep the signature stable.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from suanpan.customers.models import Customer
from suanpan.ledger import services as ledger
from suanpan.ledger.models import OpenItem
from suanpan.users.models import User
from tests.factories import CustomerFactory
from tests.ledger.builders import invoice_event, receipt_event

# What `customer_owing` leaves open, as the pages print it.
BALANCE = "189.00"
OVERDUE = "13.00"
DAYS_TO_PAY = 36


def customer_owing(*, owner: User, accountant: User, credit_limit: str = "1000.00") -> Customer:
    """A customer of `owner` with a 113.00 invoice posted 40 days ago and due 15 days later, of
    which 100.00 was settled 36 days after posting; a 226.00 invoice not yet due; a receipt of
    50.00 not yet applied. Balance 189.00, overdue 13.00, 36 days to pay."""
    customer = CustomerFactory(owner=owner, credit_limit_amount=Decimal(credit_limit))
    ledger.dimension_upsert(kind="customer", code=customer.number, name=customer.name)
    today = timezone.localdate()
    posted = today - timedelta(days=40)
    tag = customer.number
    for event in (
        invoice_event(
            f"{tag}-1", "113.00", on=posted, due=posted + timedelta(days=15), customer=tag
        ),
        invoice_event(
            f"{tag}-2",
            "226.00",
            on=today - timedelta(days=10),
            due=today + timedelta(days=20),
            customer=tag,
        ),
        receipt_event(f"{tag}-R1", "100.00", on=posted + timedelta(days=36), customer=tag),
        receipt_event(f"{tag}-R2", "50.00", on=today - timedelta(days=1), customer=tag),
    ):
        ledger.posting_post(event=event, actor=accountant)
    ledger.open_item_match(
        actor=accountant,
        debit_item=OpenItem.objects.get(source_id=f"{tag}-1"),
        credit_item=OpenItem.objects.get(source_id=f"{tag}-R1"),
        amount=Decimal("100.00"),
        on=posted + timedelta(days=36),
    )
    return customer
