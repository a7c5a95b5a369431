"""Filter of the customer return list."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.customers.calculations import search_query_normalize
from suanpan.inventory.filters.base import FilterForm, warehouse_filter
from suanpan.inventory.models import DeliveryReturn

SORTS = (
    ("number", "number"),
    ("returned_on", "date"),
    ("customer__name_pinyin", "customer"),
    ("delivery__number", "delivery"),
    ("warehouse__code", "warehouse"),
    ("cost_amount", "cost"),
    ("net_amount", "amount"),
)


class DeliveryReturnFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Return or delivery number, customer (name, pinyin or initials), reason"),
    )
    warehouse = warehouse_filter()
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    delivery = django_filters.NumberFilter(field_name="delivery_id", label=_("Delivery"))
    date_from = date_filter(field_name="returned_on", after=True, label=_("From"))
    date_to = date_filter(field_name="returned_on", after=False, label=_("Until"))
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    class Meta:
        model = DeliveryReturn
        fields: list[str] = []
        form = FilterForm

    def filter_search(
        self, queryset: QuerySet[DeliveryReturn], name: str, value: str
    ) -> QuerySet[DeliveryReturn]:
        value = value.strip()
        if not value:
            return queryset
        match = (
            Q(number__icontains=value)
            | Q(delivery__number__icontains=value)
            | Q(reason__icontains=value)
            | Q(customer__name__icontains=value)
        )
        pinyin = search_query_normalize(value)
        if pinyin:
            match |= Q(customer__search_text__contains=pinyin)
        return queryset.filter(match)
