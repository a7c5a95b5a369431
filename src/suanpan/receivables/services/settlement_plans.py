"""What a settlement is made of, shared by making, transferring and matching: the pairs, the
plan of one settlement, and an open item as settling reads it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from suanpan.customers.models import Customer
    from suanpan.customers.types import CustomerRef


@dataclass(frozen=True)
class Pair:
    """Settle `amount` of the debit item (an invoice's instalment, a refund) with the credit
    item (a receipt, an advance, a red invoice)."""

    debit_item_id: int
    credit_item_id: int
    amount: Decimal


@dataclass(frozen=True)
class SettlementPlan:
    """One settlement to make: a customer (locked by the caller) and the pairs it settles."""

    customer: Customer | CustomerRef
    pairs: Sequence[Pair]
    receipt_id: int | None = None
    notes: str = ""


# Which account an item is on, as settling reads it.
RECEIVABLE, ADVANCE = "receivable", "advance"


@dataclass(frozen=True)
class SideItem:
    """An open item as a settlement takes it, read from a model or from a list row: its
    customer ("" for another kind of dimension), signed amounts, the account it is on
    (RECEIVABLE, ADVANCE or "" for neither) and the document a settlement line names."""

    pk: int
    customer: str
    amount: Decimal
    open_amount: Decimal
    side: str
    source_type: str
    source_id: str
    label: str
