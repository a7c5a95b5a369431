"""Filter of the stock adjustment list."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import StyledFormMixin
from suanpan.inventory.choices import ReceiptStatus
from suanpan.inventory.models import StockAdjustment, Warehouse


class FilterForm(StyledFormMixin, forms.Form):
    pass


SORTS = (
    ("number", "number"),
    ("adjusted_on", "date"),
    ("warehouse__code", "warehouse"),
    ("status", "status"),
)


class StockAdjustmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Adjustment number or reason")
    )
    warehouse = django_filters.ModelChoiceFilter(
        queryset=Warehouse.objects.all(), label=_("Warehouse"), empty_label=_("All warehouses")
    )
    status = django_filters.ChoiceFilter(
        choices=ReceiptStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    date_from = django_filters.DateFilter(
        field_name="adjusted_on",
        lookup_expr="gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="adjusted_on",
        lookup_expr="lte",
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    class Meta:
        model = StockAdjustment
        fields: list[str] = []
        form = FilterForm

    def filter_search(
        self, queryset: QuerySet[StockAdjustment], name: str, value: str
    ) -> QuerySet[StockAdjustment]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(reason__icontains=value))
