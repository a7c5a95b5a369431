"""Filter of the warehouse list."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suanpan.core.filtering import ListFilterSet
from suanpan.inventory.filters.base import FilterForm
from suanpan.inventory.models import Warehouse

ACTIVE_CHOICES = (
    ("true", pgettext_lazy("warehouse filter", "Active")),
    ("false", pgettext_lazy("warehouse filter", "Inactive")),
)


class WarehouseFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Code, name or address")
    )
    active = django_filters.ChoiceFilter(
        choices=ACTIVE_CHOICES,
        method="filter_active",
        label=pgettext_lazy("warehouse filter", "Status"),
        empty_label=_("All warehouses"),
    )
    ordering = django_filters.OrderingFilter(
        fields=(("code", "code"), ("name", "name")), label=_("Sort by")
    )

    class Meta:
        model = Warehouse
        fields: list[str] = []
        form = FilterForm

    def filter_search(
        self, queryset: QuerySet[Warehouse], name: str, value: str
    ) -> QuerySet[Warehouse]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(address__icontains=value)
        )

    def filter_active(
        self, queryset: QuerySet[Warehouse], name: str, value: str
    ) -> QuerySet[Warehouse]:
        if value in ("true", "false"):
            return queryset.filter(is_active=value == "true")
        return queryset
