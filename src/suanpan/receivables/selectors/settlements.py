"""Reads of settlements (核销) and of what a customer has open on either side."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from suanpan.core.listing import list_filtered
from suanpan.customers.selectors import customer_scoped
from suanpan.ledger.selectors import OpenItemRow
from suanpan.receivables.filters.receipts import SettlementFilter
from suanpan.receivables.models import Settlement
from suanpan.receivables.selectors.sides import open_sides
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer


def settlement_visible(*, user: User) -> QuerySet[Settlement]:
    return customer_scoped(Settlement.objects.all(), user=user, perm="receivables.view_settlement")


def settlement_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[Settlement], SettlementFilter]:
    base = settlement_visible(user=user).select_related("customer", "receipt")
    filterset = SettlementFilter(data=filters or {}, queryset=base)
    rows = list_filtered(filterset, base=base, default_ordering=("-settled_on", "-id"))
    return rows, filterset


def settlement_get(*, user: User, pk: int | str) -> Settlement:
    try:
        return (
            settlement_visible(user=user)
            .select_related("customer", "receipt", "created_by", "undone_by")
            .prefetch_related("lines")
            .get(pk=pk)
        )
    except (Settlement.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


@dataclass(frozen=True)
class OpenSides:
    """A customer's open debits and credits, side by side, with their totals (positive)."""

    debits: list[OpenItemRow]
    credits: list[OpenItemRow]

    @property
    def debit_total(self) -> Decimal:
        return sum((row.open_amount for row in self.debits), Decimal(0))

    @property
    def credit_total(self) -> Decimal:
        return -sum((row.open_amount for row in self.credits), Decimal(0))


def customer_open_sides(*, customer: Customer) -> OpenSides:
    """What the 核销 screen shows: open debits oldest due first, open credits oldest first."""
    debits, credits = open_sides(customer)
    return OpenSides(debits=debits, credits=credits)
