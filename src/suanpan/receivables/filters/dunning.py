"""Filters of the dunning letters and promises to pay, for the pages and the API alike."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet
from suanpan.core.forms import StyledFormMixin
from suanpan.receivables.choices import LetterStatus, PromiseStatus
from suanpan.receivables.models import DunningLetter, PaymentPromise


class DunningFilterForm(StyledFormMixin, forms.Form):
    pass


def _customer_search(queryset: QuerySet[Any], value: str) -> QuerySet[Any]:
    value = value.strip()
    if not value:
        return queryset
    return queryset.filter(
        Q(customer__name__icontains=value)
        | Q(customer__number__iexact=value)
        | Q(customer__name_initials__icontains=value)
    )


class LetterFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Customer, subject or address")
    )
    status = django_filters.ChoiceFilter(
        choices=LetterStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    run_on = django_filters.DateFilter(field_name="run__run_on", label=_("Run on"))
    ordering = django_filters.OrderingFilter(
        fields=(("run__run_on", "run_on"), ("customer__name_pinyin", "customer")),
        label=_("Sort by"),
    )

    class Meta:
        model = DunningLetter
        fields: list[str] = []
        form = DunningFilterForm

    def filter_search(
        self, queryset: QuerySet[DunningLetter], name: str, value: str
    ) -> QuerySet[DunningLetter]:
        found = _customer_search(queryset, value)
        value = value.strip()
        if not value:
            return found
        return found | queryset.filter(Q(subject__icontains=value) | Q(to_email__icontains=value))


class PromiseFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Customer")
    )
    status = django_filters.ChoiceFilter(
        choices=PromiseStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    due_by = django_filters.DateFilter(
        field_name="promised_on", lookup_expr="lte", label=_("Promised by")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("promised_on", "promised_on"), ("amount", "amount")), label=_("Sort by")
    )

    class Meta:
        model = PaymentPromise
        fields: list[str] = []
        form = DunningFilterForm

    def filter_search(
        self, queryset: QuerySet[PaymentPromise], name: str, value: str
    ) -> QuerySet[PaymentPromise]:
        return _customer_search(queryset, value)
