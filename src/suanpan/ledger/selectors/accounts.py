"""The chart of accounts and customer dimensions: trees, look-ups, searches."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db.models import (
    Case,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from suanpan.ledger import calculations
from suanpan.ledger.calculations import MatchRank
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
    """Postable accounts as the voucher grid suggests them for what was typed: code prefix
    first, then pinyin initials, name, full pinyin, anything inside; by code within each.

    The chart is a few hundred rows: they are read whole and ranked here, their pinyin spelt
    once per process (`calculations.spelling`), instead of keeping pinyin columns in step.
    """
    accounts = list(postable_accounts())
    exact = _exact_code(text, {a.code: a for a in accounts})
    if exact is not None:
        return [exact]
    ranked = []
    for account in accounts:
        rank = calculations.match_rank(text, code=account.code, name=account.name)
        if rank is not None:
            ranked.append((rank, account.code, account))
    ranked.sort(key=lambda row: (row[0], row[1]))
    return [account for _rank, _code, account in ranked[:limit]]


def account_resolve(*, text: str) -> Account | list[Account]:
    """The account a typed text names (its code, "code name" as the grid fills it in, its
    exact name, or the only match), else the candidates (none when nothing matches)."""
    code = text.strip().split(" ")[0]
    account = account_by_code(code=code)
    if account is not None:
        return account
    return _the_one(text, account_search(text=text))


def customer_dimensions() -> QuerySet[Dimension]:
    return Dimension.objects.filter(kind=DimensionKind.CUSTOMER).order_by("code")


def dimension_by_code(*, code: str, kind: str = DimensionKind.CUSTOMER) -> Dimension | None:
    return Dimension.objects.filter(kind=kind, code=code).first() if code else None


def dimension_search(*, text: str, limit: int = LOOKUP_LIMIT) -> list[Dimension]:
    """Active customers for what was typed: number prefix first, then pinyin initials, name,
    full pinyin, anything inside; by number within each. Customers can be many, so their
    pinyin is kept on the row (`name_pinyin`, `name_initials`, `search_text`) and searched and
    ranked in SQL."""
    text = text.strip()
    queryset = Dimension.objects.filter(kind=DimensionKind.CUSTOMER, is_active=True)
    code = text.split(" ")[0]
    if code and " " in text:
        exact = list(queryset.filter(code=code)[:1])
        if exact:
            return exact
    if not text:
        return list(queryset.order_by("code")[:limit])
    typed = calculations.letters(text)
    rank = [When(code__istartswith=text, then=_rank(MatchRank.CODE))]
    if typed:
        rank.append(When(name_initials__startswith=typed, then=_rank(MatchRank.INITIALS)))
    rank.append(When(name__icontains=text, then=_rank(MatchRank.NAME)))
    if typed:
        rank.append(When(name_pinyin__startswith=typed, then=_rank(MatchRank.PINYIN)))
    # A LIKE on the kept search text finds the rows; the ranking looks at the few found.
    lowered = text.lower()
    found = Q(search_text__contains=lowered)
    if typed and typed != lowered and lowered.replace(" ", "") == typed:
        found |= Q(search_text__contains=typed)  # pinyin typed with spaces: "xiao mi"
    return list(
        queryset.filter(found)
        .annotate(rank=Case(*rank, default=_rank(MatchRank.INSIDE)))
        .order_by("rank", "code")[:limit]
    )


def dimension_resolve(*, text: str) -> Dimension | list[Dimension]:
    """The customer a typed text names (its number, "number name", its exact name, or the only
    match), else the candidates (none when nothing matches)."""
    code = text.strip().split(" ")[0]
    dimension = dimension_by_code(code=code)
    if dimension is not None:
        return dimension
    return _the_one(text, dimension_search(text=text))


def _rank(rank: MatchRank) -> Value:
    return Value(int(rank))


NamedT = TypeVar("NamedT", Account, Dimension)


def _the_one(text: str, found: list[NamedT]) -> NamedT | list[NamedT]:
    if len(found) == 1:
        return found[0]
    same_name = [row for row in found if row.name == text.strip()]
    return same_name[0] if len(same_name) == 1 else found


def _exact_code(text: str, by_code: dict[str, Account]) -> Account | None:
    """The account a filled-in cell names ("1002 银行存款"), when the text is more than a code."""
    text = text.strip()
    return by_code.get(text.split(" ")[0]) if " " in text else None
