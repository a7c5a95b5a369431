"""Filters of the bank statement lines: the queue of unmatched lines and the statement as read."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.receivables.choices import BankLineStatus
from suanpan.receivables.models import BankLine

BANK_LINE_SORTS = (
    ("booked_on", "date"),
    ("amount", "amount"),
    ("counterparty_name", "counterparty"),
)


class BankLineFilterForm(StyledFormMixin, forms.Form):
    pass


class BankLineFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Counterparty, its account, summary or bank serial"),
    )
    status = django_filters.ChoiceFilter(
        choices=BankLineStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    bank_account = django_filters.NumberFilter(
        field_name="bank_account_id", label=_("Bank account")
    )
    statement_import = django_filters.NumberFilter(
        field_name="statement_import_id", label=_("Import")
    )
    booked_from = date_filter(field_name="booked_on", after=True, label=_("Date from"))
    booked_to = date_filter(field_name="booked_on", after=False, label=_("Date until"))
    ordering = django_filters.OrderingFilter(fields=BANK_LINE_SORTS, label=_("Sort by"))

    search_lookups = (
        "counterparty_name__icontains",
        "counterparty_account__icontains",
        "summary__icontains",
        "serial",
    )

    class Meta:
        model = BankLine
        fields: list[str] = []
        form = BankLineFilterForm
