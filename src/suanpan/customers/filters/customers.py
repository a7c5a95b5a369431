"""One FilterSet for the customer list page, the API and exports."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListedModelChoiceFilter, ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.customers.calculations import search_query_normalize
from suanpan.customers.choices import CustomerGrade, CustomerKind, CustomerSource, CustomerStatus
from suanpan.customers.models import Customer
from suanpan.users.models import User


class FilterForm(StyledFormMixin, forms.Form):
    pass


SORTS = (
    ("number", "number"),
    ("name_pinyin", "name"),
    ("created_at", "created"),
    ("credit_limit_amount", "credit_limit"),
    ("payment_terms_days", "payment_terms"),
    ("status", "status"),
    ("grade", "grade"),
)


class CustomerFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Name, pinyin or initials, credit code, number, contact name or phone"),
    )
    status = django_filters.ChoiceFilter(
        choices=CustomerStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    kind = django_filters.ChoiceFilter(
        choices=CustomerKind.choices, label=_("Type"), empty_label=_("All types")
    )
    grade = django_filters.ChoiceFilter(
        choices=CustomerGrade.choices, label=_("Grade"), empty_label=_("All grades")
    )
    source = django_filters.ChoiceFilter(
        choices=CustomerSource.choices, label=_("Source"), empty_label=_("All sources")
    )
    owner = ListedModelChoiceFilter(
        queryset=User.objects.filter(is_active=True), label=_("Owner"), empty_label=_("All owners")
    )
    region = django_filters.CharFilter(lookup_expr="icontains", label=_("Region"))
    industry = django_filters.CharFilter(lookup_expr="icontains", label=_("Industry"))
    tag = django_filters.CharFilter(field_name="tags__name", label=_("Tag"), distinct=True)
    created_after = date_filter(field_name="created_at__date", after=True, label=_("Created from"))
    created_before = date_filter(
        field_name="created_at__date", after=False, label=_("Created until")
    )
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    class Meta:
        model = Customer
        fields: list[str] = []
        form = FilterForm

    def filter_search(
        self, queryset: QuerySet[Customer], name: str, value: str
    ) -> QuerySet[Customer]:
        query = search_query_normalize(value)
        if not query:
            return queryset
        # search_text is lower-case, so a case-sensitive LIKE matches and can use a trigram
        # index on PostgreSQL.
        return queryset.filter(Q(search_text__contains=query))
