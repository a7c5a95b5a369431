"""One FilterSet for the order list page and the API."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListedModelChoiceFilter, ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.customers.calculations import search_query_normalize
from suanpan.customers.selectors import customer_ids_matching
from suanpan.sales.choices import OrderStatus
from suanpan.sales.models import SalesOrder
from suanpan.users.models import User

if TYPE_CHECKING:
    pass

# What an order number starts with: XS-2026…, xs-202611-00.
ORDER_NUMBER = re.compile(r"^[A-Za-z]{2}-\d")


class OrderFilterForm(StyledFormMixin, forms.Form):
    pass


# Every sort has an index, so a sorted first page of a million orders is read, not sorted.
SORTS = (
    ("ordered_on", "ordered_on"),
    ("number", "number"),
    ("status", "status"),
    ("gross_amount", "amount"),
)


class OrderFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Order number, or the customer's name, pinyin or initials"),
    )
    status = django_filters.ChoiceFilter(
        choices=OrderStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    # An id, not a choice list: there may be hundreds of thousands of customers.
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    owner = ListedModelChoiceFilter(
        queryset=User.objects.filter(is_active=True), label=_("Owner"), empty_label=_("All owners")
    )
    ordered_after = date_filter(field_name="ordered_on", after=True, label=_("Ordered from"))
    ordered_before = date_filter(field_name="ordered_on", after=False, label=_("Ordered until"))
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    class Meta:
        model = SalesOrder
        fields: list[str] = []
        form = OrderFilterForm

    def filter_search(
        self, queryset: QuerySet[SalesOrder], name: str, value: str
    ) -> QuerySet[SalesOrder]:
        value = value.strip()
        if not value:
            return queryset
        if ORDER_NUMBER.match(value):
            # An order number: its unique index answers a prefix search.
            return queryset.filter(number__startswith=value.upper())
        query = search_query_normalize(value)
        # The customers' search text has a trigram index: find the customers first. Kept apart
        # from the number search, as an OR of the two would read the whole orders table.
        customers = customer_ids_matching(query)
        return queryset.filter(customer_id__in=customers)
