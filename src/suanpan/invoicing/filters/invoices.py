"""Filter of the invoice list, for the page, the API and the export alike."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.invoicing.choices import InvoiceKind, InvoiceStatus, InvoiceType
from suanpan.invoicing.models import Invoice


class InvoiceFilterForm(StyledFormMixin, forms.Form):
    pass


SORTS = (
    ("issued_on", "issued"),
    ("number", "number"),
    ("buyer_name", "buyer"),
    ("status", "status"),
    ("gross_amount", "amount"),
)

POSTED_CHOICES = (("true", _("Posted")), ("false", _("Not posted")))


class InvoiceFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Invoice number, buyer name or buyer taxpayer number"),
    )
    kind = django_filters.ChoiceFilter(
        choices=InvoiceKind.choices, label=_("Kind"), empty_label=_("Blue and red")
    )
    status = django_filters.ChoiceFilter(
        choices=InvoiceStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    invoice_type = django_filters.ChoiceFilter(
        choices=InvoiceType.choices, label=_("Invoice type"), empty_label=_("All types")
    )
    # An id, not a choice list: there may be hundreds of thousands of customers.
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    issued_from = date_filter(field_name="issued_on", after=True, label=_("Issued from"))
    issued_to = date_filter(field_name="issued_on", after=False, label=_("Issued until"))
    posted = django_filters.ChoiceFilter(
        choices=POSTED_CHOICES,
        method="filter_posted",
        label=_("Posted"),
        empty_label=_("Posted or not"),
    )
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    class Meta:
        model = Invoice
        fields: list[str] = []
        form = InvoiceFilterForm

    def filter_posted(
        self, queryset: QuerySet[Invoice], name: str, value: str
    ) -> QuerySet[Invoice]:
        if not value:
            return queryset
        return queryset.filter(posted=value == "true")

    def filter_search(
        self, queryset: QuerySet[Invoice], name: str, value: str
    ) -> QuerySet[Invoice]:
        value = value.strip()
        if not value:
            return queryset
        digits = "".join(value.split())
        match: Any = Q(buyer_name__icontains=value) | Q(buyer_tax_number__icontains=value)
        if digits.isdigit():
            # A number is typed whole or in part (the last digits, as printed on a paper copy).
            match |= Q(number__contains=digits) | Q(code__startswith=digits)
        return queryset.filter(match)
