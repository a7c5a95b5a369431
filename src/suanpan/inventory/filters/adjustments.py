"""Filter of the stock adjustment list."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from suanpan.inventory.filters.base import FilterForm, StockDocumentFilter
from suanpan.inventory.models import StockAdjustment

SORTS = (
    ("number", "number"),
    ("adjusted_on", "date"),
    ("warehouse__code", "warehouse"),
    ("status", "status"),
)


class StockAdjustmentFilter(StockDocumentFilter):
    date_field = "adjusted_on"
    search_lookups = ("number__icontains", "reason__icontains")

    q = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Adjustment number or reason")
    )
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    class Meta:
        model = StockAdjustment
        fields: list[str] = []
        form = FilterForm
