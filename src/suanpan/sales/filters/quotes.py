"""One FilterSet for the quote list page and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.customers.calculations import search_query_normalize
from suanpan.customers.selectors import customer_ids_matching
from suanpan.sales.choices import QuoteStatus
from suanpan.sales.models import Quote
from suanpan.users.models import User

if TYPE_CHECKING:
    pass

OPEN_STATUSES = (QuoteStatus.DRAFT, QuoteStatus.SENT)


class QuoteFilterForm(StyledFormMixin, forms.Form):
    pass


SORTS = (
    ("quoted_on", "quoted_on"),
    ("number", "number"),
    ("valid_until", "valid_until"),
    ("status", "status"),
    ("gross_amount", "amount"),
)


def search_condition(value: str) -> Q | None:
    """A document number's start, or the customer's name, pinyin or initials."""
    value = value.strip()
    if not value:
        return None
    condition = Q(number__startswith=value.upper())
    query = search_query_normalize(value)
    if query:
        # The customers' search text has a trigram index: find the customers first.
        customers = customer_ids_matching(query)
        condition |= Q(customer_id__in=customers)
    return condition


class QuoteFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Quote number, or the customer's name, pinyin or initials"),
    )
    status = django_filters.ChoiceFilter(
        choices=QuoteStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    expired = django_filters.BooleanFilter(
        method="filter_expired",
        label=_("Expired"),
        widget=forms.NullBooleanSelect,
        help_text=_("Draft or sent quotes past their validity"),
    )
    # An id, not a choice list: there may be hundreds of thousands of customers.
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    opportunity = django_filters.NumberFilter(field_name="opportunity_id", label=_("Opportunity"))
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(is_active=True), label=_("Owner"), empty_label=_("All owners")
    )
    quoted_after = date_filter(field_name="quoted_on", after=True, label=_("Quoted from"))
    quoted_before = date_filter(field_name="quoted_on", after=False, label=_("Quoted until"))
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    class Meta:
        model = Quote
        fields: list[str] = []
        form = QuoteFilterForm

    def filter_search(self, queryset: QuerySet[Quote], name: str, value: str) -> QuerySet[Quote]:
        condition = search_condition(value)
        return queryset if condition is None else queryset.filter(condition)

    def filter_expired(
        self, queryset: QuerySet[Quote], name: str, value: bool | None
    ) -> QuerySet[Quote]:
        if value is None:
            return queryset
        expired = Q(status__in=OPEN_STATUSES, valid_until__lt=timezone.localdate())
        return queryset.filter(expired if value else ~expired)
