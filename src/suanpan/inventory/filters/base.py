"""What the inventory FilterSets share: the styled filter form, and the filters of the goods
receipt and stock adjustment lists (search, warehouse, status, a date range)."""

from __future__ import annotations

from typing import Any, ClassVar

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.inventory.choices import StockDocumentStatus
from suanpan.inventory.models import Warehouse


class FilterForm(StyledFormMixin, forms.Form):
    pass


def warehouse_filter() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        queryset=Warehouse.objects.all(), label=_("Warehouse"), empty_label=_("All warehouses")
    )


class StockDocumentFilter(ListFilterSet):
    """A subclass names its `date_field` and `search_lookups`, and declares `q` (with its own
    help text) and `ordering` (with its own sorts) again; the filters keep this order."""

    date_field: ClassVar[str]

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    warehouse = warehouse_filter()
    status = django_filters.ChoiceFilter(
        choices=StockDocumentStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    date_from = date_filter(after=True, label=_("From"))
    date_to = date_filter(after=False, label=_("Until"))
    ordering = django_filters.OrderingFilter(fields=(), label=_("Sort by"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["date_from"].field_name = self.date_field
        self.filters["date_to"].field_name = self.date_field
