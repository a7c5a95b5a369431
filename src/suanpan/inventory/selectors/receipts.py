"""Reads of goods receipts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from suanpan.inventory import postings_stock
from suanpan.inventory.filters.receipts import GoodsReceiptFilter
from suanpan.inventory.models import GoodsReceipt
from suanpan.ledger.selectors import SourceVouchers, vouchers_for_source
from suanpan.users.models import User


def _visible(user: User) -> QuerySet[GoodsReceipt]:
    if not user.has_perm("inventory.view_goodsreceipt"):
        return GoodsReceipt.objects.none()
    return GoodsReceipt.objects.all()


def receipt_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[GoodsReceipt], GoodsReceiptFilter]:
    base = _visible(user).select_related("warehouse", "created_by")
    filterset = GoodsReceiptFilter(data=filters or {}, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    if not (filters or {}).get("ordering"):
        queryset = queryset.order_by("-received_on", "-id")
    return queryset, filterset


def receipt_get(*, user: User, pk: int | str) -> GoodsReceipt:
    """One receipt with its lines and products; 404 for anything the user may not read."""
    try:
        return (
            _visible(user)
            .select_related("warehouse", "created_by")
            .prefetch_related("lines__product")
            .get(pk=pk)
        )
    except (GoodsReceipt.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def receipt_vouchers(*, receipt: GoodsReceipt) -> SourceVouchers:
    """The vouchers the goods receipt posted (and, cancelled, reversed), in date order."""
    return vouchers_for_source(source_type=postings_stock.RECEIPT_SOURCE, source_ids=[receipt.pk])
