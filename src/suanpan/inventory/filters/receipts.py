"""Filter of the goods receipt list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from suanpan.inventory.filters.base import FilterForm, StockDocumentFilter
from suanpan.inventory.models import GoodsReceipt

SORTS = (
    ("number", "number"),
    ("received_on", "date"),
    ("supplier", "supplier"),
    ("warehouse__code", "warehouse"),
    ("status", "status"),
    ("total_amount", "total"),
)


class GoodsReceiptFilter(StockDocumentFilter):
    date_field = "received_on"
    search_lookups = ("number__icontains", "supplier__icontains")

    q = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Receipt number or supplier")
    )
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    class Meta:
        model = GoodsReceipt
        fields: list[str] = []
        form = FilterForm
