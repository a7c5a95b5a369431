"""Reads of goods receipts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from suanpan.inventory.calculations import postings_stock
from suanpan.inventory.filters.receipts import GoodsReceiptFilter
from suanpan.inventory.models import GoodsReceipt
from suanpan.inventory.selectors.documents import document_get, filtered_list, visible_with_perm
from suanpan.ledger.selectors import SourceVouchers, vouchers_for_source
from suanpan.users.models import User


def _visible(user: User) -> QuerySet[GoodsReceipt]:
    return visible_with_perm(user, GoodsReceipt, "inventory.view_goodsreceipt")


def receipt_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[GoodsReceipt], GoodsReceiptFilter]:
    base = _visible(user).select_related("warehouse", "created_by")
    return filtered_list(base, GoodsReceiptFilter, filters, ordering=("-received_on", "-id"))


def receipt_get(*, user: User, pk: int | str) -> GoodsReceipt:
    """One receipt with its lines and products; 404 for anything the user may not read."""
    return document_get(_visible(user), pk)


def receipt_vouchers(*, receipt: GoodsReceipt) -> SourceVouchers:
    """The vouchers the goods receipt posted (and, cancelled, reversed), in date order."""
    return vouchers_for_source(source_type=postings_stock.RECEIPT_SOURCE, source_ids=[receipt.pk])
