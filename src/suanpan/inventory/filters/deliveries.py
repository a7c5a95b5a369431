"""Filter of the delivery list, for the page and the API alike."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.customers.calculations import search_query_normalize
from suanpan.inventory.choices import DeliveryStatus
from suanpan.inventory.filters.base import FilterForm, warehouse_filter
from suanpan.inventory.models import Delivery

SORTS = (
    ("number", "number"),
    ("customer__name_pinyin", "customer"),
    ("shipped_on", "shipped"),
    ("signed_on", "signed"),
    ("status", "status"),
    ("warehouse__code", "warehouse"),
    ("cost_amount", "cost"),
    ("net_amount", "amount"),
    ("created_at", "created"),
)


class DeliveryFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_(
            "Delivery or order number, customer (name, pinyin or initials), tracking number"
        ),
    )
    status = django_filters.ChoiceFilter(
        choices=DeliveryStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    warehouse = warehouse_filter()
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    order = django_filters.NumberFilter(
        field_name="order_id", label=pgettext_lazy("sales order", "Order")
    )
    shipped_from = date_filter(field_name="shipped_on", after=True, label=_("Shipped from"))
    shipped_to = date_filter(field_name="shipped_on", after=False, label=_("Shipped until"))
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    class Meta:
        model = Delivery
        fields: list[str] = []
        form = FilterForm

    def filter_search(
        self, queryset: QuerySet[Delivery], name: str, value: str
    ) -> QuerySet[Delivery]:
        value = value.strip()
        if not value:
            return queryset
        match = (
            Q(number__icontains=value)
            | Q(order__number__icontains=value)
            | Q(tracking_number__icontains=value)
            | Q(customer__name__icontains=value)
        )
        pinyin = search_query_normalize(value)
        if pinyin:
            match |= Q(customer__search_text__contains=pinyin)
        return queryset.filter(match)
