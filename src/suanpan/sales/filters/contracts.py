"""One FilterSet for the contract list page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.sales.choices import ContractStatus
from suanpan.sales.filters.quotes import search_condition
from suanpan.sales.models import Contract
from suanpan.users.models import User


class ContractFilterForm(StyledFormMixin, forms.Form):
    pass


SORTS = (
    ("created_at", "created"),
    ("number", "number"),
    ("signed_on", "signed_on"),
    ("ends_on", "ends_on"),
    ("status", "status"),
    ("amount", "amount"),
)


class ContractFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Contract number, or the customer's name, pinyin or initials"),
    )
    status = django_filters.ChoiceFilter(
        choices=ContractStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    quote = django_filters.NumberFilter(field_name="quote_id", label=_("Quote"))
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(is_active=True), label=_("Owner"), empty_label=_("All owners")
    )
    signed_after = date_filter(field_name="signed_on", after=True, label=_("Signed from"))
    signed_before = date_filter(field_name="signed_on", after=False, label=_("Signed until"))
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    class Meta:
        model = Contract
        fields: list[str] = []
        form = ContractFilterForm

    def filter_search(
        self, queryset: QuerySet[Contract], name: str, value: str
    ) -> QuerySet[Contract]:
        condition = search_condition(value)
        return queryset if condition is None else queryset.filter(condition)
