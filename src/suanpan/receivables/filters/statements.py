"""Filters of the statement list, for the page and the API alike."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet
from suanpan.core.forms import StyledFormMixin
from suanpan.receivables.choices import StatementKind, StatementStatus
from suanpan.receivables.models import Statement

STATEMENT_SORTS = (
    ("created_at", "created"),
    ("number", "number"),
    ("customer__name_pinyin", "customer"),
    ("end_on", "end"),
    ("closing_amount", "closing"),
)


class StatementFilterForm(StyledFormMixin, forms.Form):
    pass


class StatementFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search", label=_("Search"), help_text=_("Statement number or customer")
    )
    status = django_filters.ChoiceFilter(
        choices=StatementStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    kind = django_filters.ChoiceFilter(
        choices=StatementKind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    ordering = django_filters.OrderingFilter(fields=STATEMENT_SORTS, label=_("Sort by"))

    search_lookups = (
        "number__icontains",
        "customer__name__icontains",
        "customer__number__iexact",
    )

    class Meta:
        model = Statement
        fields: list[str] = []
        form = StatementFilterForm
