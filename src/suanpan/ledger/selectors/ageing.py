"""Receivables ageing by due or posting date, in buckets, as of a day."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from suanpan.core.dates import days_after
from suanpan.core.sums import yuan
from suanpan.ledger.calculations import DEFAULT_BUCKETS, Bucket
from suanpan.ledger.models import (
    Account,
    Dimension,
    OpenItem,
    OpenItemMatch,
)
from suanpan.ledger.selectors._query import _subtree_ids


class AgeingBasis(models.TextChoices):
    DUE = "due", _("by due date")
    POSTING = "posting", _("by posting date")


class AgeingRow(tuple[Any, ...]):
    """One customer's open amounts per bucket, as the database returns them: (customer id, total
    in fen, the buckets in fen…, code, name). A tuple, so 200,000 rows cost no Python per row;
    yuan appear when a cell is read."""

    __slots__ = ()

    @property
    def dimension_id(self) -> int:
        return int(self[0])

    @property
    def total_fen(self) -> int:
        return int(self[1])

    @property
    def fen(self) -> tuple[int, ...]:
        return self[2:-2]

    @property
    def code(self) -> str:
        return str(self[-2])

    @property
    def name(self) -> str:
        return str(self[-1])

    @property
    def amounts(self) -> list[Decimal]:
        return [yuan(f) for f in self.fen]

    @property
    def total(self) -> Decimal:
        return yuan(self[1])


@dataclass(frozen=True)
class Ageing:
    as_of: date
    basis: str
    buckets: tuple[Bucket, ...]
    rows: list[AgeingRow]
    totals: list[Decimal]
    total: Decimal


def _bucket_sql(bucket: Bucket, *, as_of: date, column: str) -> tuple[str, list[date]]:
    """Age in days within [low, high] as a date range, so no database date arithmetic.

    The dates are held to the calendar's ends (data from before dates were checked may say
    9999-12-31): a bound past the end limits nothing, and a bucket that would end before the
    calendar begins holds nothing.
    """
    newest = as_of - timedelta(days=bucket.low) if _fits(as_of, -bucket.low) else None
    if newest is None and bucket.low > 0:
        return "1 = 0", []
    sql, params = f"{column} <= %s", [newest or date.max]
    if bucket.high is not None:
        if _fits(as_of, -bucket.high):
            sql += f" AND {column} >= %s"
            params.append(as_of - timedelta(days=bucket.high))
        elif bucket.high < 0:
            return "1 = 0", []
    return sql, params


def _fits(day: date, days: int) -> bool:
    """Whether `day` plus `days` is still a date."""
    return days_after(day, days) - day == timedelta(days=days)


@contextmanager
def _report_cursor() -> Iterator[Any]:
    """A cursor for one large report aggregate, in its own transaction where there is none.

    On PostgreSQL, JIT compilation costs more than it saves on these one-off aggregates, and
    grouping 200,000 customers needs more than the default 4 MB of sort and hash memory; both
    settings are LOCAL, so they end with the transaction.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    # Inside a caller's transaction the settings last until it ends; no savepoint is needed.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
        yield cursor


def ageing(
    *,
    as_of: date,
    account: Account,
    buckets: Sequence[Bucket] = DEFAULT_BUCKETS,
    basis: str = AgeingBasis.DUE,
) -> Ageing:
    """Open amounts per customer as of a date, bucketed by age: one GROUP BY query.

    The stored open amounts of items open now, plus the changes of the matches made or undone
    after `as_of` (items settled since were open then); items posted after `as_of` are left
    out. So the total equals the account's balance as of that date.
    """
    column = "x.due_on" if basis == AgeingBasis.DUE else "x.posted_on"
    buckets = tuple(buckets)
    item = OpenItem._meta.db_table
    match = OpenItemMatch._meta.db_table
    dimension = Dimension._meta.db_table
    account_sql, account_params = _subtree_ids(account).query.sql_with_params()
    sums: list[str] = []
    sum_params: list[date] = []
    for bucket in buckets:
        condition, params = _bucket_sql(bucket, as_of=as_of, column=column)
        # FILTER skips the other rows' additions, which a CASE in every sum would pay for;
        # integers out, not NUMERIC, so no Decimal per cell.
        sums.append(
            f"COALESCE(CAST(SUM(x.fen) FILTER (WHERE {condition}) AS BIGINT), 0) AS b{len(sums)}"
        )
        sum_params += params
    columns = ["total", *(f"b{index}" for index in range(len(buckets)))]
    since = (
        "CASE WHEN m.matched_on > %s THEN (CASE WHEN m.undone_on IS NULL THEN m.amount ELSE 0 END)"
        " ELSE -m.amount END"
    )
    changed = "m.matched_on > %s OR m.undone_on > %s"
    # Identifiers come from the models; every value is a parameter.
    sql = (
        f"SELECT g.*, d.code, d.name FROM ("  # noqa: S608
        f" SELECT x.dimension_id, CAST(SUM(x.fen) AS BIGINT) AS total, {', '.join(sums)}"
        " FROM ("
        f"  SELECT i.dimension_id, i.due_on, i.posted_on, i.open_amount AS fen FROM {item} i"
        f"  WHERE i.open_amount <> 0 AND i.account_id IN ({account_sql}) AND i.posted_on <= %s"
        "  UNION ALL"
        "  SELECT i.dimension_id, i.due_on, i.posted_on, c.fen FROM ("
        f"   SELECT m.debit_item_id AS item_id, {since} AS fen FROM {match} m WHERE {changed}"
        "    UNION ALL"
        f"   SELECT m.credit_item_id, -({since}) FROM {match} m WHERE {changed}"
        f"  ) c JOIN {item} i ON i.id = c.item_id"
        f"  WHERE i.account_id IN ({account_sql}) AND i.posted_on <= %s"
        " ) x GROUP BY x.dimension_id"
        f") g JOIN {dimension} d ON d.id = g.dimension_id"
        # Customers with nothing open in any bucket are left out.
        f" WHERE {' OR '.join(f'g.{column} <> 0' for column in columns)}"
        " ORDER BY d.code"
    )
    params = [
        *sum_params,
        *account_params,
        as_of,
        as_of,
        as_of,
        as_of,
        as_of,
        as_of,
        as_of,
        *account_params,
        as_of,
    ]
    with _report_cursor() as cursor:
        cursor.execute(sql, params)
        make = tuple.__new__
        rows = [make(AgeingRow, values) for values in cursor.fetchall()]
    # Totals per column: one pass each over the integers.
    totals = [sum(map(itemgetter(index), rows)) for index in range(1, 2 + len(buckets))]
    return Ageing(
        as_of=as_of,
        basis=basis,
        buckets=buckets,
        rows=rows,
        totals=[yuan(f) for f in totals[1:]],
        total=yuan(totals[0]),
    )
