"""Query pieces the report selectors share: periods and subtrees as filters, raw rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from django.db import models
from django.db.models import (
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.db.models.query import ValuesListIterable

from suanpan.ledger.choices import VoucherStatus
from suanpan.ledger.models import (
    Account,
    Dimension,
    Period,
    VoucherLine,
)

RowT = TypeVar("RowT", bound=tuple[Any, ...])


ModelT = TypeVar("ModelT", bound=models.Model)


def _period_q(
    prefix: str,
    *,
    before: Period | None = None,
    upto: Period | None = None,
    start: Period | None = None,
) -> Q:
    q = Q()
    if before is not None:
        q &= Q(**{f"{prefix}year__lt": before.year}) | Q(
            **{f"{prefix}year": before.year, f"{prefix}month__lt": before.month}
        )
    if upto is not None:
        q &= Q(**{f"{prefix}year__lt": upto.year}) | Q(
            **{f"{prefix}year": upto.year, f"{prefix}month__lte": upto.month}
        )
    if start is not None:
        q &= Q(**{f"{prefix}year__gt": start.year}) | Q(
            **{f"{prefix}year": start.year, f"{prefix}month__gte": start.month}
        )
    return q


def _subtree_q(account: Account, prefix: str = "account__") -> Q:
    """An account and every account below it (by code: 1122 → 1122.01, 1122.01.03 …)."""
    return Q(**{f"{prefix}code": account.code}) | Q(
        **{f"{prefix}code__startswith": account.code + "."}
    )


def _subtree_ids(account: Account | Sequence[Account]) -> QuerySet[Account, Any]:
    """Ids of an account and its sub-accounts (of several accounts and theirs), as a subquery
    (items are filtered by id)."""
    accounts = [account] if isinstance(account, Account) else list(account)
    q = Q(pk__in=[])
    for one in accounts:
        q |= _subtree_q(one, prefix="")
    return Account.objects.filter(q).order_by().values("pk")


class _RowIterable(ValuesListIterable):
    """Yields `row` tuples (a NamedTuple class) instead of plain tuples or model instances."""

    row: Any = tuple

    def __iter__(self) -> Iterator[Any]:
        make, row = tuple.__new__, self.row
        for values in super().__iter__():
            yield make(row, values)


_ROW_ITERABLES: dict[type, type[_RowIterable]] = {}


def _as_rows(queryset: QuerySet[ModelT, Any], row: type[RowT]) -> QuerySet[ModelT, RowT]:
    """The queryset's `row._fields` columns as `row` tuples: still a QuerySet (it counts, slices,
    paginates and streams) but builds no model instance per row, which long lists cannot afford."""
    iterable = _ROW_ITERABLES.get(row)
    if iterable is None:
        iterable = _ROW_ITERABLES[row] = type(
            f"{row.__name__}Iterable", (_RowIterable,), {"row": row}
        )
    rows = queryset.values_list(*row._fields)  # type: ignore[attr-defined]
    rows._iterable_class = iterable
    return rows


# A select column handed over as the driver returns it: no converter runs per row, which on
# 10,000-row lists costs more than the query's own joins.
RAW = models.Field()


def _raw(expression: models.Expression | F) -> ExpressionWrapper:
    return ExpressionWrapper(expression, output_field=RAW)


def _fen(field: str) -> ExpressionWrapper:
    """A money column as plain integer fen: rows convert to yuan only when a cell is shown."""
    return _raw(F(field))


def _voucher_number(word: str, year: int, month: int, number: int | None) -> str:
    return f"{word}-{year}{month:02d}-{(number or 0):04d}"


def _posted_lines(
    account: Account | Sequence[Account], dimension: Dimension | None
) -> QuerySet[VoucherLine]:
    lines = VoucherLine.objects.filter(
        account_id__in=_subtree_ids(account), voucher__status=VoucherStatus.POSTED
    )
    if dimension is not None:
        lines = lines.filter(dimension=dimension)
    return lines
