"""Receivables ageing by due or posting date, in buckets, as of a day."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from operator import itemgetter
from typing import Any

from django.db import connection, models, transaction
from django.utils.translation import gettext_lazy as _

from suanpan.core.dates import days_after
from suanpan.core.sums import yuan
from suanpan.ledger.calculations import DEFAULT_BUCKETS, Bucket
from suanpan.ledger.models import Account, Dimension, OpenItem, OpenItemMatch
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


# A row from the database's tuple, made in C for each of 200,000 rows (no Python call per row).
_row = partial(tuple.__new__, AgeingRow)


@dataclass(frozen=True)
class Ageing:
    as_of: date
    basis: str
    buckets: tuple[Bucket, ...]
    rows: list[AgeingRow]
    totals: list[Decimal]
    total: Decimal


@dataclass(frozen=True)
class AgeingPage:
    """One page of customers (in code order) with the totals and the count of all of them."""

    as_of: date
    basis: str
    buckets: tuple[Bucket, ...]
    rows: list[AgeingRow]
    totals: list[Decimal]
    total: Decimal
    count: int  # customers with anything open, on every page
    number: int
    per_page: int

    @property
    def pages(self) -> int:
        return max((self.count + self.per_page - 1) // self.per_page, 1)


@dataclass(frozen=True)
class AgeingTotals:
    """What a streamed ageing knows once every row has been read: totals of all customers."""

    totals: list[Decimal]
    total: Decimal
    count: int


def _on_or_after(as_of: date, days: int) -> date | bool:
    """The first day aged at most `days` as of `as_of`: an item is that young when its date is
    on or after it. No database date arithmetic; the calendar's ends are held: True when every
    date is (the day would lie before the calendar), False when none is (after it)."""
    if _fits(as_of, -days):
        return as_of - timedelta(days=days)
    return days > 0


def _fits(day: date, days: int) -> bool:
    """Whether `day` plus `days` is still a date."""
    return days_after(day, days) - day == timedelta(days=days)


Accounts = tuple[str, list[Any]]  # the items' account condition and its parameters


@contextmanager
def _report_cursor(*, account: Account, chunked: bool = False) -> Iterator[tuple[Any, Accounts]]:
    """A cursor for one large report aggregate, in its own transaction where there is none,
    and the condition on the items' account (the account and its sub-accounts); `chunked`: a
    server-side cursor on PostgreSQL, so rows come as they are read.

    On PostgreSQL, JIT compilation costs more than it saves on these one-off aggregates, and
    grouping 200,000 customers needs more than the default 4 MB of sort and hash memory. Hash
    joins are off: every join of the report is on ids of rows that come in id order, and the
    planner, left to itself, hashes 200,000 customers to join their codes where merging them
    took three quarters of the time. The settings are LOCAL, so they end with the transaction.
    The same statement reads the subtree's account ids: compared with one id, the items come
    from the open-item index in customer order and are summed as they come, with no hash
    table; with a list (`= ANY`), the planner does not count on that order.
    """
    subtree, subtree_params = _subtree_ids(account).query.sql_with_params()
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor, (f"i.account_id IN ({subtree})", list(subtree_params))
        return
    # Inside a caller's transaction the settings last until it ends; no savepoint is needed.
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true),"
                f" set_config('enable_hashjoin', 'off', true), ARRAY({subtree})",
                subtree_params,
            )
            ids = list(cursor.fetchone()[3])
            accounts: Accounts = (
                ("i.account_id = %s", ids) if len(ids) == 1 else ("i.account_id = ANY(%s)", [ids])
            )
            if not chunked:
                yield cursor, accounts
                return
        with connection.chunked_cursor() as cursor:
            yield cursor, accounts


def _grouped_sql(
    *,
    as_of: date,
    accounts: Accounts,
    buckets: tuple[Bucket, ...],
    basis: str,
    dimension: Dimension | None,
) -> tuple[str, list[Any]]:
    """Per customer, in fen: (customer id, total, one amount per bucket, code, name), customers
    with nothing open in any bucket left out; in no order.

    Each item's open amount as of the date is the amount kept on it now plus what the matches
    made or undone after the date changed (items settled since were open then); items posted
    after the date are left out. So the total equals the account's balance as of that date.
    """
    column = "i.due_on" if basis == AgeingBasis.DUE else "i.posted_on"
    item = OpenItem._meta.db_table
    match = OpenItemMatch._meta.db_table
    # One sum per distinct age a bucket starts or ends at, each over the items at most that
    # old (one date comparison per item, where a bucket's range takes two), and a bucket is the
    # difference of two of them: [low, high] = (age ≤ high) − (age ≤ low − 1).
    bounds: dict[date, str] = {}

    def at_most(days: int | None) -> str:
        since = True if days is None else _on_or_after(as_of, days)
        if since is True:
            return "x.total"
        if since is False:
            return "0"
        return f"x.{bounds.setdefault(since, f'c{len(bounds)}')}"

    amounts = [
        "0"
        if b.high is not None and b.high < b.low
        else f"{at_most(b.high)} - {at_most(b.low - 1)}"
        for b in buckets
    ]
    names = ["total", *bounds.values()]
    bound_params = list(bounds)
    # On PostgreSQL, a sum of BIGINT into BIGINT (migration 0011): its state is kept by value,
    # where the built-in SUM keeps a 128-bit state per customer and sum and returns NUMERIC.
    add = "ledger_fen_sum" if connection.vendor == "postgresql" else "SUM"

    def sums(fen: str) -> str:
        return ", ".join(
            [
                f"{add}({fen}) AS total",
                *(f"{add}({fen}) FILTER (WHERE {column} >= %s) AS {n}" for n in names[1:]),
            ]
        )

    since = (
        "CASE WHEN m.matched_on > %s THEN (CASE WHEN m.undone_on IS NULL THEN m.amount ELSE 0 END)"
        " ELSE -m.amount END"
    )
    changed = "m.matched_on > %s OR m.undone_on > %s"
    account_sql, account_params = accounts
    only = " AND i.dimension_id = %s" if dimension is not None else ""
    where = f"{account_sql} AND i.posted_on <= %s{only}"
    where_params = [*account_params, as_of, *([dimension.pk] if dimension is not None else [])]
    # Two groupings per customer, each over one table the planner has statistics for: the
    # items open now, and the changes of the matches made or undone since the date (none as
    # of today, tens of thousands as of a past date, found by index). Grouped over a UNION of
    # both, the planner would expect 200 customers; joined per item, it would hash every
    # change before reading an item.
    now = (
        f"SELECT i.dimension_id, {sums('i.open_amount')} FROM {item} i"  # noqa: S608
        f" WHERE i.open_amount <> 0 AND {where} GROUP BY i.dimension_id"
    )
    changes = (
        f"SELECT m.debit_item_id AS item_id, {since} AS fen FROM {match} m WHERE {changed}"  # noqa: S608
        " UNION ALL"
        f" SELECT m.credit_item_id, -({since}) FROM {match} m WHERE {changed}"
    )
    if connection.vendor == "postgresql":
        # Each change's item looked up by id, in id order (the order items lie on disk): the
        # planner would rather hash the whole item table for the tens of thousands of changes
        # of a past date, which took twice as long. LIMIT 1 (an id is unique) keeps the
        # look-up from being turned back into a join.
        since_then = (
            f"SELECT i.dimension_id, {sums('c.fen')} FROM"  # noqa: S608
            f" (SELECT * FROM ({changes}) u ORDER BY u.item_id) c CROSS JOIN LATERAL"
            f" (SELECT i.dimension_id, i.due_on, i.posted_on FROM {item} i"
            f"  WHERE i.id = c.item_id AND {where} LIMIT 1) i GROUP BY i.dimension_id"
        )
    else:
        since_then = (
            f"SELECT i.dimension_id, {sums('c.fen')} FROM ({changes}) c"  # noqa: S608
            f" JOIN {item} i ON i.id = c.item_id WHERE {where} GROUP BY i.dimension_id"
        )
    # Each customer's row, with its code and name: the customers read in id order, each joined
    # to its sums by merging (the sums come in customer order from the index), so no hash
    # table of 200,000 customers is built (the report's transaction turns hash joins off).
    combined = ", ".join(
        [
            "d.id AS dimension_id",
            "d.code",
            "d.name",
            *(f"COALESCE(n.{n}, 0) + COALESCE(s.{n}, 0) AS {n}" for n in names),
        ]
    )
    columns = ["total", *(f"b{index}" for index in range(len(buckets)))]
    bucketed = ", ".join(
        [
            "x.dimension_id",
            "x.total",
            *(f"{amount} AS {n}" for amount, n in zip(amounts, columns[1:], strict=True)),
            "x.code",
            "x.name",
        ]
    )
    # Customers with nothing open in any bucket are left out (and those with no items at all).
    kept = " OR ".join(f"y.{n} <> 0" for n in columns)
    dimension_table = Dimension._meta.db_table
    one = " WHERE d.id = %s" if dimension is not None else ""
    sql = (
        f"SELECT y.* FROM (SELECT {bucketed} FROM (SELECT {combined} FROM {dimension_table} d"  # noqa: S608
        f" LEFT JOIN ({now}) n ON n.dimension_id = d.id"
        f" LEFT JOIN ({since_then}) s ON s.dimension_id = d.id{one}) x) y WHERE {kept}"
    )
    params = [*bound_params, *where_params, *bound_params, *([as_of] * 6), *where_params]
    return sql, [*params, *([dimension.pk] if dimension is not None else [])]


def _bytewise() -> str:
    """The ORDER BY clause's collation for customer codes: byte order, as SQLite sorts.

    PostgreSQL's linguistic collations compare through the C library one pair of strings at a
    time; in byte order it sorts on short prefixes of the keys, several times faster for
    200,000 codes.
    """
    return ' COLLATE "C"' if connection.vendor == "postgresql" else ""


@contextmanager
def _bulk_rows() -> Iterator[None]:
    """No cyclic garbage collection while a report's rows are built.

    The rows hold no reference cycles, but every 700 new tuples start a collection, and the
    older generations' collections walk the growing list again: with 200,000 customers that
    was as long as reading the rows. Reference counting still frees what is dropped.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def ageing(
    *,
    as_of: date,
    account: Account,
    buckets: Sequence[Bucket] = DEFAULT_BUCKETS,
    basis: str = AgeingBasis.DUE,
    dimension: Dimension | None = None,
) -> Ageing:
    """Open amounts per customer as of a date, bucketed by age: every customer with anything
    open (or only `dimension`) in code order, and their totals. One query (on PostgreSQL, one
    more sets its planner settings)."""
    buckets = tuple(buckets)
    with _report_cursor(account=account) as (cursor, accounts), _bulk_rows():
        grouped, params = _grouped_sql(
            as_of=as_of, accounts=accounts, buckets=buckets, basis=basis, dimension=dimension
        )
        cursor.execute(
            f"SELECT * FROM ({grouped}) g ORDER BY g.code{_bytewise()}",  # noqa: S608
            params,
        )
        rows = list(map(_row, cursor.fetchall()))
    # Each column's total over the rows: one pass each over the integers.
    totals = [sum(map(itemgetter(index), rows)) for index in range(1, 2 + len(buckets))]
    return Ageing(
        as_of=as_of,
        basis=basis,
        buckets=buckets,
        rows=rows,
        totals=[yuan(f) for f in totals[1:]],
        total=yuan(totals[0]),
    )


def ageing_page(
    *,
    as_of: date,
    account: Account,
    buckets: Sequence[Bucket] = DEFAULT_BUCKETS,
    basis: str = AgeingBasis.DUE,
    dimension: Dimension | None = None,
    number: int = 1,
    per_page: int = 50,
) -> AgeingPage:
    """One page of `ageing`: the customers of page `number` (none past the last page) with
    the totals and the count of every customer, in one query: the grouping is kept once and
    read twice, for its totals row and for the page, so only a page of rows reaches Python."""
    buckets = tuple(buckets)
    columns = 1 + len(buckets)
    names = ["total", *(f"b{index}" for index in range(len(buckets)))]
    offset = (number - 1) * per_page
    with _report_cursor(account=account) as (cursor, accounts):
        grouped, params = _grouped_sql(
            as_of=as_of, accounts=accounts, buckets=buckets, basis=basis, dimension=dimension
        )
        sums = ", ".join(f"COALESCE(SUM(g.{name}), 0)" for name in names)
        # The totals row comes first: the customer count in the id's place, no code.
        cursor.execute(
            f"WITH g AS ({grouped})"  # noqa: S608
            f" SELECT COUNT(*), {sums}, NULL, NULL FROM g"
            " UNION ALL SELECT * FROM ("
            f"  SELECT * FROM g ORDER BY g.code{_bytewise()} LIMIT %s OFFSET %s"
            " ) p",
            [*params, per_page, offset],
        )
        found = cursor.fetchall()
    [summary] = [values for values in found if values[-2] is None]
    rows = [_row(values) for values in found if values[-2] is not None]
    return AgeingPage(
        as_of=as_of,
        basis=basis,
        buckets=buckets,
        rows=rows,
        totals=[yuan(int(f)) for f in summary[2 : 1 + columns]],
        total=yuan(int(summary[1])),
        count=int(summary[0]),
        number=number,
        per_page=per_page,
    )


class AgeingStream:
    """Every customer's row of `ageing` in code order, read from the database a chunk at a
    time as it is iterated, so an export of 200,000 customers holds a chunk, not the list;
    `totals` is known once the rows have been read."""

    def __init__(
        self,
        *,
        as_of: date,
        account: Account,
        buckets: Sequence[Bucket] = DEFAULT_BUCKETS,
        basis: str = AgeingBasis.DUE,
        dimension: Dimension | None = None,
        chunk: int = 2000,
    ) -> None:
        self.as_of = as_of
        self.basis = basis
        self.buckets = tuple(buckets)
        self._account = account
        self._dimension = dimension
        self._chunk = chunk
        self.totals: AgeingTotals | None = None

    def __iter__(self) -> Iterator[AgeingRow]:
        columns = 1 + len(self.buckets)
        fen = [0] * columns
        count = 0
        with _report_cursor(account=self._account, chunked=True) as (cursor, accounts):
            grouped, params = _grouped_sql(
                as_of=self.as_of,
                accounts=accounts,
                buckets=self.buckets,
                basis=self.basis,
                dimension=self._dimension,
            )
            cursor.execute(
                f"SELECT * FROM ({grouped}) g ORDER BY g.code{_bytewise()}",  # noqa: S608
                params,
            )
            while chunk := cursor.fetchmany(self._chunk):
                for index in range(columns):
                    fen[index] += sum(map(itemgetter(index + 1), chunk))
                count += len(chunk)
                yield from map(_row, chunk)
        self.totals = AgeingTotals(
            totals=[yuan(f) for f in fen[1:]], total=yuan(fen[0]), count=count
        )
