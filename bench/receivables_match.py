"""Automatic matching (自动核销) benchmark on PostgreSQL: N new receipts settled against the open
invoices of books with many customers, by `settlement_auto_many` — what
`suanpan receivables auto-match --all` runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/receivables_match.py \
        [--receipts 100000] [--customers 200000] [--items 1000000] [--settled 800000] [--reuse]

Creates its own database (`suanpan_bench_match`) on the server named by DATABASE_URL and
migrates it; sets the books up (the CAS chart, one dimension per customer) and loads, with
COPY, `--items` posted invoices and `--settled` posted receipts that settled them (the oldest
open invoice of the customer, fully or half), dated 2025-01 to 2026-11, for `--customers`
customers: vouchers numbered and hash-chained, an open item per receivable line, the matches,
open amounts and period totals as the posting and matching services would leave them. It
adds the customers themselves, then records `--receipts` receipts in December, each for a
customer with invoices open — about 60 % of the customer's open total, 25 % all of it, 15 %
more (the rest stays an advance) — posted through the ledger's batch path without settling
anything, and times one automatic matching run, oldest due first.

The floor it is compared with is a hand-written query computing the same totals: per customer
the smaller of what it owes and what it paid, summed (one GROUP BY over the open items); the
run must settle exactly that sum, and the open items must equal their accounts afterwards.
Target: under 60 s for 100,000 receipts (a smaller run is scaled to 100,000 for the verdict).

With --reuse the books before matching are kept in `<database>_books` (loading the full size
takes several minutes) and each run starts from a copy of them (CREATE DATABASE … TEMPLATE),
so the run can be repeated on the same books. The run's database is dropped at the end unless
--keep is given.
"""

from __future__ import annotations

import argparse
import heapq
import os
import random
import sys
import time
import warnings
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
if "PYTHONPATH" not in os.environ:
    # This checkout's code, not whichever the environment installed (set PYTHONPATH to time
    # another checkout's).
    sys.path.insert(0, str(BENCH_DIR.parent / "src"))

from ledger import (  # noqa: E402
    FIRST_DAY,
    LOAD_LAST_DAY,
    Books,
    LoadState,
    books_setup,
    load_finish,
    voucher_rows,
)
from sales import database_drop, machine_lines, uptime  # noqa: E402

TARGET_S = 60.0
TARGET_RECEIPTS = 100_000
SEED = 2026
RECEIVED_ON = date(2026, 12, 1)
MATCH_ON = date(2026, 12, 2)
POST_BATCH = 2_000
# Vouchers per COPY while loading: memory stays flat whatever the size.
LOAD_FLUSH = 50_000
BOOKS_NOTE = "receivables_match books v2: {customers} customers, {items} invoices, {settled} settled, {receipts} receipts"

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
    parser.add_argument("--items", type=int, default=1_000_000, help="invoices in the books")
    parser.add_argument(
        "--settled",
        type=int,
        default=None,
        help="receipts in the books that settled invoices (default 80 %% of --items)",
    )
    parser.add_argument("--database", default="suanpan_bench_match", help="database to use")
    parser.add_argument("--keep", action="store_true", help="keep the run's database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the books before matching in <database>_books and start each run from a copy",
    )
    parser.add_argument("--chunk", type=int, default=None, help="customers per transaction")
    parser.add_argument(
        "--one-by-one",
        action="store_true",
        help="settle customer by customer with settlement_auto (the way before batches)",
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="afterwards also verify the books (hash chain, numbers, period totals)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="print where the matching run spends its time"
    )
    args = parser.parse_args(argv)
    if args.settled is None:
        args.settled = args.items * 4 // 5
    return args


# --- the books ---------------------------------------------------------------------------------


def _gross_fen(rng: random.Random) -> int:
    return rng.choice((rng.randint(10_000, 500_000), rng.randint(500_000, 10_000_000)))


class _Loader:
    """Posted invoices and the receipts that settled them, written with COPY in batches."""

    def __init__(self, books: Books, state: LoadState) -> None:
        self.books = books
        self.state = state
        self.receivable = books.accounts["receivable"]
        self.revenue = books.accounts["revenue"]
        self.vat = books.accounts["vat_output"]
        self.bank = books.accounts["bank"]
        self.now = datetime.now(UTC)
        self.rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)

    def voucher(
        self,
        *,
        on: date,
        word: str,
        summary: str,
        source: tuple[str, str],
        event: str,
        body: list[tuple[Any, int, int, int, date | None]],  # account, customer n, Dr, Cr, due
    ) -> list[int]:
        """A posted voucher and its lines, numbered and chained; the ids of its lines."""
        row, line_rows, line_ids = voucher_rows(
            self.books, self.state, on=on, word=word, summary=summary, source=source,
            event=event, body=body, now=self.now,
        )  # fmt: skip
        self.rows["ledger_voucher"].append(row)
        self.rows["ledger_voucherline"].extend(line_rows)
        return line_ids

    def item(
        self, line_id: int, n: int, on: date, due: date, fen: int, source: tuple[str, str]
    ) -> int:
        self.state.item_id += 1
        self.rows["ledger_openitem"].append(
            (self.state.item_id, line_id, self.receivable.pk, self.books.dimension_ids[n], on,
             due, fen, fen, *source, *self.state.last_voucher)
        )  # fmt: skip
        return self.state.item_id

    def invoice(self, n: int, on: date, rng: random.Random) -> tuple[int, int]:
        """An invoice of customer n: Dr receivable / Cr revenue, Cr VAT; (item id, fen)."""
        gross = _gross_fen(rng)
        net = (gross * 200 + 113) // 226  # gross / 1.13, half up, in fen
        due = on + timedelta(days=rng.choice((0, 30, 30, 60, 90)))
        source = ("invoicing.invoice", f"FP{self.state.voucher_id + 1:08d}")
        lines = self.voucher(
            on=on,
            word="转",
            summary=f"发票 {source[1]}",
            source=source,
            event="issued",
            body=[(self.receivable, n, gross, 0, due), (self.revenue, 0, 0, net, None),
                  (self.vat, 0, 0, gross - net, None)],
        )  # fmt: skip
        self.counts["invoices"] += 1
        return self.item(lines[0], n, on, due, gross, source), gross

    def receipt(self, n: int, on: date, invoice_item: int, fen: int) -> None:
        """A receipt of customer n that settled `fen` of one invoice: Dr bank / Cr receivable."""
        source = ("receivables.receipt", f"SK{self.state.voucher_id + 1:08d}")
        lines = self.voucher(
            on=on,
            word="收",
            summary=f"收款 {source[1]}",
            source=source,
            event="received",
            body=[(self.bank, 0, fen, 0, None), (self.receivable, n, 0, fen, None)],
        )
        item = self.item(lines[1], n, on, on, -fen, source)
        self.state.match_id += 1
        self.rows["ledger_openitemmatch"].append(
            (self.state.match_id, invoice_item, item, fen, on, self.books.actor.pk, self.now)
        )
        self.counts["settled"] += 1

    def flush(self) -> None:
        from django.db import connection

        columns = {
            "ledger_voucher": "id, period_id, word, number, date, summary, attachments, status, "
            "maker_id, poster_id, posted_at, source_type, source_id, source_event, chain_seq, "
            "prev_hash, hash, created_at",
            "ledger_voucherline": "id, voucher_id, line_no, account_id, dimension_id, summary, "
            "debit_amount, credit_amount, due_on",
            "ledger_openitem": "id, line_id, account_id, dimension_id, posted_on, due_on, amount, "
            "open_amount, source_type, source_id, voucher_number, summary",
            "ledger_openitemmatch": "id, debit_item_id, credit_item_id, amount, matched_on, "
            "created_by_id, created_at",
        }
        with connection.cursor() as cursor:
            for table, names in columns.items():
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in self.rows[table]:
                        copy.write_row(row)
        self.rows.clear()


def books_load(args: argparse.Namespace, books: Books, rng: random.Random) -> dict[str, int]:
    """`--items` invoices and up to `--settled` receipts, each settling the oldest open invoice
    of its customer (fully, or half of it one time in five), in date order."""
    state = LoadState()
    loader = _Loader(books, state)
    events = args.items + args.settled
    span = (LOAD_LAST_DAY - FIRST_DAY).days
    dates = sorted(FIRST_DAY + timedelta(days=rng.randrange(span)) for _ in range(events))
    # customer → heap of (posted on, item id, open fen) of its invoices not settled yet
    open_invoices: dict[int, list[tuple[date, int, int]]] = defaultdict(list)
    invoices_left, receipts_left = args.items, args.settled
    for index, on in enumerate(dates):
        n = rng.randint(1, args.customers)
        heap = open_invoices[n]
        # Receipts at the rate still wanted, for customers with an invoice open by the day.
        wants_receipt = receipts_left and rng.random() < receipts_left / (len(dates) - index)
        if (wants_receipt or not invoices_left) and heap and heap[0][0] <= on:
            posted_on, item_id, open_fen = heapq.heappop(heap)
            part = open_fen if rng.random() < 0.8 else open_fen // 2
            if part < open_fen:
                heapq.heappush(heap, (posted_on, item_id, open_fen - part))
            loader.receipt(n, on, item_id, part)
            receipts_left -= 1
        elif invoices_left:
            heapq.heappush(heap, (on, *loader.invoice(n, on, rng)))
            invoices_left -= 1
        if len(loader.rows["ledger_voucher"]) >= LOAD_FLUSH:
            loader.flush()
    loader.flush()
    load_finish(books, state)
    return dict(loader.counts)


def setup(args: argparse.Namespace) -> None:
    """Books, open items, customers and the new receipts."""
    from django.db import connection

    from suanpan.customers.calculations import name_key
    from suanpan.customers.models import Customer
    from suanpan.ledger.services import posting_post_batch
    from suanpan.ledger.types import PostingEvent, Role, RoleLine
    from suanpan.receivables.models import Receipt

    rng = random.Random(SEED)
    start = time.perf_counter()
    books = books_setup(args.customers)
    made = books_load(args, books, rng)
    print(
        f"Books: {args.customers:,} customer dimensions, {made.get('invoices', 0):,} invoices, "
        f"{made.get('settled', 0):,} receipts that settled them, loaded in "
        f"{time.perf_counter() - start:.0f} s"
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
        cursor.execute("VACUUM ANALYZE")
    print(
        f"{args.customers:,} customers and {len(receipts):,} receipts (advances, posted) in "
        f"{time.perf_counter() - start:.0f} s"
    )


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


def _accounts() -> tuple[Any, list[int]]:
    """The actor who loaded the books and the ids of the receivable and advance accounts."""
    from suanpan.ledger.selectors import account_for_role
    from suanpan.ledger.types import Role
    from suanpan.users.models import User

    actor = User.objects.get(username="bench-accountant")
    accounts = [
        account.pk
        for role in (Role.RECEIVABLE, Role.CUSTOMER_ADVANCE)
        if (account := account_for_role(role)) is not None
    ]
    return actor, accounts


# --- databases ---------------------------------------------------------------------------------


def _admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _recreate(url: str, name: str, *, template: str | None = None) -> None:
    from psycopg import sql

    with _admin(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            # A file copy: logging every block of a database of millions of rows (the
            # default strategy since PostgreSQL 15) takes minutes.
            query = sql.SQL("CREATE DATABASE {} TEMPLATE {} STRATEGY FILE_COPY").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        conn.execute(query)


def _note(url: str, name: str) -> str | None:
    with _admin(url) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return row[0] if row else None


def _connect_to(url: str, name: str) -> None:
    """Point Django's connection at another database of the same server."""
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = name
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def books_ready(args: argparse.Namespace, url: str) -> None:
    """The run's database holding the books before matching: loaded into it, or with --reuse
    copied from `<database>_books` (loaded there first when missing or of other sizes)."""
    from django.core.management import call_command

    note = BOOKS_NOTE.format(
        customers=args.customers, items=args.items, settled=args.settled, receipts=args.receipts
    )
    books = f"{args.database}_books"
    if args.reuse and _note(url, books) == note:
        print(f"Books before matching reused from {books}.")
    else:
        target = books if args.reuse else args.database
        _recreate(url, target)
        _connect_to(url, target)
        call_command("migrate", verbosity=0, interactive=False)
        setup(args)
        if not args.reuse:
            return
        from django.db import connections
        from psycopg import sql

        connections.close_all()
        with _admin(url) as conn:
            conn.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    sql.Identifier(books), sql.Literal(note)
                )
            )
    start = time.perf_counter()
    _recreate(url, args.database, template=books)
    _connect_to(url, args.database)
    call_command("migrate", verbosity=0, interactive=False)
    print(f"Copied {books} to {args.database} in {time.perf_counter() - start:.0f} s.")


# --- the run -----------------------------------------------------------------------------------


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


class StatementTimes:
    """Wall time, the server process's CPU time and count per SQL statement (its first
    words), for --profile."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.pid = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        server = _process_cpu(self.pid)
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = " ".join(sql.split())[:80]
            entry = self.times.setdefault(key, [0, 0.0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - start
            entry[2] += _process_cpu(self.pid) - server

    def print(self, top: int = 25) -> None:
        total = sum(t for _n, t, _s in self.times.values())
        server = sum(s for _n, _t, s in self.times.values())
        count = sum(n for n, _t, _s in self.times.values())
        print(f"SQL: {count:,} statements, {total:.1f} s, server CPU {server:.1f} s")
        for key, (n, t, s) in sorted(self.times.items(), key=lambda kv: -kv[1][1])[:top]:
            print(f"{t:7.2f} s {s:6.2f} s {n:6,}× {key}")


def _process_cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _server_cpu() -> float:
    """CPU seconds the connection's server process has used (the server on this machine,
    Linux): with Python's own, what the run spent computing rather than waiting."""
    return _process_cpu(_server_pid())


def floor_run(accounts: list[int]) -> tuple[float, Decimal]:
    from django.db import connection, transaction

    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [accounts])
        (fen,) = cursor.fetchone()
    return time.perf_counter() - start, Decimal(int(fen)).scaleb(-2)


def match_run(args: argparse.Namespace) -> None:
    from django.db import connection

    from suanpan.ledger.selectors import open_items_check
    from suanpan.receivables.services import settlement_auto_many

    actor, accounts = _accounts()
    floor_s, expected = floor_run(accounts)
    profiler = None
    statements = StatementTimes()
    if args.profile:
        import cProfile

        statements.pid = _server_pid()
        connection.execute_wrappers.append(statements)
        # CPU time, not wall time: on a shared machine waiting for the CPU or the server
        # would otherwise be charged to whichever function was running.
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
    load_before = uptime()
    server_start = _server_cpu()
    cpu_start = time.process_time()
    start = time.perf_counter()
    if args.one_by_one:
        totals = _one_by_one(actor)
    else:
        extra = {"chunk": args.chunk} if args.chunk else {}
        totals = settlement_auto_many(actor=actor, on=MATCH_ON, **extra)
    run_s = time.perf_counter() - start
    cpu_s = time.process_time() - cpu_start
    server_s = _server_cpu() - server_start
    if profiler is not None:
        import pstats

        profiler.disable()
        connection.execute_wrappers.remove(statements)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
        statements.print()
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
        f"{len(totals.refused)} refused; {totals.settlements / run_s:,.0f} settlements/s "
        f"(on the CPU: Python {cpu_s:.1f} s, the database server process {server_s:.1f} s). "
        f"Hand-written totals query: {floor_s * 1000:.0f} ms, ratio {run_s / floor_s:,.0f}×. "
        f"Open items against the accounts afterwards: {len(problems)} differences "
        f"({check_s:.1f} s). At this rate 100,000 receipts take {projected:,.0f} s: "
        f"{verdict} the {TARGET_S:.0f} s target. "
        f"Started with {load_before}, finished with {uptime()}."
    )
    ageing_page_times(actor)
    if args.verify:
        from suanpan.ledger.verification import books_verify

        verify_start = time.perf_counter()
        report = books_verify()
        print(
            f"Books verified in {time.perf_counter() - verify_start:.0f} s: "
            f"{'all hold' if report.ok else '; '.join(report.problems())}."
        )


def ageing_page_times(actor: Any) -> None:
    """What the receivables ageing page and API compute on these books after matching (the
    ledger's ageing of every customer, then the customers' owners and regions in one query),
    by customer, salesperson and region, and the reconciliation the page runs on request."""
    from suanpan.receivables.selectors.ageing import ageing_grouped, reconciliation

    as_of = MATCH_ON + timedelta(days=1)
    parts = []
    for group in ("customer", "salesperson", "region"):
        start = time.perf_counter()
        report = ageing_grouped(user=actor, as_of=as_of, group=group)
        elapsed = time.perf_counter() - start
        rows = len(report.rows) if report else 0
        parts.append(f"by {group} {elapsed:.2f} s ({rows:,} rows)")
    start = time.perf_counter()
    problems = reconciliation(as_of=as_of).problems
    print(
        f"Receivables ageing as of {as_of}: {', '.join(parts)}; the reconciliation asked for "
        f"on the page: {time.perf_counter() - start:.1f} s ({len(problems)} differences)."
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1/postgres"
        )
    os.environ["DATABASE_URL"] = urlunsplit(urlsplit(url)._replace(path=f"/{args.database}"))
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
    os.environ["DJANGO_SETTINGS_MODULE"] = "suanpan.settings"
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    print(f"Database {args.database} on {urlsplit(url).hostname}; started with {uptime()}.")
    try:
        books_ready(args, url)
        match_run(args)
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
