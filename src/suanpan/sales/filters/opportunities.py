"""One FilterSet for the opportunity list, the pipeline board and the API."""

from __future__ import annotations

import re
from datetime import date

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from suanpan.core.dates import month_last_day
from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.customers.calculations import search_query_normalize
from suanpan.sales.choices import StageOutcome
from suanpan.sales.models import Opportunity, OpportunityStage
from suanpan.users.models import User

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class FilterForm(StyledFormMixin, forms.Form):
    pass


SORTS = (
    ("title", "title"),
    ("customer__name_pinyin", "customer"),
    ("amount", "amount"),
    ("expected_close_on", "close"),
    ("stage__position", "stage"),
    ("owner__display_name", "owner"),
    ("updated_at", "updated"),
)


def month_parse(value: str) -> date | None:
    """'2026-11' (what `<input type=month>` sends) → 2026-11-01; anything else → None."""
    match = _MONTH.match(value.strip()) if value else None
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    return date(year, month, 1) if year >= 1 else None


class MonthFilter(django_filters.CharFilter):
    """A YYYY-MM month; an unreadable month is a form error, not an empty result."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month"}))
        kwargs.setdefault("validators", [RegexValidator(_MONTH, _("Enter a month as YYYY-MM."))])
        super().__init__(*args, **kwargs)


class OpportunityFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Title, customer (name, pinyin, number), competitor or next step"),
    )
    stage = django_filters.ModelChoiceFilter(
        queryset=OpportunityStage.objects.all(), label=_("Stage"), empty_label=_("All stages")
    )
    outcome = django_filters.ChoiceFilter(
        field_name="stage__outcome",
        choices=StageOutcome.choices,
        label=_("Outcome"),
        empty_label=_("Open, won and lost"),
    )
    # Anyone who ever owned one stays findable; the active come first in the menu.
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.order_by("-is_active", "display_name", "username"),
        label=_("Owner"),
        empty_label=_("All owners"),
    )
    customer = django_filters.NumberFilter(field_name="customer_id", label=_("Customer"))
    close_after = date_filter(field_name="expected_close_on", after=True, label=_("Closing from"))
    close_before = date_filter(
        field_name="expected_close_on", after=False, label=_("Closing until")
    )
    close_month_from = MonthFilter(method="filter_month_from", label=_("Closing from month"))
    close_month_to = MonthFilter(method="filter_month_to", label=_("Closing until month"))
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    class Meta:
        model = Opportunity
        fields: list[str] = []
        form = FilterForm

    def filter_search(
        self, queryset: QuerySet[Opportunity], name: str, value: str
    ) -> QuerySet[Opportunity]:
        query = search_query_normalize(value)
        if not query:
            return queryset
        return queryset.filter(
            Q(title__icontains=value.strip())
            | Q(customer__search_text__contains=query)
            | Q(competitor__icontains=value.strip())
            | Q(next_step__icontains=value.strip())
        )

    def filter_month_from(
        self, queryset: QuerySet[Opportunity], name: str, value: str
    ) -> QuerySet[Opportunity]:
        month = month_parse(value)
        return queryset.filter(expected_close_on__gte=month) if month else queryset

    def filter_month_to(
        self, queryset: QuerySet[Opportunity], name: str, value: str
    ) -> QuerySet[Opportunity]:
        month = month_parse(value)
        # Up to the month's last day: "before the next month" has no next month after 9999-12.
        return queryset.filter(expected_close_on__lte=month_last_day(month)) if month else queryset
