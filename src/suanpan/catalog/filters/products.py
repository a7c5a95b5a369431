"""One FilterSet for the product list page, the API and exports."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suanpan.catalog.calculations import search_query_normalize
from suanpan.catalog.choices import ProductKind
from suanpan.catalog.models import Product, TaxCategory
from suanpan.catalog.types import MAX_PRICE
from suanpan.core.filtering import ListFilterSet
from suanpan.core.forms import StyledFormMixin


def product_search_match(queryset: QuerySet[Product], query: str) -> QuerySet[Product]:
    """Products whose code, name, pinyin or initials contain the query (case-insensitive)."""
    query = search_query_normalize(query)
    if not query:
        return queryset
    # search_text is lower-case, so a case-sensitive LIKE matches; code and name are also
    # matched directly so rows written outside the services (fixtures, SQL) are still found by
    # what a person reads.
    return queryset.filter(
        Q(search_text__contains=query) | Q(code__icontains=query) | Q(name__icontains=query)
    )


class FilterForm(StyledFormMixin, forms.Form):
    pass


SORTS = (
    ("code", "code"),
    ("name", "name"),
    ("kind", "kind"),
    ("tax_category__code", "tax_category"),
    ("list_price", "list_price"),
    ("standard_cost", "standard_cost"),
    ("updated_at", "updated"),
)

ACTIVE_CHOICES = (
    ("true", pgettext_lazy("product filter", "Active")),
    ("false", pgettext_lazy("product filter", "Inactive")),
)


class ProductFilter(ListFilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Code, name, pinyin or its initials, specification"),
    )
    kind = django_filters.ChoiceFilter(
        choices=ProductKind.choices, label=_("Type"), empty_label=_("All types")
    )
    tax_category = django_filters.ModelChoiceFilter(
        queryset=TaxCategory.objects.all(),
        label=_("Tax category"),
        empty_label=_("All categories"),
    )
    active = django_filters.ChoiceFilter(
        field_name="is_active",
        choices=ACTIVE_CHOICES,
        method="filter_active",
        label=pgettext_lazy("product filter", "Status"),
        empty_label=_("All statuses"),
    )
    price_min = django_filters.NumberFilter(
        field_name="list_price",
        lookup_expr="gte",
        label=_("List price from"),
        min_value=0,
        max_value=MAX_PRICE,
    )
    price_max = django_filters.NumberFilter(
        field_name="list_price",
        lookup_expr="lte",
        label=_("List price up to"),
        min_value=0,
        max_value=MAX_PRICE,
    )
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    class Meta:
        model = Product
        fields: list[str] = []
        form = FilterForm

    def filter_search(
        self, queryset: QuerySet[Product], name: str, value: str
    ) -> QuerySet[Product]:
        return product_search_match(queryset, value)

    def filter_active(
        self, queryset: QuerySet[Product], name: str, value: str
    ) -> QuerySet[Product]:
        return queryset.filter(is_active=value == "true")
