"""Filter of the goods receipt list."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import StyledFormMixin
from suanpan.inventory.choices import ReceiptStatus
from suanpan.inventory.models import GoodsReceipt, Warehouse


class FilterForm(StyledFormMixin, forms.Form):
    pass


SORTS = (
    ("number", "number"),
    ("received_on", "date"),
    ("supplier", "supplier"),
    ("warehouse__code", "warehouse"),
    ("status", "status"),
    ("total_amount", "total"),
)


class GoodsReceiptFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Receipt number or supplier")
    )
    warehouse = django_filters.ModelChoiceFilter(
        queryset=Warehouse.objects.all(), label=_("Warehouse"), empty_label=_("All warehouses")
    )
    status = django_filters.ChoiceFilter(
        choices=ReceiptStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    date_from = django_filters.DateFilter(
        field_name="received_on",
        lookup_expr="gte",
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        field_name="received_on",
        lookup_expr="lte",
        label=_("Until"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    class Meta:
        model = GoodsReceipt
        fields: list[str] = []
        form = FilterForm

    def filter_search(
        self, queryset: QuerySet[GoodsReceipt], name: str, value: str
    ) -> QuerySet[GoodsReceipt]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__icontains=value) | Q(supplier__icontains=value))
