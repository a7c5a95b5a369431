"""Reads of stock adjustments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, QuerySet

from suanpan.inventory.calculations import postings_stock
from suanpan.inventory.filters.adjustments import StockAdjustmentFilter
from suanpan.inventory.models import StockAdjustment
from suanpan.inventory.selectors.documents import document_get, filtered_list, visible_with_perm
from suanpan.ledger.selectors import SourceVouchers, vouchers_for_source
from suanpan.users.models import User


def _visible(user: User) -> QuerySet[StockAdjustment]:
    return visible_with_perm(user, StockAdjustment, "inventory.view_stockadjustment")


def adjustment_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[StockAdjustment], StockAdjustmentFilter]:
    base = (
        _visible(user).select_related("warehouse", "created_by").annotate(line_count=Count("lines"))
    )
    return filtered_list(base, StockAdjustmentFilter, filters, ordering=("-adjusted_on", "-id"))


def adjustment_get(*, user: User, pk: int | str) -> StockAdjustment:
    """One adjustment with its lines and products; 404 for anything the user may not read."""
    return document_get(_visible(user), pk)


def adjustment_vouchers(*, adjustment: StockAdjustment) -> SourceVouchers:
    """The voucher the stock adjustment posted."""
    return vouchers_for_source(
        source_type=postings_stock.ADJUSTMENT_SOURCE, source_ids=[adjustment.pk]
    )
