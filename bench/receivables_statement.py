"""Customer statement benchmark on PostgreSQL: one customer's statement of N lines (对账单)
read by `receivables.selectors.statement_of` against a hand-written SQL query of the same
totals.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/receivables_statement.py \
        [--lines 10000] [--rounds 5]

Creates its own database (`suanpan_bench_statement`) on the server named by DATABASE_URL and
migrates it; sets the books up with the ledger benchmark's COPY loader (bench/ledger.py) for
`--customers` customers and loads `--items` posted open items (invoices and receipts, each a
line on the receivable account) spread over them, plus a fifth more than the statement is to
show for the one large customer (KH-000001), so its statement starts on the day that leaves N
lines in its range and has an opening balance to carry. It then times, best of
`--rounds`, `statement_of` with every line read (opening, movements with their running
balance, closing, the ageing at the end) against one SQL statement summing the opening and the
period's debits and credits over the same lines, checks both give the same totals, and
prints the ratio. Target: the statement under 0.5 s. The database is dropped at the end unless
--keep is given.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from ledger import LOAD_LAST_DAY, LoadState, books_setup, load_finish, load_step  # noqa: E402
from sales import database_drop, database_prepare, machine_lines, uptime  # noqa: E402

TARGET_S = 0.5
SEED = 2026

# The same totals as the statement, written by hand: the customer's posted lines on the
# receivable and advance accounts (and their sub-accounts), summed before the start and in
# the range.
TOTALS_SQL = """
SELECT
  COALESCE(SUM(l.debit_amount - l.credit_amount) FILTER (WHERE v.date < %(start)s), 0),
  COALESCE(SUM(l.debit_amount) FILTER (WHERE v.date >= %(start)s), 0),
  COALESCE(SUM(l.credit_amount) FILTER (WHERE v.date >= %(start)s), 0),
  COUNT(*) FILTER (WHERE v.date >= %(start)s)
FROM ledger_voucherline l
JOIN ledger_voucher v ON v.id = l.voucher_id
JOIN ledger_account a ON a.id = l.account_id
WHERE l.dimension_id = %(dimension)s
  AND v.status = 'posted'
  AND v.date <= %(end)s
  AND (a.code = ANY(%(codes)s) OR a.code LIKE ANY(%(prefixes)s))
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=10_000, help="lines in the statement")
    parser.add_argument("--customers", type=int, default=1000, help="customers in the books")
    parser.add_argument("--items", type=int, default=20_000, help="other customers' items")
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each (best kept)")
    parser.add_argument("--database", default="suanpan_bench_statement", help="database to use")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args(argv)


def setup(args: argparse.Namespace) -> tuple[object, object]:
    """Books of many customers, one of them with a fifth more receivable lines than the
    statement shows; returns that customer and the statement's first day."""
    from django.db import connection

    from suanpan.customers.models import Customer
    from suanpan.ledger.models import VoucherLine

    rng = random.Random(SEED)
    start = time.perf_counter()
    books = books_setup(max(2, args.customers))
    state = LoadState()
    heavy = args.lines + args.lines // 5
    made = load_step(books, state, items=args.items + heavy, heavy_items=heavy, final=True, rng=rng)
    load_finish(books, state)
    customer = Customer.objects.create(
        number="KH-000001", name="基准客户000001有限公司", owner=books.actor
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    receivable = books.accounts["receivable"]
    dates = list(
        VoucherLine.objects.filter(account=receivable, dimension__code=customer.number)
        .order_by("-voucher__date")
        .values_list("voucher__date", flat=True)[: args.lines]
    )
    print(
        f"Books: {args.customers:,} customers, {made['items']:,} open items; KH-000001's "
        f"statement from {dates[-1]} holds its last {len(dates):,} receivable lines; loaded in "
        f"{time.perf_counter() - start:.0f} s"
    )
    return customer, dates[-1]


def best(rounds: int, run) -> tuple[float, object]:
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1/postgres"
        )
    bench_url, _fresh = database_prepare(url=url, name=args.database, reuse=False)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
    os.environ["DJANGO_SETTINGS_MODULE"] = "suanpan.settings"
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command

    print(f"Database {args.database} on {urlsplit(url).hostname}; started with {uptime()}.")
    try:
        call_command("migrate", verbosity=0, interactive=False)
        customer, first_day = setup(args)
        end = LOAD_LAST_DAY
        from django.db import connection

        from suanpan.core.sums import yuan
        from suanpan.ledger.selectors import dimension_by_code
        from suanpan.receivables.selectors import statement_of
        from suanpan.receivables.selectors.sides import customer_accounts

        def statement():
            report = statement_of(customer=customer, start=first_day, end=end)
            count = 0
            last = None
            for line in report.lines.iterator(chunk_size=2000):
                count += 1
                last = line
            return report, count, last

        accounts = [a for a in customer_accounts() if a is not None]
        dimension = dimension_by_code(code=customer.number)
        params = {
            "start": first_day,
            "end": end,
            "dimension": dimension.pk,
            "codes": [a.code for a in accounts],
            "prefixes": [f"{a.code}.%" for a in accounts],
        }

        def by_hand():
            with connection.cursor() as cursor:
                cursor.execute(TOTALS_SQL, params)
                return cursor.fetchone()

        statement()  # warm: the first run pays for imports and plans
        statement_s, (report, count, last) = best(args.rounds, statement)
        sql_s, (opening, debit, credit, sql_count) = best(args.rounds, by_hand)
        same = (
            report.opening == yuan(opening)
            and report.debit == yuan(debit)
            and report.credit == yuan(credit)
            and count == sql_count
            and (last is None or last.balance == report.closing)
        )
        verdict = "meets" if statement_s < TARGET_S else "misses"
        print(
            f"statement_of, {count:,} lines read with running balances and the ageing: "
            f"**{statement_s * 1000:.0f} ms** (best of {args.rounds}); hand-written SQL of the "
            f"same totals: {sql_s * 1000:.1f} ms; ratio {statement_s / sql_s:.1f}×; totals "
            f"{'agree' if same else 'DIFFER'} (opening {report.opening:,.2f}, closing "
            f"{report.closing:,.2f}); {verdict} the {TARGET_S * 1000:.0f} ms target. "
            f"Finished with {uptime()}."
        )
        for line in machine_lines():
            print(line)
        if not same:
            return 1
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            database_drop(url=url, name=args.database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
