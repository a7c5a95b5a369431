"""Financial statements on PostgreSQL over the ledger benchmark's books (2.9 million lines).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres PYTHONPATH=src \
        python bench/ledger_statements.py [--customers 200000] [--items 1000000] \
        [--heavy-items 10000] [--runs 10] [--database suanpan_bench_statements] [--keep]

Loads the books with the loader of bench/ledger.py (posted invoices and receipts by COPY, the
period totals summed from the lines, checked: open items equal their accounts and the trial
balance nets to zero). Then, as posting would have, gives every receipt's bank line its
cash-flow item (receipts settle receivables: 销售商品、提供劳务收到的现金) and carries every
month's revenue to 本年利润 through `posting_post`, so the income statement has carry-forward
vouchers to leave out. It times `ledger.selectors.statement_build` for the balance sheet, the
income statement and the cash-flow statement of 2026-11 in both formats, each against one
hand-written SQL statement computing the same totals from the same tables (the ratio), and
the naive SUM over voucher lines for reference. With --keep a database an earlier --keep run
loaded to the same sizes is reused without loading. Prints a Markdown table and writes it with
EXPLAIN ANALYZE of the statements' queries to bench/results/ledger-statements-<date>.md.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from customers import machine_lines
from ledger import (
    SEED,
    LoadState,
    bench_django,
    books_setup,
    load_check,
    load_finish,
    load_step,
    sql_fn,
    timed,
)

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
MONTH = (2026, 11)
TARGET_MS = 1000.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=200_000, help="customer dimensions")
    parser.add_argument("--items", type=int, default=1_000_000, help="open items to load")
    parser.add_argument("--heavy-items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10, help="timed runs per statement")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--database", default="suanpan_bench_statements")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse a database an earlier --keep run loaded to the same sizes; keep it after",
    )
    parser.add_argument("--no-explain", action="store_true")
    return parser.parse_args(argv)


def books_load(args: argparse.Namespace) -> tuple[str, dict[str, int]]:
    """The ledger bench's books, then tags and carry-forwards as posting would write them."""
    from django.db import connection

    from suanpan.ledger import selectors, services
    from suanpan.ledger.models import CashFlowItem, PeriodTotal
    from suanpan.ledger.types import PostingEvent, RoleLine

    start = time.perf_counter()
    books = books_setup(args.customers)
    state = LoadState()
    made = load_step(
        books,
        state,
        items=args.items,
        heavy_items=args.heavy_items,
        final=True,
        rng=random.Random(SEED),
    )
    load_finish(books, state)
    load_check(books)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    bank = books.accounts["bank"]
    receipt_item = CashFlowItem.objects.get(code="CF101")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_cashflowtag (line_id, item_id, period_id, amount, source)"
            " SELECT l.id, %s, v.period_id, l.debit_amount - l.credit_amount, 'default'"
            " FROM ledger_voucherline l JOIN ledger_voucher v ON v.id = l.voucher_id"
            " WHERE l.account_id = %s",
            [receipt_item.pk, bank.pk],
        )
        tags = cursor.rowcount
    revenue = books.accounts["revenue"]
    carried = 0
    for period in sorted(books.periods.values(), key=lambda p: (p.year, p.month)):
        if (period.year, period.month) > MONTH:
            continue
        totals = PeriodTotal.objects.filter(period=period, account=revenue).first()
        if totals is None:
            continue
        amount = Decimal(totals.credit_amount) - Decimal(totals.debit_amount)
        last = selectors.period_last_day(period)
        services.posting_post(
            event=PostingEvent(
                source_type="bench.carry_forward",
                source_id=period.key,
                event="carried",
                date=last,
                summary="结转损益",
                word="转",
                lines=(
                    RoleLine("revenue", debit=amount),
                    RoleLine("current_year_profit", credit=amount),
                ),
            ),
            actor=books.actor,
        )
        carried += 1
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    note = (
        f"loaded {made['vouchers']:,} vouchers, {made['lines']:,} lines, {made['items']:,} open"
        f" items in {loaded:.0f} s (COPY, period totals, checks); then {tags:,} cash-flow tags"
        f" (INSERT … SELECT) and {carried} carry-forward vouchers through posting_post in"
        f" {time.perf_counter() - start:.0f} s"
    )
    return note, {"lines": made["lines"], "vouchers": made["vouchers"], "tags": tags}


def counts() -> dict[str, int]:
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for key, table in (
            ("lines", "ledger_voucherline"),
            ("vouchers", "ledger_voucher"),
            ("tags", "ledger_cashflowtag"),
            ("totals", "ledger_periodtotal"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            found[key] = cursor.fetchone()[0]
    return found


# The hand-written SQL: what a person who knows the tables writes for the same totals, a
# statement per kind of total, with the months as (year, month) through a join to the periods:
# balances per account with the per-customer splits (the balance sheet), balances and
# movements per account (the income and cash-flow statements and their checks), the
# profit-and-loss movements without the carry-forward vouchers, the cash-flow tags per item.
BALANCES_SQL = """
SELECT account_id,
    SUM(c) , SUM(CASE WHEN c > 0 THEN c ELSE 0 END), SUM(CASE WHEN c < 0 THEN -c ELSE 0 END),
    SUM(o), SUM(CASE WHEN o > 0 THEN o ELSE 0 END), SUM(CASE WHEN o < 0 THEN -o ELSE 0 END),
    SUM(y)
FROM (
    SELECT t.account_id, t.dimension_id,
        SUM(t.debit_amount - t.credit_amount) AS c,
        SUM(t.debit_amount - t.credit_amount) FILTER (WHERE p.year < %(year)s) AS o,
        SUM(t.credit_amount - t.debit_amount) FILTER (WHERE p.year = %(year)s) AS y
    FROM ledger_periodtotal t JOIN ledger_period p ON p.id = t.period_id
    WHERE (p.year, p.month) <= (%(year)s, %(month)s)
    GROUP BY t.account_id, t.dimension_id
) s GROUP BY account_id
"""
MOVEMENTS_SQL = """
SELECT t.account_id,
    SUM(t.debit_amount) FILTER (WHERE p.month = %(month)s AND p.year = %(year)s),
    SUM(t.credit_amount) FILTER (WHERE p.month = %(month)s AND p.year = %(year)s),
    SUM(t.debit_amount) FILTER (WHERE p.year = %(year)s),
    SUM(t.credit_amount) FILTER (WHERE p.year = %(year)s),
    SUM(t.debit_amount) FILTER (WHERE p.year = %(year)s - 1 AND p.month <= %(month)s),
    SUM(t.credit_amount) FILTER (WHERE p.year = %(year)s - 1 AND p.month <= %(month)s),
    (SELECT COALESCE(SUM(l.debit_amount - l.credit_amount), 0)
       FROM ledger_voucherline l JOIN ledger_voucher v ON v.id = l.voucher_id
       WHERE l.account_id = t.account_id AND v.status = 'posted'
         AND l.voucher_id IN (SELECT voucher_id FROM ledger_voucherline WHERE account_id = %(profit)s))
FROM ledger_periodtotal t JOIN ledger_period p ON p.id = t.period_id
    JOIN ledger_account a ON a.id = t.account_id
WHERE a.category = 'profit_loss' AND (p.year, p.month) <= (%(year)s, %(month)s)
GROUP BY t.account_id
"""
ACCOUNTS_SQL = """
SELECT t.account_id,
    SUM(t.debit_amount - t.credit_amount),
    SUM(t.debit_amount - t.credit_amount) FILTER (WHERE p.year < %(year)s),
    SUM(t.debit_amount) FILTER (WHERE p.month = %(month)s AND p.year = %(year)s),
    SUM(t.credit_amount) FILTER (WHERE p.month = %(month)s AND p.year = %(year)s),
    SUM(t.debit_amount) FILTER (WHERE p.year = %(year)s),
    SUM(t.credit_amount) FILTER (WHERE p.year = %(year)s),
    SUM(t.debit_amount) FILTER (WHERE p.year = %(year)s - 1 AND p.month <= %(month)s),
    SUM(t.credit_amount) FILTER (WHERE p.year = %(year)s - 1 AND p.month <= %(month)s)
FROM ledger_periodtotal t JOIN ledger_period p ON p.id = t.period_id
WHERE (p.year, p.month) <= (%(year)s, %(month)s)
GROUP BY t.account_id
"""
ITEMS_SQL = """
SELECT g.item_id,
    SUM(g.amount) FILTER (WHERE p.year = %(year)s AND p.month = %(month)s),
    SUM(g.amount) FILTER (WHERE p.year = %(year)s),
    SUM(g.amount) FILTER (WHERE p.year = %(year)s - 1 AND p.month <= %(month)s)
FROM ledger_cashflowtag g JOIN ledger_period p ON p.id = g.period_id
WHERE (p.year, p.month) <= (%(year)s, %(month)s)
GROUP BY g.item_id
"""
LINES_SQL = """
SELECT l.account_id, SUM(l.debit_amount), SUM(l.credit_amount)
FROM ledger_voucherline l JOIN ledger_voucher v ON v.id = l.voucher_id
WHERE v.status = 'posted' AND v.date <= %(end)s GROUP BY l.account_id
"""


def statements_run(args: argparse.Namespace) -> tuple[list[list[Any]], list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from suanpan.ledger import selectors

    month = selectors.Month(*MONTH)
    profit = selectors.account_for_role("current_year_profit")
    params = {"year": month.year, "month": month.month, "profit": profit.pk if profit else 0,
              "end": date(2026, 11, 30)}  # fmt: skip
    baselines = {
        "balance-sheet": [BALANCES_SQL, MOVEMENTS_SQL],
        "income": [MOVEMENTS_SQL, ACCOUNTS_SQL],
        "cash-flow": [ITEMS_SQL, ACCOUNTS_SQL, MOVEMENTS_SQL],
    }
    rows: list[list[Any]] = []
    explains: list[str] = []
    for fmt in ("cas", "asbe_se"):
        for kind in ("balance-sheet", "income", "cash-flow"):

            def build(kind: str = kind, fmt: str = fmt) -> Any:
                return selectors.statement_build(kind=kind, fmt=fmt, month=month)

            median, p95, statement = timed(build, runs=args.runs, warmup=args.warmup)
            with CaptureQueriesContext(connection) as captured:
                build()
            sqls = baselines[kind]

            def baseline(sqls: list[str] = sqls) -> int:
                return sum(sql_fn(sql, [], settings="")() for sql in _bound(sqls, params))

            base_median, _base_p95, _n = timed(baseline, runs=args.runs, warmup=args.warmup)
            checks = ", ".join(f"{c.key} {c.status}" for c in statement.checks[:3])
            rows.append([
                f"{kind} ({fmt})", len(statement.lines), f"{median:.0f}", f"{p95:.0f}",
                f"{base_median:.0f}", f"{median / base_median:.2f}×", len(captured),
                "met" if median < TARGET_MS else "**missed**", checks,
            ])  # fmt: skip
            print(f"  {kind} ({fmt}): {median:.0f} ms (p95 {p95:.0f}), hand-written SQL "
                  f"{base_median:.0f} ms, {len(captured)} queries; {checks}")  # fmt: skip
            if not args.no_explain and fmt == "cas":
                explains += _explain(kind, captured.captured_queries)
    lines_sql = _bound([LINES_SQL], params)[0]
    median, _p95, _n = timed(sql_fn(lines_sql, []), runs=3, warmup=1)
    rows.append(["reference: SUM over voucher lines GROUP BY account", "", f"{median:.0f}", "",
                 "", "", 1, "", ""])  # fmt: skip
    print(f"  SUM over voucher lines: {median:.0f} ms")
    return rows, explains


def _bound(sqls: list[str], params: dict[str, Any]) -> list[str]:
    from django.db import connection

    return [connection.ops.compose_sql(sql, params) for sql in sqls]


def _explain(title: str, queries: list[dict[str, str]]) -> list[str]:
    from django.db import connection

    found = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if (
                "ledger_periodtotal" not in sql
                and "ledger_cashflowtag" not in sql
                and ("ledger_voucherline" not in sql)
            ):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            found.append(f"### {title}\n\n```\n{sql[:600]}\n\n{plan}\n```\n")
    return found


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    _url, kept, loaded_note = bench_django(args, what="statements")
    from django.db import connection

    if kept:
        note = "kept database: loaded by an earlier --keep run"
    else:
        note, _made = books_load(args)
        if args.keep:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"COMMENT ON DATABASE {connection.ops.quote_name(args.database)} IS %s",
                    [loaded_note],
                )
    print(note)
    sizes = counts()
    load_before = os.getloadavg()[0]
    rows, explains = statements_run(args)
    load_after = os.getloadavg()[0]
    header = ["statement", "rows", "median ms", "p95 ms", "hand-written SQL ms", "ratio",
              "queries", "< 1 s", "checks"]  # fmt: skip
    table = "\n".join(
        ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    )
    report = [
        f"# Financial statements benchmark, {date.today().isoformat()}",  # noqa: DTZ011
        "",
        f"{sizes['lines']:,} voucher lines in {sizes['vouchers']:,} vouchers, "
        f"{sizes['totals']:,} period totals, {sizes['tags']:,} cash-flow tags; "
        f"{args.customers:,} customers. Statements of {MONTH[0]}-{MONTH[1]:02d}, "
        f"{args.runs} timed runs after {args.warmup} warm-up runs.",
        "",
        f"- {note}",
        f"- load average (1 min) {load_before:.2f} before and {load_after:.2f} after the runs",
        "",
        *machine_lines(),
        "",
        table,
        "",
        "## EXPLAIN ANALYZE",
        "",
        *explains,
    ]
    print()
    print(table)
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"ledger-statements-{date.today().isoformat()}.md"  # noqa: DTZ011
    out.write_text("\n".join(report))
    print(f"\nWritten to {out.relative_to(BENCH_DIR.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
