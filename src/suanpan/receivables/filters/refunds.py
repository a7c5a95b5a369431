"""Filters of the refund list, for the page and the API alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.receivables.choices import ReceiptStatus
from suanpan.receivables.models import Refund

REFUND_SORTS = (
    ("refunded_on", "refunded"),
    ("number", "number"),
    ("customer__name_pinyin", "customer"),
    ("amount", "amount"),
)


class RefundFilterForm(StyledFormMixin, forms.Form):
    pass


class RefundFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Refund number, customer, payee or reason"),
    )
    status = django_filters.ChoiceFilter(
        choices=ReceiptStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    refunded_from = date_filter(field_name="refunded_on", after=True, label=_("Refunded from"))
    refunded_to = date_filter(field_name="refunded_on", after=False, label=_("Refunded until"))
    ordering = django_filters.OrderingFilter(fields=REFUND_SORTS, label=_("Sort by"))

    search_lookups = (
        "number__icontains",
        "customer__name__icontains",
        "customer__number__iexact",
        "payee_name__icontains",
        "reason__icontains",
    )

    class Meta:
        model = Refund
        fields: list[str] = []
        form = RefundFilterForm
