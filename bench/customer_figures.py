"""Customer figures on PostgreSQL: balance, overdue and days to pay for a page of customers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/customer_figures.py \
        [--customers 200000] [--items 1000000] [--heavy-items 10000] [--runs 20] \
        [--database suanpan_bench_figures] [--keep] [--reuse]

Loads the books as bench/ledger.py does (its loader: posted vouchers, open items and matches
by COPY, consistent), then times `ledger.selectors.customer_figures` for pages of 25, 50 and
200 customers (the list page, the API's default and largest page), picked at random, and for a
page of 25 that holds the one large customer. Prints a Markdown table with the query count
and EXPLAIN ANALYZE of the 25-customer page, and writes them to
bench/results/customer-figures-<date>.md. The database is dropped at the end unless --keep;
--reuse times a kept one again without loading.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import warnings
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from customers import machine_lines, percentile
from ledger import (
    LOAD_LAST_DAY,
    SEED,
    LoadState,
    books_setup,
    database_prepare,
    load_check,
    load_finish,
    load_step,
)

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
# The loaded books end on LOAD_LAST_DAY: "today" for overdue and the year of settlements.
TODAY = LOAD_LAST_DAY


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=200_000, help="customer dimensions")
    parser.add_argument("--items", type=int, default=1_000_000, help="open items to load")
    parser.add_argument(
        "--heavy-items", type=int, default=10_000, help="open items of the one large customer"
    )
    parser.add_argument("--runs", type=int, default=20, help="timed runs (each a new page)")
    parser.add_argument("--database", default="suanpan_bench_figures", help="database to create")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="time a database kept by an earlier --keep run"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1/postgres"
        )
    if args.reuse:
        bench_url = urlunsplit(urlsplit(url)._replace(path=f"/{args.database}"))
    else:
        bench_url = database_prepare(url=url, name=args.database)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
    os.environ["DJANGO_SETTINGS_MODULE"] = "suanpan.settings"
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from suanpan.ledger import selectors
    from suanpan.ledger.models import Dimension, OpenItem, OpenItemMatch

    print(f"Database {args.database} on {urlsplit(url).hostname}")
    if args.reuse:
        codes = list(
            Dimension.objects.filter(kind="customer")
            .order_by("code")
            .values_list("code", flat=True)
        )
        load_note = (
            f"{len(codes):,} customers; {OpenItem.objects.count():,} open items, "
            f"{OpenItemMatch.objects.count():,} matches (reused database)"
        )
    else:
        call_command("migrate", verbosity=0, interactive=False)
        start = time.perf_counter()
        books = books_setup(args.customers)
        rng = random.Random(SEED)
        state = LoadState()
        made = load_step(
            books, state, items=args.items, heavy_items=args.heavy_items, final=True, rng=rng
        )
        load_finish(books, state)
        load_check(books)
        load_note = (
            f"{args.customers:,} customers; {made['vouchers']:,} vouchers, {made['items']:,} open "
            f"items, {made.get('matches', 0):,} matches (the large customer KH-000001 has "
            f"{args.heavy_items:,} items), loaded and checked in {time.perf_counter() - start:.0f} s"
        )
        codes = books.dimension_codes[1:]
    print(load_note)

    pick = random.Random(SEED + 1)
    rows = []
    explain = ""
    for title, size, heavy in (
        ("page of 25 customers", 25, False),
        ("page of 25 with the large customer", 25, True),
        ("page of 50 customers (API default)", 50, False),
        ("page of 200 customers (API largest)", 200, False),
    ):
        pages = [pick.sample(codes, size) for _ in range(args.runs + 2)]
        if heavy:
            pages = [["KH-000001", *page[1:]] for page in pages]
        for page in pages[:2]:  # warm-up
            selectors.customer_figures(codes=page, today=TODAY)
        samples = []
        for page in pages[2:]:
            begin = time.perf_counter()
            selectors.customer_figures(codes=page, today=TODAY)
            samples.append((time.perf_counter() - begin) * 1000)
        with CaptureQueriesContext(connection) as captured:
            found = selectors.customer_figures(codes=pages[-1], today=TODAY)
        owing = sum(1 for figures in found.values() if figures.balance)
        samples.sort()
        median = samples[len(samples) // 2]
        p95 = percentile(samples, 0.95)
        rows.append(f"| {title} | {owing} | {median:.1f} | {p95:.1f} | {len(captured)} |")
        print(f"  {title}: {median:.1f} ms median, {p95:.1f} ms p95, {len(captured)} queries")
        if size == 25 and not heavy:
            sql = captured.captured_queries[0]["sql"]
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                explain = "\n".join(r[0] for r in cursor.fetchall())

    table = "\n".join(
        [
            "| figures of | customers owing | median ms | p95 ms | queries |",
            "| --- | ---: | ---: | ---: | ---: |",
            *rows,
        ]
    )
    report = "\n".join(
        [
            f"# Customer figures benchmark, {date.today().isoformat()}",  # noqa: DTZ011
            "",
            f"- {load_note}",
            f"- today = {TODAY}; {args.runs} timed runs per row, each on another random page",
            "",
            *machine_lines(),
            "",
            table,
            "",
            "## EXPLAIN ANALYZE, page of 25",
            "",
            "```",
            explain,
            "```",
            "",
        ]
    )
    print()
    print(table)
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"customer-figures-{date.today().isoformat()}.md"  # noqa: DTZ011
    out.write_text(report)
    print(f"\nWritten to {out.relative_to(BENCH_DIR.parent)}")
    if not args.keep:
        connection.close()
        import psycopg
        from psycopg import sql as pgsql

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                pgsql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    pgsql.Identifier(args.database)
                )
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
