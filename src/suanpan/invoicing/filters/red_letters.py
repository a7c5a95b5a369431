"""Filter of the red-letter form list: one FilterSet for the page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.invoicing.choices import RedFormStatus, RedReason
from suanpan.invoicing.models import RedLetterForm

SORTS = (
    ("number", "number"),
    ("entered_at", "entered"),
    ("status", "status"),
    ("blue_invoice__customer__name_pinyin", "customer"),
    ("net_amount", "amount"),
)


class FilterForm(StyledFormMixin, forms.Form):
    pass


class RedLetterFormFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Form number, invoice number, customer name"),
    )
    status = django_filters.ChoiceFilter(
        choices=RedFormStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    reason = django_filters.ChoiceFilter(
        choices=RedReason.choices, label=_("Reason"), empty_label=_("All reasons")
    )
    invoice = django_filters.NumberFilter(field_name="blue_invoice_id", label=_("Invoice"))
    entered_from = date_filter(field_name="entered_at__date", after=True, label=_("From"))
    entered_to = date_filter(field_name="entered_at__date", after=False, label=_("Until"))
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    search_lookups = (
        "number__icontains",
        "platform_number__icontains",
        "blue_invoice__number__icontains",
        "red_invoice__number__icontains",
        "blue_invoice__customer__name__icontains",
    )

    class Meta:
        model = RedLetterForm
        fields: list[str] = []
        form = FilterForm
