"""Keeps each customer's auxiliary dimension (核算项目) in the ledger in step with the customer.

The ledger knows nothing of customers: it holds a dimension of kind "customer" whose code is
the customer number. The customer services call these functions inside their own transaction,
so a customer and its dimension are written together or not at all.

A dimension's code is part of every posted voucher's hash, so a code is never rewritten: a
customer whose number changes gets a new dimension and the old one is merged into it.
"""

from __future__ import annotations

from collections.abc import Iterable

from suanpan.customers.choices import CustomerStatus
from suanpan.customers.models import Customer
from suanpan.ledger import services as ledger
from suanpan.ledger.choices import DimensionKind

KIND = DimensionKind.CUSTOMER


def dimension_active(customer: Customer) -> bool:
    """Closed and merged customers take no new postings; every other status does."""
    return customer.status != CustomerStatus.CLOSED and customer.merged_into_id is None


def customer_dimension_sync(*, customer: Customer, previous_number: str = "") -> None:
    """Create or rename the customer's dimension and set whether it takes postings."""
    ledger.dimension_upsert(
        kind=KIND,
        code=customer.number,
        name=customer.name,
        is_active=dimension_active(customer),
    )
    if previous_number and previous_number != customer.number:
        ledger.dimension_merge(kind=KIND, source_code=previous_number, target_code=customer.number)


def customers_dimension_sync(*, customers: Iterable[Customer]) -> None:
    """The bulk path (import, demo data): one query per batch, whatever the count."""
    ledger.dimension_bulk_upsert(
        kind=KIND, rows=[(c.number, c.name, dimension_active(c)) for c in customers]
    )


def customer_dimension_merge(*, source: Customer, target: Customer) -> None:
    """The duplicate's dimension points at the survivor's and takes no new postings."""
    customer_dimension_sync(customer=target)
    customer_dimension_sync(customer=source)
    ledger.dimension_merge(kind=KIND, source_code=source.number, target_code=target.number)


def customer_dimension_retire(*, customer: Customer) -> None:
    """A customer deleted as a mistake: its dimension stays (lines may name it) but is closed."""
    ledger.dimension_upsert(kind=KIND, code=customer.number, name=customer.name, is_active=False)
