"""Filters of stock on hand and of a product's stock ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from suanpan.catalog.selectors import product_search_match, products_all
from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.inventory.filters.base import FilterForm, warehouse_filter
from suanpan.inventory.models import StockLevel, StockMove

if TYPE_CHECKING:
    pass

STOCK_SORTS = (
    ("product__code", "product"),
    ("product__name", "name"),
    ("warehouse__code", "warehouse"),
    ("quantity", "quantity"),
    # Aliases the stock selector adds: sort keys only, never shown.
    ("unit_cost_sort", "unit_cost"),
    ("value_sort", "value"),
)


class StockLevelFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Product code, name, pinyin or initials"),
    )
    warehouse = warehouse_filter()
    product = django_filters.ModelChoiceFilter(
        queryset=products_all(), label=_("Product"), widget=forms.HiddenInput
    )
    nonzero = django_filters.BooleanFilter(
        method="filter_nonzero", label=_("Only with stock"), widget=forms.CheckboxInput
    )
    ordering = django_filters.OrderingFilter(fields=STOCK_SORTS, label=_("Sort by"))

    class Meta:
        model = StockLevel
        fields: list[str] = []
        form = FilterForm

    def filter_search(
        self, queryset: QuerySet[StockLevel], name: str, value: str
    ) -> QuerySet[StockLevel]:
        if not value.strip():
            return queryset
        return queryset.filter(product__in=product_search_match(products_all(), value))

    def filter_nonzero(
        self, queryset: QuerySet[StockLevel], name: str, value: bool | None
    ) -> QuerySet[StockLevel]:
        return queryset.exclude(quantity=0) if value else queryset


class StockMoveFilter(ListFilterSet):
    """The stock ledger of one product: optional warehouse and date range."""

    warehouse = warehouse_filter()
    date_from = date_filter(field_name="moved_on", after=True, label=_("From"))
    date_to = date_filter(field_name="moved_on", after=False, label=_("Until"))

    class Meta:
        model = StockMove
        fields: list[str] = []
        form = FilterForm
