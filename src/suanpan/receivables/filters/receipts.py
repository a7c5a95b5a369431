"""Filters of the receipt and settlement lists, for the pages, the API and exports alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.receivables.choices import ReceiptMethod, ReceiptStatus, SettlementKind
from suanpan.receivables.models import Receipt, Settlement

RECEIPT_SORTS = (
    ("received_on", "received"),
    ("number", "number"),
    ("customer__name_pinyin", "customer"),
    ("amount", "amount"),
    ("method", "method"),
)
SETTLEMENT_SORTS = (
    ("settled_on", "settled"),
    ("number", "number"),
    ("customer__name_pinyin", "customer"),
    ("amount", "amount"),
)


class ReceiptFilterForm(StyledFormMixin, forms.Form):
    pass


class ReceiptFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Receipt number, customer, payer or reference"),
    )
    status = django_filters.ChoiceFilter(
        choices=ReceiptStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    method = django_filters.ChoiceFilter(
        choices=ReceiptMethod.choices, label=_("Method"), empty_label=_("All methods")
    )
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    received_from = date_filter(field_name="received_on", after=True, label=_("Received from"))
    received_to = date_filter(field_name="received_on", after=False, label=_("Received until"))
    ordering = django_filters.OrderingFilter(fields=RECEIPT_SORTS, label=_("Sort by"))

    search_lookups = (
        "number__icontains",
        "customer__name__icontains",
        "customer__number__iexact",
        "payer_name__icontains",
        "reference__icontains",
    )

    class Meta:
        model = Receipt
        fields: list[str] = []
        form = ReceiptFilterForm


class SettlementFilterForm(StyledFormMixin, forms.Form):
    pass


class SettlementFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Settlement number or customer")
    )
    kind = django_filters.ChoiceFilter(
        choices=SettlementKind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    undone = django_filters.BooleanFilter(
        field_name="undone_on", lookup_expr="isnull", exclude=True, label=_("Undone")
    )
    ordering = django_filters.OrderingFilter(fields=SETTLEMENT_SORTS, label=_("Sort by"))

    search_lookups = (
        "number__icontains",
        "customer__name__icontains",
        "customer__number__iexact",
    )

    class Meta:
        model = Settlement
        fields: list[str] = []
        form = SettlementFilterForm
