"""The chart of accounts and customer dimensions: trees, look-ups, searches."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.shortcuts import get_object_or_404

from suanpan.ledger.choices import DimensionKind
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    Dimension,
    VoucherLine,
)

LOOKUP_LIMIT = 20


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


def account_choices() -> list[Account]:
    return list(Account.objects.order_by("code"))


def account_get(*, pk: int) -> Account:
    return get_object_or_404(Account, pk=pk)


def account_by_code(*, code: str) -> Account | None:
    return Account.objects.filter(code=code).first() if code else None


def account_for_role(role: str) -> Account | None:
    mapping = AccountRoleMap.objects.select_related("account").filter(role=role).first()
    return mapping.account if mapping else None


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


def customer_dimensions() -> QuerySet[Dimension]:
    return Dimension.objects.filter(kind=DimensionKind.CUSTOMER).order_by("code")


def dimension_by_code(*, code: str, kind: str = DimensionKind.CUSTOMER) -> Dimension | None:
    return Dimension.objects.filter(kind=kind, code=code).first() if code else None


def dimension_search(*, text: str, limit: int = LOOKUP_LIMIT) -> list[Dimension]:
    text = text.strip().split(" ")[0] if text.strip() else ""
    queryset = Dimension.objects.filter(kind=DimensionKind.CUSTOMER, is_active=True)
    if text:
        queryset = queryset.filter(Q(code__istartswith=text) | Q(name__icontains=text))
    return list(queryset.order_by("code")[:limit])
