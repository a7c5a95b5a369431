"""Receivables ageing by due or posting date, in buckets, as of a day."""

from __future__ import annotations

import gc
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
def _report_cursor(*, chunked: bool = False) -> Iterator[Any]:
    """A cursor for one large report aggregate, in its own transaction where there is none;
    `chunked`: a server-side cursor on PostgreSQL, so rows come as they are read.

    On PostgreSQL, JIT compilation costs more than it saves on these one-off aggregates, and
    grouping 200,000 customers needs more than the default 4 MB of sort and hash memory; both
    settings are LOCAL, so they end with the transaction.
    """
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    # Inside a caller's transaction the settings last until it ends; no savepoint is needed.
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off; SET LOCAL work_mem = '64MB'")
            if not chunked:
                yield cursor
                return
        with connection.chunked_cursor() as cursor:
            yield cursor


def _grouped_sql(
    *,
    as_of: date,
    account: Account,
    buckets: tuple[Bucket, ...],
    basis: str,
    dimension: Dimension | None,
    exact: bool = False,
) -> tuple[str, list[Any]]:
    """Per customer, in fen: (customer id, total, one sum per bucket), customers with nothing
    open in any bucket left out; no order, no names.

    Each item's open amount as of the date is the amount kept on it now plus what the matches
    made or undone after the date changed (items settled since were open then); items posted
    after the date are left out. So the total equals the account's balance as of that date.
    """
    column = "i.due_on" if basis == AgeingBasis.DUE else "i.posted_on"
    item = OpenItem._meta.db_table
    match = OpenItemMatch._meta.db_table
    account_sql, account_params = _subtree_ids(account).query.sql_with_params()
    # The planner reads an item count per account from its statistics for an array it is
    # handed, but guesses one account in a hundred for an IN over a subquery, and with that
    # guess sorts instead of hashing and looks customers up one at a time.
    accounts = (
        f"i.account_id = ANY(ARRAY({account_sql}))"
        if connection.vendor == "postgresql"
        else f"i.account_id IN ({account_sql})"
    )
    conditions = [_bucket_sql(bucket, as_of=as_of, column=column) for bucket in buckets]
    since = (
        "CASE WHEN m.matched_on > %s THEN (CASE WHEN m.undone_on IS NULL THEN m.amount ELSE 0 END)"
        " ELSE -m.amount END"
    )
    changed = "m.matched_on > %s OR m.undone_on > %s"
    only = " AND i.dimension_id = %s" if dimension is not None else ""
    where = f"{accounts} AND i.posted_on <= %s{only}"
    where_params = [*account_params, as_of, *([dimension.pk] if dimension is not None else [])]
    names = ["total", *(f"b{index}" for index in range(len(buckets)))]
    bucket_params = [value for _condition, values in conditions for value in values]

    def sums(fen: str) -> str:
        if exact:
            # Wide sums: exact for any amount, and the dearest part of the report (a state
            # allocated per customer and sum, turned into NUMERIC at the end).
            part, total = fen, f"COALESCE(CAST(SUM({fen}) AS BIGINT), 0)"
        else:
            # INTEGER summed into BIGINT keeps its state by value, as the plain sum over the
            # items (the report's floor) does. An item of 21,474,836.48 yuan or more (its
            # amount bounds what is open of it, and any match of it, on any day) does not
            # fit: its customer's total comes back NULL, and the caller asks again, exactly.
            small = "i.amount BETWEEN -2147483647 AND 2147483647"
            part = f"CAST(CASE WHEN {small} THEN {fen} END AS INTEGER)"
            total = (
                f"CASE WHEN MAX(CASE WHEN {small} THEN 0 ELSE 1 END) = 1 THEN NULL"
                f" ELSE COALESCE(CAST(SUM({part}) AS BIGINT), 0) END"
            )
        # FILTER skips the other rows' additions, which a CASE in every sum would pay for;
        # integers out, not NUMERIC, so no Decimal per cell.
        return ", ".join(
            [
                f"{total} AS total",
                *(
                    f"COALESCE(CAST(SUM({part}) FILTER (WHERE {condition}) AS BIGINT), 0) AS {name}"
                    for name, (condition, _values) in zip(names[1:], conditions, strict=True)
                ),
            ]
        )

    # Two groupings per customer, each over one table the planner has statistics for: the
    # items open now, and the changes of the matches made or undone since the date (none as
    # of today, tens of thousands as of a past date, found by index). Grouped over a UNION of
    # both, the planner would expect 200 customers; joined per item, it would hash every
    # change before reading an item.
    now = (
        f"SELECT i.dimension_id, {sums('i.open_amount')} FROM {item} i"  # noqa: S608
        f" WHERE i.open_amount <> 0 AND {where} GROUP BY i.dimension_id"
    )
    since_then = (
        f"SELECT i.dimension_id, {sums('c.fen')} FROM ("  # noqa: S608
        f"  SELECT m.debit_item_id AS item_id, {since} AS fen FROM {match} m WHERE {changed}"
        "   UNION ALL"
        f"  SELECT m.credit_item_id, -({since}) FROM {match} m WHERE {changed}"
        f" ) c JOIN {item} i ON i.id = c.item_id WHERE {where} GROUP BY i.dimension_id"
    )
    # A customer's total is unknown (NULL) when either side does not know it.
    combined = ", ".join(
        [
            "COALESCE(n.dimension_id, s.dimension_id) AS dimension_id",
            *(
                f"CASE WHEN n.dimension_id IS NULL THEN 0 ELSE n.{name} END"
                f" + CASE WHEN s.dimension_id IS NULL THEN 0 ELSE s.{name} END AS {name}"
                for name in names
            ),
        ]
    )
    # Customers with nothing open in any bucket are left out.
    kept = " OR ".join(["x.total IS NULL", *(f"x.{name} <> 0" for name in names)])
    sql = (
        f"SELECT * FROM (SELECT {combined} FROM ({now}) n"  # noqa: S608
        f" FULL JOIN ({since_then}) s ON s.dimension_id = n.dimension_id) x WHERE {kept}"
    )
    params = [
        *bucket_params,
        *where_params,
        *bucket_params,
        *([as_of] * 6),
        *where_params,
    ]
    return sql, params


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


def _fen_totals(rows: list[AgeingRow], columns: int) -> list[int] | None:
    """Each column's total over the rows (one pass each over the integers); None when a row
    came back without its sums (a customer with an amount too large for the quick sums)."""
    try:
        return [sum(map(itemgetter(index), rows)) for index in range(1, 1 + columns)]
    except TypeError:
        return None


def _exact_totals(totals: list[int] | None) -> list[int]:
    if totals is None:  # exact sums are never NULL
        raise ValueError("ageing sums missing")
    return totals


def ageing(
    *,
    as_of: date,
    account: Account,
    buckets: Sequence[Bucket] = DEFAULT_BUCKETS,
    basis: str = AgeingBasis.DUE,
    dimension: Dimension | None = None,
) -> Ageing:
    """Open amounts per customer as of a date, bucketed by age: every customer with anything
    open (or only `dimension`) in code order, and their totals. One query; a second, with
    exact sums, only when an item of 21 million yuan or more is open."""
    buckets = tuple(buckets)

    def read(cursor: Any, *, exact: bool) -> tuple[list[AgeingRow], list[int] | None]:
        grouped, params = _grouped_sql(
            as_of=as_of,
            account=account,
            buckets=buckets,
            basis=basis,
            dimension=dimension,
            exact=exact,
        )
        cursor.execute(
            f"SELECT g.*, d.code, d.name FROM ({grouped}) g"  # noqa: S608
            f" JOIN {Dimension._meta.db_table} d ON d.id = g.dimension_id ORDER BY d.code{_bytewise()}",
            params,
        )
        make = tuple.__new__
        rows = [make(AgeingRow, values) for values in cursor.fetchall()]
        return rows, _fen_totals(rows, 1 + len(buckets))

    with _report_cursor() as cursor, _bulk_rows():
        rows, quick = read(cursor, exact=False)
        if quick is None:
            rows, quick = read(cursor, exact=True)
    totals = _exact_totals(quick)
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
    dimension_table = Dimension._meta.db_table
    offset = (number - 1) * per_page
    with _report_cursor() as cursor:
        for exact in (False, True):
            grouped, params = _grouped_sql(
                as_of=as_of,
                account=account,
                buckets=buckets,
                basis=basis,
                dimension=dimension,
                exact=exact,
            )
            sums = ", ".join(
                [
                    # NULL when a customer's quick sums are missing: ask again, exactly.
                    "CASE WHEN COUNT(g.total) = COUNT(*)"
                    " THEN COALESCE(CAST(SUM(g.total) AS BIGINT), 0) END",
                    *(f"COALESCE(CAST(SUM(g.{name}) AS BIGINT), 0)" for name in names[1:]),
                ]
            )
            # The totals row comes first: the customer count in the id's place, no code.
            cursor.execute(
                f"WITH g AS ({grouped})"  # noqa: S608
                f" SELECT COUNT(*), {sums}, NULL, NULL FROM g"
                " UNION ALL SELECT * FROM ("
                f"  SELECT g.dimension_id, {', '.join(f'g.{name}' for name in names)},"
                f"  d.code, d.name FROM g JOIN {dimension_table} d ON d.id = g.dimension_id"
                f"  ORDER BY d.code{_bytewise()} LIMIT %s OFFSET %s"
                " ) p",
                [*params, per_page, offset],
            )
            found = cursor.fetchall()
            [summary] = [values for values in found if values[-2] is None]
            if summary[1] is not None:
                break
    make = tuple.__new__
    rows = [make(AgeingRow, values) for values in found if values[-2] is not None]
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
        # Exact sums: the rows go out as they come, so there is no second asking.
        grouped, params = _grouped_sql(
            as_of=self.as_of,
            account=self._account,
            buckets=self.buckets,
            basis=self.basis,
            dimension=self._dimension,
            exact=True,
        )
        dimension_table = Dimension._meta.db_table
        columns = 1 + len(self.buckets)
        fen = [0] * columns
        count = 0
        make = tuple.__new__
        with _report_cursor(chunked=True) as cursor:
            cursor.execute(
                f"SELECT g.*, d.code, d.name FROM ({grouped}) g"  # noqa: S608
                f" JOIN {dimension_table} d ON d.id = g.dimension_id ORDER BY d.code{_bytewise()}",
                params,
            )
            while chunk := cursor.fetchmany(self._chunk):
                for index in range(columns):
                    fen[index] += sum(map(itemgetter(index + 1), chunk))
                count += len(chunk)
                for values in chunk:
                    yield make(AgeingRow, values)
        self.totals = AgeingTotals(
            totals=[yuan(f) for f in fen[1:]], total=yuan(fen[0]), count=count
        )
