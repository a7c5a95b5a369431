"""Reads of refunds (退款单), scoped by the customers the user sees, and what a customer has
open to pay back."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from suanpan.core.history import history_entries
from suanpan.core.listing import list_filtered
from suanpan.customers.selectors import customer_scoped
from suanpan.ledger.selectors import SourceVouchers, vouchers_for_source
from suanpan.receivables.calculations import postings
from suanpan.receivables.filters.refunds import RefundFilter
from suanpan.receivables.models import Refund, RefundLine
from suanpan.receivables.selectors.sides import open_sides
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

ZERO = Decimal(0)


def refund_visible(*, user: User) -> QuerySet[Refund]:
    return customer_scoped(Refund.objects.all(), user=user, perm="receivables.view_refund")


def refund_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[Refund], RefundFilter]:
    """Refunds, filtered and sorted (newest first unless asked otherwise)."""
    base = refund_visible(user=user).select_related("customer", "bank_account")
    filterset = RefundFilter(data=filters or {}, queryset=base)
    rows = list_filtered(filterset, base=base, default_ordering=("-refunded_on", "-id"))
    return rows, filterset


def refund_get(*, user: User, pk: int | str) -> Refund:
    """One refund the user may see; any other id answers 404."""
    try:
        return (
            refund_visible(user=user)
            .select_related("customer", "bank_account", "created_by", "cancelled_by")
            .get(pk=pk)
        )
    except (Refund.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def refund_lines(refund: Refund) -> QuerySet[RefundLine]:
    """The credits the refund paid back, in the order taken."""
    return refund.lines.select_related("match").order_by("pk")


def refund_vouchers(*, refund: Refund) -> SourceVouchers:
    """The refund's voucher and, once cancelled, its red reversal."""
    return vouchers_for_source(source_type=postings.SOURCE_REFUND, source_ids=[refund.pk])


def refund_history(*, refund: Refund, limit: int = 50) -> list[dict[str, Any]]:
    records = refund.history.select_related("history_user").order_by("-history_id")
    return history_entries(list(records[: limit + 1]), limit=limit)


def customer_refundable(*, customer: Customer) -> Decimal:
    """What the customer has open to pay back: its advances and credits, as a positive amount."""
    _debits, credits = open_sides(customer)
    return -sum((row.open_amount for row in credits), ZERO)
