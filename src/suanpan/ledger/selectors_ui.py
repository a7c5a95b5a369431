"""Reads behind the ledger's pages and API: lists, look-ups and the overview."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from suanpan.core.sums import fen_sum, yuan
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.choices import DimensionKind, PeriodStatus, VoucherStatus
from suanpan.ledger.filters import VoucherFilter
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    Dimension,
    Period,
    PeriodEvent,
    Voucher,
    VoucherLine,
)

LOOKUP_LIMIT = 20


def voucher_list(*, filters: Mapping[str, Any]) -> tuple[QuerySet[Voucher], VoucherFilter]:
    """Vouchers filtered and sorted by the one FilterSet; totals come annotated (no N+1)."""
    queryset = (
        Voucher.objects.select_related("period", "maker", "reviewer", "poster")
        .annotate(debit_fen=fen_sum("lines__debit_amount"))
        .order_by("-date", "-id")
    )
    filterset = VoucherFilter(filters, queryset=queryset)
    return filterset.qs, filterset


def voucher_debit_total(voucher: Voucher) -> Decimal:
    fen = getattr(voucher, "debit_fen", None)
    return yuan(fen) if fen is not None else ZERO


def voucher_get(*, pk: int) -> Voucher:
    return get_object_or_404(
        Voucher.objects.select_related(
            "period", "maker", "reviewer", "poster", "reverses", "reverses__period"
        ),
        pk=pk,
    )


def voucher_lines(*, voucher: Voucher) -> list[VoucherLine]:
    return list(voucher.lines.select_related("account", "dimension").order_by("line_no"))


def voucher_reversal(*, voucher: Voucher) -> Voucher | None:
    """The red voucher that reverses this one, if any."""
    return Voucher.objects.select_related("period").filter(reverses=voucher).first()


def voucher_counts() -> dict[str, int]:
    rows = Voucher.objects.values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(VoucherStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


@dataclass(frozen=True)
class AccountRow:
    account: Account
    is_leaf: bool
    is_used: bool
    roles: list[str]


def account_tree(*, include_inactive: bool = True) -> list[AccountRow]:
    """Every account by code with whether it is a leaf and has postings: one query plus roles."""
    queryset = Account.objects.annotate(
        has_children=Exists(Account.objects.filter(parent=OuterRef("pk"))),
        has_lines=Exists(VoucherLine.objects.filter(account=OuterRef("pk"))),
    ).order_by("code")
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    roles: dict[int, list[str]] = {}
    for mapping in AccountRoleMap.objects.all():
        roles.setdefault(mapping.account_id, []).append(mapping.get_role_display())
    return [
        AccountRow(
            account=a,
            is_leaf=not a.has_children,
            is_used=a.has_lines,
            roles=roles.get(a.pk, []),
        )
        for a in queryset
    ]


def account_list() -> QuerySet[Account]:
    return Account.objects.select_related("parent").order_by("code")


def account_get(*, pk: int) -> Account:
    return get_object_or_404(Account, pk=pk)


def account_by_code(*, code: str) -> Account | None:
    return Account.objects.filter(code=code).first()


def postable_accounts() -> QuerySet[Account]:
    """Active leaf accounts: the ones a voucher line may name."""
    return (
        Account.objects.filter(is_active=True)
        .exclude(Exists(Account.objects.filter(parent=OuterRef("pk"))))
        .order_by("code")
    )


def account_search(*, text: str, limit: int = LOOKUP_LIMIT) -> list[Account]:
    text = text.strip()
    queryset = postable_accounts()
    if text:
        queryset = queryset.filter(Q(code__startswith=text) | Q(name__icontains=text))
    return list(queryset[:limit])


def dimension_search(*, text: str, limit: int = LOOKUP_LIMIT) -> list[Dimension]:
    text = text.strip().split(" ")[0] if text.strip() else ""
    queryset = Dimension.objects.filter(kind=DimensionKind.CUSTOMER, is_active=True)
    if text:
        queryset = queryset.filter(Q(code__istartswith=text) | Q(name__icontains=text))
    return list(queryset.order_by("code")[:limit])


def dimension_by_code(*, code: str, kind: str = DimensionKind.CUSTOMER) -> Dimension | None:
    return Dimension.objects.filter(kind=kind, code=code).first()


def role_mappings() -> dict[str, Account]:
    return {m.role: m.account for m in AccountRoleMap.objects.select_related("account")}


def period_list() -> QuerySet[Period]:
    """Periods, latest first, with their voucher counts per status: one query."""
    return (
        Period.objects.select_related("closed_by")
        .annotate(
            voucher_count=Count("vouchers"),
            posted_count=Count("vouchers", filter=Q(vouchers__status=VoucherStatus.POSTED)),
            unposted_count=Count("vouchers", filter=~Q(vouchers__status=VoucherStatus.POSTED)),
        )
        .order_by("-year", "-month")
    )


def period_get(*, key: str) -> Period:
    key = key.replace("-", "")
    if len(key) != 6 or not key.isdigit():
        from django.http import Http404

        raise Http404
    return get_object_or_404(Period, year=int(key[:4]), month=int(key[4:]))


def period_current() -> Period | None:
    """The earliest open period: the one the books are working in."""
    return Period.objects.filter(status=PeriodStatus.OPEN).order_by("year", "month").first()


def period_events(*, limit: int = 50) -> QuerySet[PeriodEvent]:
    return PeriodEvent.objects.select_related("period", "user").order_by("-at", "-id")[:limit]
