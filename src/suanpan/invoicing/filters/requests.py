"""Filter of the invoice request list, for the page and the API alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.invoicing.choices import REQUESTABLE_TYPES, InvoiceType, RequestStatus
from suanpan.invoicing.models import InvoiceRequest

SORTS = (
    ("number", "number"),
    ("customer__name_pinyin", "customer"),
    ("buyer_name", "buyer"),
    ("requested_on", "requested"),
    ("status", "status"),
    ("invoice_type", "type"),
    ("gross_amount", "amount"),
    ("created_at", "created"),
)


class FilterForm(StyledFormMixin, forms.Form):
    pass


class RequestFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Request number, buyer name or order number"),
    )
    status = django_filters.ChoiceFilter(
        choices=RequestStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    invoice_type = django_filters.ChoiceFilter(
        choices=[(value, InvoiceType(value).label) for value in REQUESTABLE_TYPES],
        label=_("Invoice type"),
        empty_label=_("All types"),
    )
    requested_from = date_filter(field_name="requested_on", after=True, label=_("Requested from"))
    requested_to = date_filter(field_name="requested_on", after=False, label=_("Requested until"))
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    search_lookups = (
        "number__icontains",
        "buyer_name__icontains",
        "order__number__icontains",
    )

    class Meta:
        model = InvoiceRequest
        fields: list[str] = []
        form = FilterForm
