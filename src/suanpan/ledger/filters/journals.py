"""The journal's FilterSet (序时账): one filter for the page, its xlsx, the API and the CLI."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from suanpan.core.filtering import ListFilterSet
from suanpan.core.forms import DateInput
from suanpan.ledger.choices import VoucherStatus, VoucherWord
from suanpan.ledger.filters.vouchers import FilterForm
from suanpan.ledger.models import VoucherLine

POSTED, ALL = "posted", "all"
STATUS_CHOICES = [(POSTED, _("Posted vouchers")), (ALL, _("All vouchers, drafts too"))]


class JournalFilter(ListFilterSet):
    """Lines of posted vouchers unless `status` is "all"; dates, word and the summary text
    match the voucher, the account (with its sub-accounts) and customer the line."""

    date_from = django_filters.DateFilter(
        method="filter_date_from", label=_("From"), widget=DateInput()
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to", label=_("Until"), widget=DateInput()
    )
    account = django_filters.CharFilter(
        method="filter_account", label=_("Account"), help_text=_("Code; sub-accounts included")
    )
    customer = django_filters.CharFilter(
        method="filter_customer", label=_("Customer"), help_text=_("Customer number")
    )
    word = django_filters.ChoiceFilter(
        field_name="voucher__word",
        choices=VoucherWord.choices,
        label=_("Word"),
        empty_label=_("All words"),
    )
    status = django_filters.ChoiceFilter(
        method="filter_status", choices=STATUS_CHOICES, label=_("Status"), empty_label=None
    )
    q = django_filters.CharFilter(method="filter_text", label=_("Summary"))

    class Meta:
        model = VoucherLine
        fields: list[str] = []
        form = FilterForm

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        # Posted vouchers unless asked otherwise: the books, not the drafts on the desk.
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = POSTED
        super().__init__(data, *args, **kwargs)

    # The month is named beside the date, so the vouchers' (period, status) index narrows
    # the lines to the months asked before the dates are compared.
    def filter_date_from(
        self, queryset: QuerySet[VoucherLine], name: str, value: date
    ) -> QuerySet[VoucherLine]:
        later = Q(voucher__period__year__gt=value.year) | Q(
            voucher__period__year=value.year, voucher__period__month__gte=value.month
        )
        return queryset.filter(later, voucher__date__gte=value)

    def filter_date_to(
        self, queryset: QuerySet[VoucherLine], name: str, value: date
    ) -> QuerySet[VoucherLine]:
        earlier = Q(voucher__period__year__lt=value.year) | Q(
            voucher__period__year=value.year, voucher__period__month__lte=value.month
        )
        return queryset.filter(earlier, voucher__date__lte=value)

    def filter_status(
        self, queryset: QuerySet[VoucherLine], name: str, value: str
    ) -> QuerySet[VoucherLine]:
        if value == ALL:
            return queryset
        return queryset.filter(voucher__status=VoucherStatus.POSTED)

    def filter_account(
        self, queryset: QuerySet[VoucherLine], name: str, value: str
    ) -> QuerySet[VoucherLine]:
        code = value.strip().split(" ")[0]
        if not code:
            return queryset
        return queryset.filter(Q(account__code=code) | Q(account__code__startswith=f"{code}."))

    def filter_customer(
        self, queryset: QuerySet[VoucherLine], name: str, value: str
    ) -> QuerySet[VoucherLine]:
        code = value.strip().split(" ")[0]
        if not code:
            return queryset
        return queryset.filter(dimension__code=code)

    def filter_text(
        self, queryset: QuerySet[VoucherLine], name: str, value: str
    ) -> QuerySet[VoucherLine]:
        text = value.strip()
        if not text:
            return queryset
        return queryset.filter(Q(summary__icontains=text) | Q(voucher__summary__icontains=text))
