"""Filter of the mailing register, for the page, the API and the export alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.invoicing.choices import MailingStatus
from suanpan.invoicing.models import InvoiceMailing

SORTS = (
    ("sent_on", "sent"),
    ("received_on", "received"),
    ("invoice__number", "number"),
    ("invoice__customer__name_pinyin", "customer"),
    ("status", "status"),
    ("courier", "courier"),
)


class MailingFilterForm(StyledFormMixin, forms.Form):
    pass


class MailingFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Tracking number, invoice number or recipient"),
    )
    status = django_filters.ChoiceFilter(
        choices=MailingStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    customer = django_filters.NumberFilter(field_name="invoice__customer_id", label=_("Customer"))
    invoice = django_filters.NumberFilter(
        field_name="invoice_id", label=pgettext_lazy("mailing", "Invoice")
    )
    courier = django_filters.CharFilter(
        field_name="courier", lookup_expr="icontains", label=_("Courier company")
    )
    sent_from = date_filter(field_name="sent_on", after=True, label=_("Sent from"))
    sent_to = date_filter(field_name="sent_on", after=False, label=_("Sent until"))
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    search_lookups = (
        "tracking_number__icontains",
        "invoice__number__icontains",
        "recipient__icontains",
    )

    class Meta:
        model = InvoiceMailing
        fields: list[str] = []
        form = MailingFilterForm
