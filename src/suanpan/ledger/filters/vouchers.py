"""The voucher FilterSet: one filter for the list page, the API and exports.

Filters on the lines ask whether a matching line exists (a subquery) instead of joining the
lines: the list sums each voucher's lines, and a join would repeat every line once per
matching line, multiplying the totals (and `distinct` cannot undo a sum).
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet, date_filter
from suanpan.core.forms import StyledFormMixin
from suanpan.ledger.choices import VoucherStatus, VoucherWord
from suanpan.ledger.models import Voucher, VoucherLine


class FilterForm(StyledFormMixin, forms.Form):
    pass


SORTS = (
    ("date", "date"),
    ("number", "number"),
    ("word", "word"),
    ("summary", "summary"),
    ("status", "status"),
    ("created_at", "created"),
)


class VoucherFilter(ListFilterSet):
    period = django_filters.CharFilter(
        method="filter_period", label=_("Period"), help_text=_("A month as YYYYMM, e.g. 202611")
    )
    status = django_filters.ChoiceFilter(
        choices=VoucherStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    word = django_filters.ChoiceFilter(
        choices=VoucherWord.choices, label=_("Word"), empty_label=_("All words")
    )
    account = django_filters.CharFilter(
        method="filter_account", label=_("Account"), help_text=_("Code; sub-accounts included")
    )
    customer = django_filters.CharFilter(
        method="filter_customer", label=_("Customer"), help_text=_("Customer number")
    )
    q = django_filters.CharFilter(method="filter_text", label=_("Search"))
    date_from = date_filter(field_name="date", after=True, label=_("From"))
    date_to = date_filter(field_name="date", after=False, label=_("Until"))
    ordering = django_filters.OrderingFilter(fields=SORTS, label=_("Sort by"))

    class Meta:
        model = Voucher
        fields: list[str] = []
        form = FilterForm

    def filter_period(
        self, queryset: QuerySet[Voucher], name: str, value: str
    ) -> QuerySet[Voucher]:
        value = value.strip().replace("-", "")
        if len(value) != 6 or not value.isdigit():
            return queryset.none()
        return queryset.filter(period__year=int(value[:4]), period__month=int(value[4:]))

    def filter_account(
        self, queryset: QuerySet[Voucher], name: str, value: str
    ) -> QuerySet[Voucher]:
        code = value.strip().split(" ")[0]
        if not code:
            return queryset
        # A parent account finds the vouchers of all its sub-accounts.
        return queryset.filter(
            _has_line(Q(account__code=code) | Q(account__code__startswith=f"{code}."))
        )

    def filter_customer(
        self, queryset: QuerySet[Voucher], name: str, value: str
    ) -> QuerySet[Voucher]:
        code = value.strip().split(" ")[0]
        if not code:
            return queryset
        return queryset.filter(_has_line(Q(dimension__code=code)))

    def filter_text(self, queryset: QuerySet[Voucher], name: str, value: str) -> QuerySet[Voucher]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(summary__icontains=text) | _has_line(Q(summary__icontains=text)))


def _has_line(condition: Q) -> Exists:
    """The voucher has a line meeting `condition`."""
    return Exists(VoucherLine.objects.filter(condition, voucher=OuterRef("pk")))
