"""Reads of stock adjustments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404

from suanpan.inventory import postings_stock
from suanpan.inventory.filters.adjustments import StockAdjustmentFilter
from suanpan.inventory.models import StockAdjustment
from suanpan.ledger.selectors import SourceVouchers, vouchers_for_source
from suanpan.users.models import User


def _visible(user: User) -> QuerySet[StockAdjustment]:
    if not user.has_perm("inventory.view_stockadjustment"):
        return StockAdjustment.objects.none()
    return StockAdjustment.objects.all()


def adjustment_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[StockAdjustment], StockAdjustmentFilter]:
    base = (
        _visible(user).select_related("warehouse", "created_by").annotate(line_count=Count("lines"))
    )
    filterset = StockAdjustmentFilter(data=filters or {}, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    if not (filters or {}).get("ordering"):
        queryset = queryset.order_by("-adjusted_on", "-id")
    return queryset, filterset


def adjustment_get(*, user: User, pk: int | str) -> StockAdjustment:
    try:
        return (
            _visible(user)
            .select_related("warehouse", "created_by")
            .prefetch_related("lines__product")
            .get(pk=pk)
        )
    except (StockAdjustment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def adjustment_vouchers(*, adjustment: StockAdjustment) -> SourceVouchers:
    """The voucher the stock adjustment posted."""
    return vouchers_for_source(
        source_type=postings_stock.ADJUSTMENT_SOURCE, source_ids=[adjustment.pk]
    )
