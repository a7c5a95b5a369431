"""The filter of the payment plan list (回款计划), for the page, the API and the export alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.receivables.choices import PlanStatus
from suanpan.receivables.selectors.plan_figures import plan_rows
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.sales.models import PaymentInstalment

PLAN_SORTS = (
    ("due_on", "due"),
    ("contract__number", "contract"),
    ("contract__customer__name_pinyin", "customer"),
    ("amount", "amount"),
)


class PaymentPlanFilterForm(StyledFormMixin, forms.Form):
    pass


class PaymentPlanFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Contract number or title, customer"),
    )
    customer = django_filters.NumberFilter(field_name="contract__customer_id", label=_("Customer"))
    contract = django_filters.NumberFilter(field_name="contract_id", label=_("Contract"))
    owner = django_filters.ModelChoiceFilter(
        field_name="contract__owner",
        queryset=User.objects.filter(is_active=True),
        label=_("Owner"),
        empty_label=_("All owners"),
    )
    due_from = date_filter(field_name="due_on", after=True, label=_("Due from"))
    due_to = date_filter(field_name="due_on", after=False, label=_("Due until"))
    # Last of the filters: the status needs each instalment's figures, so the others narrow
    # the rows first.
    status = django_filters.ChoiceFilter(
        choices=PlanStatus.choices,
        method="filter_status",
        label=_("Status"),
        empty_label=_("All statuses"),
    )
    ordering = django_filters.OrderingFilter(fields=PLAN_SORTS, label=_("Sort by"))

    search_lookups = (
        "contract__number__icontains",
        "contract__title__icontains",
        "contract__customer__name__icontains",
        "contract__customer__number__iexact",
        "description__icontains",
    )

    class Meta:
        fields: list[str] = []
        form = PaymentPlanFilterForm

    def filter_status(
        self, queryset: QuerySet[PaymentInstalment], name: str, value: str
    ) -> QuerySet[PaymentInstalment]:
        if not value:
            return queryset
        # The figures of every instalment left, a constant number of queries per 500 of them.
        rows = plan_rows(list(queryset.order_by()))
        return queryset.filter(
            pk__in=[row.instalment.pk for row in rows if row.figures.status == value]
        )
