"""Automatic matching (自动核销) benchmark on PostgreSQL: N new receipts settled against the open
invoices of books with many customers, by `settlement_auto_many` — what
`suanpan receivables auto-match --all` runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/receivables_match.py \
        [--receipts 100000] [--customers 200000] [--items 1000000]

Creates its own database (`suanpan_bench_match`) on the server named by DATABASE_URL and
migrates it; sets the books up and loads `--items` posted open items (invoices, about a fifth
of them receipts that settled them, dated 2025-01 to 2026-11) for `--customers` customers with
the ledger benchmark's COPY loader (bench/ledger.py) and adds the customers themselves. It then
records `--receipts` receipts in December, each for a customer with invoices open — about 60 %
of the customer's open total, 25 % all of it, 15 % more (the rest stays an advance) — posted
through the ledger's batch path without settling anything, and times one automatic matching
run, oldest due first. The floor it is compared with is a hand-written query computing the same
totals: per customer the smaller of what it owes and what it paid, summed (one GROUP BY over
the open items); the run must settle exactly that sum. Target: under 60 s for 100,000 receipts.
The database is dropped at the end unless --keep is given.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import warnings
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from ledger import LoadState, books_setup, load_finish, load_step  # noqa: E402
from sales import database_drop, database_prepare, machine_lines, uptime  # noqa: E402

TARGET_S = 60.0
TARGET_RECEIPTS = 100_000
SEED = 2026
RECEIVED_ON = date(2026, 12, 1)
MATCH_ON = date(2026, 12, 2)
POST_BATCH = 2_000

# Per customer: the smaller of its open debits and its open credits (receivable and advance
# accounts), summed — what matching oldest due first settles when every item was posted by
# the day.
FLOOR_SQL = """
SELECT COALESCE(SUM(LEAST(d, c)), 0) FROM (
  SELECT dimension_id,
         SUM(open_amount) FILTER (WHERE amount > 0) AS d,
         -SUM(open_amount) FILTER (WHERE amount < 0) AS c
  FROM ledger_openitem
  WHERE open_amount <> 0 AND account_id = ANY(%s)
  GROUP BY dimension_id
) s WHERE d > 0 AND c > 0
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--receipts", type=int, default=100_000, help="receipts to settle")
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--items", type=int, default=1_000_000, help="open items loaded")
    parser.add_argument("--database", default="suanpan_bench_match", help="database to use")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--one-by-one",
        action="store_true",
        help="settle customer by customer with settlement_auto (the way before batches)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="print where the matching run spends its time"
    )
    return parser.parse_args(argv)


def setup(args: argparse.Namespace) -> tuple[Any, list[int]]:
    """Books, open items, customers and the new receipts; returns the actor and the ids of
    the receivable and advance accounts."""
    from django.db import connection

    from suanpan.customers.calculations import name_key
    from suanpan.customers.models import Customer
    from suanpan.ledger.selectors import account_for_role
    from suanpan.ledger.services import posting_post_batch
    from suanpan.ledger.types import PostingEvent, Role, RoleLine
    from suanpan.receivables.models import Receipt

    rng = random.Random(SEED)
    start = time.perf_counter()
    books = books_setup(args.customers)
    state = LoadState()
    made = load_step(books, state, items=args.items, heavy_items=0, final=True, rng=rng)
    load_finish(books, state)
    print(
        f"Books: {args.customers:,} customer dimensions, {made['items']:,} open items, "
        f"{made['matches']:,} matches in {time.perf_counter() - start:.0f} s"
    )
    start = time.perf_counter()
    Customer.objects.bulk_create(
        (
            Customer(
                number=f"KH-{n:06d}",
                name=f"基准客户{n:06d}有限公司",
                name_key=name_key(f"基准客户{n:06d}有限公司"),
                owner=books.actor,
            )
            for n in range(1, args.customers + 1)
        ),
        batch_size=10_000,
    )
    ids = dict(Customer.objects.values_list("number", "pk"))
    owing = _open_totals()
    rng.shuffle(owing)
    chosen = owing[: args.receipts]
    if len(chosen) < args.receipts:
        print(f"Only {len(chosen):,} customers owe anything: one receipt each.")
    receipts = []
    for index, (code, open_fen) in enumerate(chosen):
        roll = rng.random()
        share = 1.0 if roll < 0.25 else (1.3 if roll < 0.40 else 0.6)
        fen = max(1, int(open_fen * share))
        receipts.append(
            Receipt(
                number=f"SK-BENCH-{index:07d}",
                customer_id=ids[code],
                received_on=RECEIVED_ON,
                amount=Decimal(fen).scaleb(-2),
                created_by=books.actor,
            )
        )
    receipts = Receipt.objects.bulk_create(receipts, batch_size=10_000)
    events = [
        PostingEvent(
            source_type="receivables.receipt",
            source_id=str(receipt.pk),
            event="receive",
            date=RECEIVED_ON,
            summary=f"收款 {receipt.number}",
            word="收",
            lines=(
                RoleLine(role=Role.BANK, debit=receipt.amount),
                RoleLine(role=Role.CUSTOMER_ADVANCE, credit=receipt.amount, dimension_code=code),
            ),
        )
        for receipt, (code, _fen) in zip(receipts, chosen, strict=True)
    ]
    for first in range(0, len(events), POST_BATCH):
        posting_post_batch(events=events[first : first + POST_BATCH], actor=books.actor)
    with connection.cursor() as cursor:
        # As autovacuum would after such inserts: the planner needs the new rows' statistics.
        for table in ("customers_customer", "receivables_receipt", "ledger_openitem"):
            cursor.execute(f"ANALYZE {table}")
    print(
        f"{args.customers:,} customers and {len(receipts):,} receipts (advances, posted) in "
        f"{time.perf_counter() - start:.0f} s"
    )
    accounts = [books.accounts["receivable"].pk]
    advance = account_for_role(Role.CUSTOMER_ADVANCE)
    if advance is not None:
        accounts.append(advance.pk)
    return books.actor, accounts


def _open_totals() -> list[tuple[str, int]]:
    """(customer code, open fen) of every customer with an invoice open, in code order."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT d.code, SUM(i.open_amount) FROM ledger_openitem i"
            " JOIN ledger_dimension d ON d.id = i.dimension_id"
            " WHERE i.open_amount > 0 GROUP BY d.code ORDER BY d.code"
        )
        return [(code, int(fen)) for code, fen in cursor.fetchall()]


def _one_by_one(actor: Any) -> Any:
    """The same matching, one `settlement_auto` per customer with both sides open."""
    from suanpan.customers.models import Customer
    from suanpan.ledger.models import Account
    from suanpan.ledger.selectors import account_for_role, open_item_dimensions
    from suanpan.ledger.types import Role
    from suanpan.receivables.services import AutoMatchTotals, settlement_auto

    receivable = account_for_role(Role.RECEIVABLE)
    advance = account_for_role(Role.CUSTOMER_ADVANCE)
    if not isinstance(receivable, Account) or not isinstance(advance, Account):
        raise SystemExit("the books have no receivable or advance account")
    owing = open_item_dimensions(account=receivable, debit=True)
    paid = set(open_item_dimensions(account=advance, debit=False))
    paid |= set(open_item_dimensions(account=receivable, debit=False))
    ids = Customer.objects.filter(number__in=owing.keys() & paid).order_by("pk")
    made, amount = 0, Decimal(0)
    for pk in ids.values_list("pk", flat=True):
        settlement = settlement_auto(customer_id=pk, actor=actor, on=MATCH_ON)
        if settlement is not None:
            made += 1
            amount += settlement.amount
    return AutoMatchTotals(customers=ids.count(), settlements=made, amount=amount, refused=[])


def floor_run(accounts: list[int]) -> tuple[float, Decimal]:
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [accounts])
        (fen,) = cursor.fetchone()
    return time.perf_counter() - start, Decimal(int(fen)).scaleb(-2)


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
        actor, accounts = setup(args)
        floor_s, expected = floor_run(accounts)
        from suanpan.ledger.selectors import open_items_check
        from suanpan.receivables.services import settlement_auto_many

        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        start = time.perf_counter()
        if args.one_by_one:
            totals = _one_by_one(actor)
        else:
            totals = settlement_auto_many(actor=actor, on=MATCH_ON)
        run_s = time.perf_counter() - start
        if profiler is not None:
            import pstats

            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        check_start = time.perf_counter()
        problems = open_items_check(as_of=MATCH_ON + timedelta(days=1))
        check_s = time.perf_counter() - check_start
        # The target is for 100,000 receipts: a smaller run is scaled up to it.
        projected = run_s * TARGET_RECEIPTS / max(args.receipts, 1)
        verdict = "meets" if projected < TARGET_S else "misses"
        agrees = "equal" if totals.amount == expected else f"DIFFERENT (floor {expected:,.2f})"
        print(
            f"Automatic matching of {args.receipts:,} receipts: **{run_s:.1f} s** for "
            f"{totals.customers:,} customers, {totals.settlements:,} settlements, "
            f"{totals.amount:,.2f} settled ({agrees} to the hand-written totals), "
            f"{len(totals.refused)} refused; {totals.settlements / run_s:,.0f} settlements/s. "
            f"Hand-written totals query: {floor_s * 1000:.0f} ms, ratio {run_s / floor_s:,.0f}×. "
            f"Open items against the accounts afterwards: {len(problems)} differences "
            f"({check_s:.1f} s). At this rate 100,000 receipts take {projected:,.0f} s: "
            f"{verdict} the {TARGET_S:.0f} s target. "
            f"Finished with {uptime()}."
        )
        for line in machine_lines():
            print(line)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            database_drop(url=url, name=args.database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
