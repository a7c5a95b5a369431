"""Ledger benchmark on PostgreSQL: posting throughput, ageing, item history, trial balance.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/ledger.py \
        [--customers 200000] [--items 1000000] [--heavy-items 10000] [--runs 10] \
        [--batch 1000] [--batches 10] [--singles 1000] [--database suanpan_bench_ledger]

Creates its own database on the server named by DATABASE_URL (dropping a previous one) and
migrates it; sets the books up with `services.company_setup` (the CAS chart) and one
`Dimension` per customer (bulk_create). It then loads posted vouchers, lines, open items and
matches directly with COPY, bypassing the posting service but keeping the books consistent:
every voucher balances, numbers are gapless per word and period, the hash chain is computed
with `calculations.chain_hash`, each line on the receivable account has its open item, matches
never exceed either side, and period totals are summed from the lines. The loader checks this
with `selectors.open_items_check` and the trial balance.

The data is loaded in two steps (a tenth, then the rest) and every report is timed after each
step, so the table shows whether a report's query count grows with the data. Posting is timed
last, through the real services, on the full database. Prints a Markdown table and writes it,
with EXPLAIN ANALYZE of the report queries, to bench/results/ledger-<date>.md.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import heapq
import io
import os
import pstats
import random
import statistics
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from customers import QueryCounter, machine_lines, percentile

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"

FIRST_DAY = date(2025, 1, 1)
LOAD_LAST_DAY = date(2026, 11, 30)  # loaded vouchers end here; December takes the postings
POSTING_DAY = date(2026, 12, 15)
AS_OF_NOW = LOAD_LAST_DAY
AS_OF_PAST = date(2026, 5, 31)
SEED = 2026

TARGETS = {
    "batch_per_s": 2000.0,
    "single_per_s": 200.0,
    "ageing_ms": 2000.0,
    "ageing_past_ms": 4000.0,
    "history_ms": 100.0,
    "trial_balance_ms": 500.0,
    "ratio": 1.5,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=200_000, help="customer dimensions")
    parser.add_argument("--items", type=int, default=1_000_000, help="open items to load")
    parser.add_argument(
        "--heavy-items", type=int, default=10_000, help="open items of the one large customer"
    )
    parser.add_argument("--runs", type=int, default=10, help="timed runs per report")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs per report")
    parser.add_argument("--batch", type=int, default=1000, help="vouchers per batch posting")
    parser.add_argument("--batches", type=int, default=10, help="timed batches")
    parser.add_argument("--singles", type=int, default=1000, help="vouchers posted one by one")
    parser.add_argument("--database", default="suanpan_bench_ledger", help="database to create")
    parser.add_argument("--no-explain", action="store_true", help="skip EXPLAIN ANALYZE")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse the database when an earlier run loaded it (no drop, no load, no posting: "
        "the full-size reports only); load it when it holds no books yet",
    )
    parser.add_argument(
        "--only", default="", help="time only the reports whose title contains this text"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one batch posting into the results file"
    )
    parser.add_argument(
        "--post",
        action="store_true",
        help="with --keep: also time posting, on a copy of the kept books made from them as a "
        "template and dropped afterwards (the kept database stays as loaded)",
    )
    parser.add_argument(
        "--post-sql",
        default="",
        help="SQL run on that copy before posting (e.g. an index put back as an earlier "
        "revision had it, to time posting before a migration)",
    )
    parser.add_argument(
        "--compare",
        metavar="REV",
        default="",
        help="also time the ageing selector of git revision REV (its module loaded beside this "
        "one) against this one and the floor, in turns, in one process",
    )
    args = parser.parse_args(argv)
    if args.heavy_items >= args.items // 2:
        parser.error("--heavy-items must be well below --items")
    return args


def database_prepare(*, url: str, name: str, loaded_note: str | None = None) -> tuple[str, bool]:
    """(Re)create the bench database on the server in `url`; return its URL and whether it
    already holds loaded books: with `loaded_note`, a database whose comment says it was loaded
    to the same sizes is kept."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit("DATABASE_URL must point to a PostgreSQL server (postgres://…).")
    bench_url = urlunsplit(parts._replace(path=f"/{name}"))
    if loaded_note is not None:
        try:
            with psycopg.connect(bench_url, autocommit=True) as conn:
                note = conn.execute(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
                    " WHERE datname = current_database()"
                ).fetchone()
            if note and note[0] == loaded_note:
                return bench_url, True
        except psycopg.OperationalError:
            pass  # no such database yet
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return bench_url, False


# --- the books ---------------------------------------------------------------------------------


@dataclass
class Books:
    actor: Any
    accounts: dict[str, Any]  # role → Account
    periods: dict[tuple[int, int], Any]
    dimension_ids: list[int]  # index n → id of customer KH-{n:06d} (index 0 unused)
    dimension_codes: list[str]


def books_setup(customers: int) -> Books:
    from suanpan.ledger import selectors, services
    from suanpan.ledger.models import Dimension, Period
    from suanpan.users.models import User

    actor = User.objects.create(
        username="bench-accountant", display_name="记账员", is_staff=True, is_superuser=True
    )
    services.company_setup(
        actor=actor,
        name="算盘基准测试有限公司",
        standard="cas",
        first_period=FIRST_DAY,
        voucher_words="记收付转",
    )
    periods = {}
    day = FIRST_DAY
    while day <= POSTING_DAY:
        periods[(day.year, day.month)] = Period.objects.get_or_create(
            year=day.year, month=day.month
        )[0]
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    roles = ("receivable", "revenue", "vat_output", "bank")
    accounts = {role: selectors.account_for_role(role) for role in roles}
    Dimension.objects.bulk_create(
        (
            Dimension(kind="customer", code=f"KH-{n:06d}", name=f"基准客户{n:06d}有限公司")
            for n in range(1, customers + 1)
        ),
        batch_size=10_000,
    )
    by_code = dict(Dimension.objects.values_list("code", "id"))
    codes = [""] + [f"KH-{n:06d}" for n in range(1, customers + 1)]
    return Books(actor, accounts, periods, [0] + [by_code[c] for c in codes[1:]], codes)


# --- loading -----------------------------------------------------------------------------------


@dataclass
class LoadState:
    """Counters and the open invoices per customer, carried from one load step to the next."""

    voucher_id: int = 0
    line_id: int = 0
    item_id: int = 0
    match_id: int = 0
    prev_hash: str = "0" * 64
    numbers: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    # customer → heap of (posted_on, item id, open fen) of invoices not yet settled
    open_invoices: dict[int, list[tuple[date, int, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    heavy_receipt_item: int = 0
    last_voucher: tuple[str, str] = ("", "")  # number and summary of the voucher just written


def voucher_rows(
    books: Books,
    state: LoadState,
    *,
    on: date,
    word: str,
    summary: str,
    source: tuple[str, str],
    event: str,
    body: list[tuple[Any, int, int, int, date | None]],  # account, customer n, Dr, Cr, due
    now: datetime,
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]], list[int]]:
    """A posted voucher as the COPY loader writes it, numbered and chained as posting would:
    (its ledger_voucher row, its ledger_voucherline rows, the ids of its lines). Advances
    `state` (ids, numbers, the chain's last hash and the last voucher's label)."""
    from suanpan.ledger.calculations import ChainLine, ChainVoucher, chain_hash

    state.voucher_id += 1
    period = books.periods[(on.year, on.month)]
    state.numbers[(word, period.key)] += 1
    number = state.numbers[(word, period.key)]
    source_event = f"{source[0]}:{source[1]}:{event}"
    chain_lines, line_ids, line_rows = [], [], []
    for line_no, (account, n, debit, credit, due) in enumerate(body, start=1):
        state.line_id += 1
        line_ids.append(state.line_id)
        dimension_id = books.dimension_ids[n] if n else None
        line_rows.append(
            (state.line_id, state.voucher_id, line_no, account.pk, dimension_id, summary,
             debit, credit, due)
        )  # fmt: skip
        chain_lines.append(
            ChainLine(
                line_no=line_no,
                account_code=account.code,
                dimension_code=books.dimension_codes[n] if n else "",
                summary=summary,
                debit=Decimal(debit).scaleb(-2),
                credit=Decimal(credit).scaleb(-2),
                due_on=due,
            )
        )
    digest = chain_hash(
        state.prev_hash,
        ChainVoucher(
            chain_seq=state.voucher_id,
            period_key=period.key,
            word=word,
            number=number,
            date=on,
            summary=summary,
            source_event=source_event,
            reverses_chain_seq=None,
            lines=tuple(chain_lines),
        ),
    )
    actor = books.actor.pk
    row = (state.voucher_id, period.pk, word, number, on, summary, 0, "posted", actor, actor, now,
           *source, source_event, state.voucher_id, state.prev_hash, digest, now)  # fmt: skip
    state.prev_hash = digest
    state.last_voucher = (f"{word}-{period.key}-{number:04d}", summary)
    return row, line_rows, line_ids


def _gross_fen(rng: random.Random) -> int:
    return rng.choice((rng.randint(10_000, 500_000), rng.randint(500_000, 10_000_000)))


def load_step(
    books: Books,
    state: LoadState,
    *,
    items: int,
    heavy_items: int,
    final: bool,
    rng: random.Random,
) -> dict[str, int]:
    """Add `items` open items (invoices and receipts, dated across the whole range) with COPY."""
    from django.db import connection

    customers = len(books.dimension_ids) - 1
    span = (LOAD_LAST_DAY - FIRST_DAY).days
    dates = sorted(FIRST_DAY + timedelta(days=rng.randrange(span)) for _ in range(items))
    heavy_every = max(1, items // max(1, heavy_items))
    receivable = books.accounts["receivable"]
    revenue, vat, bank = (books.accounts[r] for r in ("revenue", "vat_output", "bank"))
    now = datetime.now(UTC)
    actor_id = books.actor.pk
    vouchers: list[tuple[Any, ...]] = []
    lines: list[tuple[Any, ...]] = []
    open_items: list[tuple[Any, ...]] = []
    matches: list[tuple[Any, ...]] = []
    counts = defaultdict(int)

    def voucher(
        *,
        on: date,
        word: str,
        summary: str,
        source_type: str,
        source_id: str,
        event: str,
        body: list[tuple[Any, int, int, int, date | None]],  # account, dim n, debit, credit, due
    ) -> list[int]:
        """Write a posted voucher and its lines; return the ids of its lines."""
        row, line_rows, line_ids = voucher_rows(
            books, state, on=on, word=word, summary=summary, source=(source_type, source_id),
            event=event, body=body, now=now,
        )  # fmt: skip
        vouchers.append(row)
        lines.extend(line_rows)
        counts["vouchers"] += 1
        counts["lines"] += len(body)
        return line_ids

    def item(line_id: int, n: int, on: date, due: date, amount: int, src: tuple[str, str]) -> int:
        state.item_id += 1
        open_items.append(
            (state.item_id, line_id, receivable.pk, books.dimension_ids[n], on, due, amount,
             amount, *src, *state.last_voucher)
        )  # fmt: skip
        counts["items"] += 1
        return state.item_id

    def match(debit_item: int, credit_item: int, amount: int, on: date) -> None:
        state.match_id += 1
        matches.append((state.match_id, debit_item, credit_item, amount, on, actor_id, now))
        counts["matches"] += 1

    def invoice(n: int, on: date) -> None:
        gross = _gross_fen(rng)
        net = (gross * 200 + 113) // 226  # gross / 1.13, half up, in fen
        due = on + timedelta(days=rng.choice((0, 30, 30, 60, 90)))
        number = f"FP{state.voucher_id + 1:08d}"
        line_ids = voucher(
            on=on,
            word="转",
            summary=f"发票 {number}",
            source_type="invoicing.invoice",
            source_id=number,
            event="issued",
            body=[(receivable, n, gross, 0, due), (revenue, 0, 0, net, None),
                  (vat, 0, 0, gross - net, None)],
        )  # fmt: skip
        item_id = item(line_ids[0], n, on, due, gross, ("invoicing.invoice", number))
        heapq.heappush(state.open_invoices[n], (on, item_id, gross))

    def receipt(n: int, on: date, settles: list[tuple[int, int]]) -> int:
        """A receipt for what it settles: [(invoice item, fen)]; returns its item id."""
        amount = sum(fen for _item, fen in settles)
        number = f"SK{state.voucher_id + 1:08d}"
        line_ids = voucher(
            on=on,
            word="收",
            summary=f"收款 {number}",
            source_type="receivables.receipt",
            source_id=number,
            event="received",
            body=[(bank, 0, amount, 0, None), (receivable, n, 0, amount, None)],
        )
        item_id = item(line_ids[1], n, on, on, -amount, ("receivables.receipt", number))
        for invoice_item, fen in settles:
            match(invoice_item, item_id, fen, on)
        return item_id

    heavy_made = 0
    # The large customer's last item is the receipt that settles the rest (final step).
    heavy_wanted = heavy_items - 1 if final else heavy_items

    def next_customer(index: int) -> int:
        nonlocal heavy_made
        if index % heavy_every == 0 and heavy_made < heavy_wanted:
            heavy_made += 1
            return 1  # KH-000001 is the large customer
        return rng.randint(2, customers)

    for index, on in enumerate(dates):
        n = next_customer(index)
        heap = state.open_invoices[n]
        if rng.random() < 0.2 and heap and heap[0][0] <= on:
            posted_on, item_id, open_fen = heapq.heappop(heap)
            part = open_fen if rng.random() < 0.8 else open_fen // 2
            if part < open_fen:
                heapq.heappush(heap, (posted_on, item_id, open_fen - part))
            receipt(n, on, [(item_id, part)])
        else:
            invoice(n, on)
    if final and heavy_items:
        # One receipt settles every open invoice of the large customer: a long item history.
        heap = state.open_invoices[1]
        settles = [(item_id, fen) for _on, item_id, fen in heap]
        heap.clear()
        if settles:
            state.heavy_receipt_item = receipt(1, LOAD_LAST_DAY, settles)

    copies = (
        ("ledger_voucher", "id, period_id, word, number, date, summary, attachments, status, "
         "maker_id, poster_id, posted_at, source_type, source_id, source_event, chain_seq, "
         "prev_hash, hash, created_at", vouchers),
        ("ledger_voucherline", "id, voucher_id, line_no, account_id, dimension_id, summary, "
         "debit_amount, credit_amount, due_on", lines),
        ("ledger_openitem", "id, line_id, account_id, dimension_id, posted_on, due_on, amount, "
         "open_amount, source_type, source_id, voucher_number, summary", open_items),
        ("ledger_openitemmatch", "id, debit_item_id, credit_item_id, amount, matched_on, "
         "created_by_id, created_at", matches),
    )  # fmt: skip
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table, columns, rows in copies:
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    return dict(counts)


def load_finish(books: Books, state: LoadState) -> None:
    """Identity counters past the loaded ids, numbering sequences, period totals from lines."""
    from django.db import connection

    from suanpan.core.models import DocumentSequence
    from suanpan.ledger.services import CHAIN_SERIES

    with connection.cursor() as cursor:
        for table in ("ledger_voucher", "ledger_voucherline", "ledger_openitem",
                      "ledger_openitemmatch"):  # fmt: skip
            counter = f"pg_get_serial_sequence('{table}', 'id')"
            cursor.execute(f"SELECT setval({counter}, (SELECT max(id) FROM {table}))")  # noqa: S608
        # Items are copied fully open; what the loaded matches settled comes off here, as
        # open_item_match would have taken it off (a positive item is only ever a debit side).
        cursor.execute(
            "UPDATE ledger_openitem i SET open_amount = i.amount - m.fen FROM ("
            " SELECT debit_item_id AS item_id, sum(amount) AS fen FROM ledger_openitemmatch"
            " WHERE undone_on IS NULL GROUP BY 1 UNION ALL"
            " SELECT credit_item_id, -sum(amount) FROM ledger_openitemmatch"
            " WHERE undone_on IS NULL GROUP BY 1) m"
            " WHERE m.item_id = i.id AND i.open_amount <> i.amount - m.fen"
        )
        cursor.execute("DELETE FROM ledger_periodtotal")
        cursor.execute(
            "INSERT INTO ledger_periodtotal (period_id, account_id, dimension_id, debit_amount,"
            " credit_amount) SELECT v.period_id, l.account_id, l.dimension_id,"
            " sum(l.debit_amount), sum(l.credit_amount) FROM ledger_voucherline l"
            " JOIN ledger_voucher v ON v.id = l.voucher_id WHERE v.status = 'posted'"
            " GROUP BY 1, 2, 3"
        )
    sequences = {(f"voucher-{w}", p): n for (w, p), n in state.numbers.items()}
    sequences[(CHAIN_SERIES, "")] = state.voucher_id
    for (series, period), last in sequences.items():
        DocumentSequence.objects.update_or_create(
            series=series, period=period, defaults={"next_value": last + 1}
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def load_check(books: Books) -> None:
    from suanpan.ledger import selectors

    problems = selectors.open_items_check(as_of=POSTING_DAY)
    if problems:
        raise SystemExit(f"loaded data inconsistent: open items differ for {len(problems)}")
    periods = sorted(books.periods.values(), key=lambda p: (p.year, p.month))
    balance = selectors.trial_balance(period_from=periods[0], period_to=periods[-1])
    if balance.closing_debit != balance.closing_credit:
        raise SystemExit("loaded data inconsistent: the trial balance does not net to zero")


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Row:
    step: str
    report: str
    size: str
    rows: int | None
    median_ms: float
    p95_ms: float
    queries: int
    baseline_ms: float | None = None
    target_ms: float | None = None
    sql_ms: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.median_ms / self.baseline_ms if self.baseline_ms else None


SLOW_MS = 3000.0  # a report slower than this is timed SLOW_RUNS times only
SLOW_RUNS = 3


def timed(fn: Callable[[], Any], *, runs: int, warmup: int) -> tuple[float, float, Any]:
    result = None
    slowest = 0.0
    for _ in range(max(1, warmup)):
        start = time.perf_counter()
        result = fn()
        slowest = max(slowest, (time.perf_counter() - start) * 1000)
    if slowest > SLOW_MS:
        runs = min(runs, SLOW_RUNS)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), percentile(samples, 0.95), result


# The ageing selector's planner settings for its own transaction; its floor runs under them too,
# so the ratio compares the queries, not the settings.
REPORT_SETTINGS = "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'"


def sql_fn(sql: str, params: list[Any], *, settings: str = "") -> Callable[[], int]:
    from django.db import connection, transaction

    def run() -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            if settings:
                cursor.execute(settings)
            cursor.execute(sql, params)
            return len(cursor.fetchall())

    return run


def reports_run(
    books: Books, state: LoadState, *, step: str, size: str, args: argparse.Namespace
) -> tuple[list[Row], list[tuple[str, str]]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from suanpan.ledger import selectors
    from suanpan.ledger.models import Account, Dimension, OpenItem

    receivable = Account.objects.get(pk=books.accounts["receivable"].pk)
    heavy = Dimension.objects.get(code="KH-000001")
    periods = sorted(books.periods.values(), key=lambda p: (p.year, p.month))
    year_start = next(p for p in periods if (p.year, p.month) == (2026, 1))
    period_now = next(p for p in periods if (p.year, p.month) == (2026, 11))
    history_item = OpenItem.objects.filter(pk=state.heavy_receipt_item).first()

    ageing_base = (
        "SELECT dimension_id, sum(amount) FROM ledger_openitem"
        " WHERE account_id = %s AND posted_on <= %s GROUP BY dimension_id"
    )
    lines_base = (
        "SELECT account_id, sum(debit_amount), sum(credit_amount) FROM ledger_voucherline"
        " GROUP BY account_id"
    )
    heavy_lines_base = (
        "SELECT * FROM ledger_voucherline WHERE account_id = %s AND dimension_id = %s"
    )
    heavy_items_base = "SELECT * FROM ledger_openitem WHERE account_id = %s AND dimension_id = %s"
    totals_base = (
        "SELECT dimension_id, sum(debit_amount), sum(credit_amount) FROM ledger_periodtotal"
        " WHERE account_id = %s GROUP BY dimension_id"
    )
    history_base = (
        "SELECT * FROM ledger_openitemmatch WHERE debit_item_id = %s OR credit_item_id = %s"
    )

    def ageing(as_of: date, basis: str) -> Callable[[], int]:
        return lambda: len(selectors.ageing(as_of=as_of, account=receivable, basis=basis).rows)

    def detail() -> int:
        found = selectors.account_detail(
            account=receivable, dimension=heavy, date_from=FIRST_DAY, date_to=AS_OF_NOW
        )
        return len(list(found.lines))

    Baseline = tuple[str, list[Any]] | tuple[str, list[Any], str]
    scenarios: list[tuple[str, Callable[[], Any], Baseline | None, float | None]] = [
        (
            f"ageing by due date as of {AS_OF_NOW} (today)",
            ageing(AS_OF_NOW, "due"),
            (ageing_base, [receivable.pk, AS_OF_NOW], REPORT_SETTINGS),
            TARGETS["ageing_ms"],
        ),
        (
            f"ageing by due date as of {AS_OF_PAST} (past date)",
            ageing(AS_OF_PAST, "due"),
            (ageing_base, [receivable.pk, AS_OF_PAST], REPORT_SETTINGS),
            TARGETS["ageing_past_ms"],
        ),
        (
            f"ageing by posting date as of {AS_OF_NOW}",
            ageing(AS_OF_NOW, "posting"),
            (ageing_base, [receivable.pk, AS_OF_NOW], REPORT_SETTINGS),
            TARGETS["ageing_ms"],
        ),
        (
            "open items of the large customer (all, with open amounts)",
            lambda: len(
                list(selectors.open_items(account=receivable, dimension=heavy, only_open=False))
            ),
            (heavy_items_base, [receivable.pk, heavy.pk]),
            TARGETS["history_ms"],
        ),
        (
            "detail ledger of the large customer (running balance)",
            detail,
            (heavy_lines_base, [receivable.pk, heavy.pk]),
            TARGETS["history_ms"],
        ),
        (
            "trial balance 2026-01..2026-11",
            lambda: len(selectors.trial_balance(period_from=year_start, period_to=period_now).rows),
            (lines_base, []),
            TARGETS["trial_balance_ms"],
        ),
        (
            "customer balances (receivable) 2026-01..2026-11",
            lambda: len(
                selectors.customer_balances(
                    account=receivable, period_from=year_start, period_to=period_now
                ).rows
            ),
            (totals_base, [receivable.pk]),
            None,
        ),
    ]
    if history_item is not None:
        scenarios.insert(
            3,
            (
                "item history of the large customer's big receipt",
                lambda: len(selectors.item_history(item=history_item).rows),
                (history_base, [history_item.pk, history_item.pk]),
                TARGETS["history_ms"],
            ),
        )

    scenarios = [s for s in scenarios if args.only in s[0]]
    rows: list[Row] = []
    explains: list[tuple[str, str]] = []
    for title, work, baseline, target in scenarios:
        median, p95, found = timed(work, runs=args.runs, warmup=args.warmup)
        with CaptureQueriesContext(connection) as captured:
            work()
        sql_ms = _sql_only_ms(captured.captured_queries, runs=min(args.runs, SLOW_RUNS))
        base_ms = None
        if baseline is not None:
            base_sql, base_params, *base_settings = baseline
            base = sql_fn(base_sql, base_params, settings="".join(base_settings))
            base_ms, _p95, _n = timed(base, runs=args.runs, warmup=args.warmup)
        row = Row(step, title, size, found, median, p95, len(captured), base_ms, target, sql_ms)
        rows.append(row)
        ratio = f", {row.ratio:.2f}× baseline" if row.ratio else ""
        print(f"  [{step}] {title}: {found} rows, {median:.1f} ms{ratio}, {len(captured)} queries")
        if not args.no_explain and step == "full":
            explains.extend(_explain(title, captured.captured_queries))
    for title, (sql, params), settings in (
        ("trial balance baseline: SUM over voucher lines GROUP BY account", (lines_base, []), ""),
        ("ageing floor: SUM over open items GROUP BY customer, the report's planner settings",
         (ageing_base, [receivable.pk, AS_OF_NOW]), REPORT_SETTINGS),
        ("hand-written ageing by due date as of today, one SQL (matches summed once)",
         _ageing_sql(AS_OF_NOW, receivable.pk), REPORT_SETTINGS),
        ("hand-written ageing by due date as of the past date, one SQL",
         _ageing_sql(AS_OF_PAST, receivable.pk), REPORT_SETTINGS),
    ):  # fmt: skip
        if args.only not in title:
            continue
        work = sql_fn(sql, params, settings=settings)
        median, p95, found = timed(work, runs=args.runs, warmup=args.warmup)
        rows.append(Row(step, title, size, found, median, p95, 1))
        print(f"  [{step}] {title}: {found} rows, {median:.1f} ms")
        if not args.no_explain and step == "full":
            explains.extend(
                _explain(
                    title, [{"sql": settings}, {"sql": connection.ops.compose_sql(sql, params)}]
                )
            )
    return rows, explains


def ageing_module_at(rev: str) -> Any:
    """`selectors/ageing.py` as it was at git revision `rev`, loaded as a module of its own
    beside today's (it imports the rest of the ledger as it is now)."""
    import subprocess
    import types

    path = "src/suanpan/ledger/selectors/ageing.py"
    source = subprocess.run(  # noqa: S603
        ["git", "show", f"{rev}:{path}"],  # noqa: S607
        cwd=BENCH_DIR.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    name = f"suanpan.ledger.selectors._ageing_{rev.replace('~', '_').replace('^', '_')}"
    module = types.ModuleType(name)
    module.__file__ = f"{rev}:{path}"
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    exec(compile(source, module.__file__, "exec"), module.__dict__)  # noqa: S102
    return module


@dataclass
class Compared:
    report: str
    floor_ms: float
    old_ms: float
    new_ms: float
    rows: int

    def cells(self) -> str:
        return (
            f"| {self.report} | {self.rows:,} | {self.floor_ms:,.0f} | {self.old_ms:,.0f} "
            f"| {self.old_ms / self.floor_ms:.2f}× | {self.new_ms:,.0f} "
            f"| **{self.new_ms / self.floor_ms:.2f}×** |"
        )


def ageing_compare(books: Books, args: argparse.Namespace) -> tuple[list[Compared], str]:
    """The floor, the ageing of revision `args.compare` and today's, timed in turns (one run
    of each, `args.runs` times after `args.warmup`), so a change of the machine's load falls
    on all three alike; medians. The two selectors must answer the same rows."""
    from suanpan.ledger import selectors
    from suanpan.ledger.models import Account

    old = ageing_module_at(args.compare)
    receivable = Account.objects.get(pk=books.accounts["receivable"].pk)
    floor = (
        "SELECT dimension_id, sum(amount) FROM ledger_openitem"
        " WHERE account_id = %s AND posted_on <= %s GROUP BY dimension_id"
    )
    load = [os.getloadavg()[0]]
    found = []
    # (title, as of, basis, page): the whole report, or `ageing_page` of 50 customers.
    for title, as_of, basis, page in (
        (f"ageing by due date as of {AS_OF_NOW}", AS_OF_NOW, "due", None),
        (f"ageing by due date as of {AS_OF_PAST}", AS_OF_PAST, "due", None),
        (f"ageing by posting date as of {AS_OF_NOW}", AS_OF_NOW, "posting", None),
        (f"ageing by due date as of {AS_OF_NOW}, page 1 of 50", AS_OF_NOW, "due", 1),
        (f"ageing by due date as of {AS_OF_NOW}, page 3,000 of 50", AS_OF_NOW, "due", 3000),
    ):
        if args.only not in title:
            continue

        def report(module: Any, as_of: date = as_of, basis: str = basis, page: Any = page) -> Any:
            asked = {"as_of": as_of, "account": receivable, "basis": basis}
            if page is None:
                return module.ageing(**asked)
            return module.ageing_page(**asked, number=page, per_page=50)

        works = {
            "floor": sql_fn(floor, [receivable.pk, as_of], settings=REPORT_SETTINGS),
            "old": lambda report=report: report(old),
            "new": lambda report=report: report(selectors),
        }
        samples: dict[str, list[float]] = {name: [] for name in works}
        answers: dict[str, Any] = {}
        for run in range(args.warmup + args.runs):
            for name, work in works.items():
                start = time.perf_counter()
                answers[name] = work()
                if run >= args.warmup:
                    samples[name].append((time.perf_counter() - start) * 1000)
        if [tuple(r) for r in answers["old"].rows] != [tuple(r) for r in answers["new"].rows]:
            sys.exit(f"{title}: the two selectors answer different rows")
        if (answers["old"].totals, answers["old"].total) != (
            answers["new"].totals,
            answers["new"].total,
        ):
            sys.exit(f"{title}: the two selectors answer different totals")
        medians = {name: statistics.median(values) for name, values in samples.items()}
        found.append(
            Compared(
                title, medians["floor"], medians["old"], medians["new"], len(answers["new"].rows)
            )
        )
        load.append(os.getloadavg()[0])
        print(f"  {found[-1].cells()}")
    note = (
        f"{args.compare} against this tree, {args.runs} runs of each in turns after "
        f"{args.warmup}; load average (1 min) " + " → ".join(f"{x:.2f}" for x in load)
    )
    return found, note


def compare_table(rows: list[Compared]) -> str:
    return "\n".join(
        [
            "| report | rows | floor ms | old ms | old ratio | new ms | new ratio |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            *(r.cells() for r in rows),
        ]
    )


def _sql_only_ms(queries: list[dict[str, str]], *, runs: int) -> float:
    """Median time of the report's own SQL, run as captured and fetched, without the ORM."""
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            for query in queries:
                cursor.execute(query["sql"])
                if cursor.description is not None:
                    cursor.fetchall()

    samples = []
    for _ in range(max(1, runs)):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _ageing_sql(as_of: date, account_id: int) -> tuple[str, list[Any]]:
    """Ageing by due date in one statement, matches summed once per item instead of per row."""
    conditions = [
        ("o.due_on >= %s", [as_of]),
        *[
            (
                "o.due_on BETWEEN %s AND %s",
                [as_of - timedelta(days=high), as_of - timedelta(days=low)],
            )
            for low, high in ((1, 30), (31, 90), (91, 180), (181, 365))
        ],
        ("o.due_on < %s", [as_of - timedelta(days=365)]),
    ]
    buckets = ", ".join(
        f"sum(o.open_fen) FILTER (WHERE {cond}) AS b{i}" for i, (cond, _p) in enumerate(conditions)
    )
    live = "matched_on <= %s AND (undone_on IS NULL OR undone_on > %s)"
    # Built from constants only; every value is a parameter.
    sql = (
        "WITH m AS (SELECT debit_item_id AS item_id, sum(amount) AS fen FROM ledger_openitemmatch"  # noqa: S608
        f" WHERE {live} GROUP BY 1"
        f" UNION ALL SELECT credit_item_id, -sum(amount) FROM ledger_openitemmatch"
        f" WHERE {live} GROUP BY 1),"
        " mm AS (SELECT item_id, sum(fen) AS fen FROM m GROUP BY 1),"
        " o AS (SELECT i.dimension_id, i.due_on, i.amount - coalesce(mm.fen, 0) AS open_fen"
        " FROM ledger_openitem i LEFT JOIN mm ON mm.item_id = i.id"
        " WHERE i.account_id = %s AND i.posted_on <= %s)"
        f" SELECT d.code, d.name, sum(o.open_fen) AS total, {buckets}"
        " FROM o JOIN ledger_dimension d ON d.id = o.dimension_id"
        " GROUP BY d.id, d.code, d.name ORDER BY d.code"
    )
    params: list[Any] = [as_of, as_of, as_of, as_of, account_id, as_of]
    for _cond, values in conditions:
        params.extend(values)
    return sql, params


def _explain(title: str, queries: list[dict[str, str]]) -> list[tuple[str, str]]:
    """EXPLAIN ANALYZE of the report's queries, under the settings it set for its transaction."""
    from django.db import connection, transaction

    plans = []
    # SET LOCAL, or set_config(…, true) in a SELECT (the ageing reads its accounts with them).
    settings = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith("SET LOCAL") or "set_config(" in q["sql"]
    ]
    for query in queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        if not any(
            t in sql for t in ("ledger_openitem", "ledger_periodtotal", "ledger_voucherline")
        ):
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            for setting in settings:
                cursor.execute(setting)
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        shown = "\n".join([*settings, sql]) if settings else sql
        plans.append((title, f"{shown}\n\n{plan}"))
    return plans


# --- posting -----------------------------------------------------------------------------------


def invoice_events(books: Books, *, start: int, count: int, rng: random.Random) -> Iterator[Any]:
    from suanpan.ledger.services import PostingEvent, RoleLine

    customers = len(books.dimension_ids) - 1
    for n in range(start, start + count):
        gross = Decimal(_gross_fen(rng)).scaleb(-2)
        net = (gross / Decimal("1.13")).quantize(Decimal("0.01"))
        yield PostingEvent(
            source_type="invoicing.invoice",
            source_id=f"BENCH{n:08d}",
            event="issued",
            date=POSTING_DAY,
            summary=f"发票 BENCH{n:08d}",
            lines=(
                RoleLine(
                    "receivable",
                    debit=gross,
                    dimension_code=books.dimension_codes[rng.randint(1, customers)],
                    due_on=POSTING_DAY + timedelta(days=30),
                ),
                RoleLine("revenue", credit=net),
                RoleLine("vat_output", credit=gross - net),
            ),
        )


@dataclass
class PostingResult:
    path: str
    vouchers: int
    per_s: float
    median_ms: float
    p95_ms: float
    queries: int
    unit: str
    target_per_s: float


def posting_run(books: Books, args: argparse.Namespace) -> tuple[list[PostingResult], str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from suanpan.ledger import services

    rng = random.Random(SEED + 1)
    next_id = 1
    results = []
    profile_text = ""

    def events(count: int) -> list[Any]:
        nonlocal next_id
        made = list(invoice_events(books, start=next_id, count=count, rng=rng))
        next_id += count
        return made

    # Warm-up batch: the December period totals and numbering rows exist before timing.
    services.posting_post_batch(events=events(args.batch), actor=books.actor)
    samples = []
    for _ in range(args.batches):
        batch = events(args.batch)
        start = time.perf_counter()
        services.posting_post_batch(events=batch, actor=books.actor)
        samples.append((time.perf_counter() - start) * 1000)
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        services.posting_post_batch(events=events(args.batch), actor=books.actor)
    total_s = sum(samples) / 1000
    results.append(
        PostingResult(
            f"posting_post_batch, {args.batch:,} vouchers per batch",
            args.batch * args.batches,
            args.batch * args.batches / total_s,
            statistics.median(samples),
            percentile(samples, 0.95),
            counter.count,
            "batch",
            TARGETS["batch_per_s"],
        )
    )
    print(f"  batch: {results[-1].per_s:,.0f} vouchers/s, {counter.count} queries per batch")
    if args.profile:
        profiler = cProfile.Profile()
        batch = events(args.batch)
        profiler.enable()
        services.posting_post_batch(events=batch, actor=books.actor)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        profile_text = out.getvalue()

    singles = events(args.singles)
    for event in singles[:20]:  # warm-up
        services.posting_post(event=event, actor=books.actor)
    samples = []
    for event in singles[20:]:
        start = time.perf_counter()
        services.posting_post(event=event, actor=books.actor)  # its own transaction
        samples.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        services.posting_post(event=events(1)[0], actor=books.actor)
    results.append(
        PostingResult(
            "posting_post, one voucher per transaction",
            len(samples),
            len(samples) / (sum(samples) / 1000),
            statistics.median(samples),
            percentile(samples, 0.95),
            len(captured),
            "voucher",
            TARGETS["single_per_s"],
        )
    )
    print(f"  single: {results[-1].per_s:,.0f} vouchers/s, {len(captured)} queries per voucher")
    return results, profile_text


# --- report ------------------------------------------------------------------------------------


def posting_table(results: list[PostingResult]) -> str:
    lines = [
        "| path | vouchers timed | vouchers/s | target | median ms | p95 ms | per | SQL queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in results:
        mark = "met" if r.per_s >= r.target_per_s else "**missed**"
        lines.append(
            f"| {r.path} | {r.vouchers:,} | {r.per_s:,.0f} | ≥ {r.target_per_s:,.0f} ({mark}) "
            f"| {r.median_ms:.1f} | {r.p95_ms:.1f} | {r.unit} | {r.queries:,} |"
        )
    return "\n".join(lines)


def reports_table(rows: list[Row]) -> str:
    lines = [
        "| report | data | rows | median ms | p95 ms | target | its SQL alone ms "
        "| baseline ms | ratio | SQL queries |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        target = ""
        if r.target_ms is not None:
            mark = "met" if r.median_ms < r.target_ms else "**missed**"
            target = f"< {r.target_ms:,.0f} ({mark})"
        base = f"{r.baseline_ms:.1f}" if r.baseline_ms is not None else ""
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else ""
        found = f"{r.rows:,}" if r.rows is not None else ""
        sql_ms = f"{r.sql_ms:.1f}" if r.sql_ms is not None else ""
        lines.append(
            f"| {r.report} | {r.size} | {found} | {r.median_ms:.1f} | {r.p95_ms:.1f} | {target} "
            f"| {sql_ms} | {base} | {ratio} | {r.queries} |"
        )
    return "\n".join(lines)


def sizes(counts: dict[str, int]) -> str:
    return f"{counts['items']:,} items, {counts['lines']:,} lines"


def books_kept() -> tuple[Books, LoadState, dict[str, int]]:
    """The books of a database an earlier run loaded and kept, as the reports need them."""
    from django.db import connection

    from suanpan.ledger import selectors
    from suanpan.ledger.models import Dimension, OpenItem, Period
    from suanpan.users.models import User

    roles = ("receivable", "revenue", "vat_output", "bank")
    periods = {(p.year, p.month): p for p in Period.objects.all()}
    books = Books(
        User.objects.get(username="bench-accountant"),
        {role: selectors.account_for_role(role) for role in roles},
        periods,
        [],
        [],
    )
    # The customers the posting's invoices pick from, by number (index n → KH-{n:06d}).
    for dimension_id, code in Dimension.objects.order_by("code").values_list("id", "code"):
        books.dimension_ids.append(dimension_id)
        books.dimension_codes.append(code)
    books.dimension_ids.insert(0, 0)
    books.dimension_codes.insert(0, "")
    state = LoadState()
    big_receipt = (
        OpenItem.objects.filter(dimension__code="KH-000001", posted_on=LOAD_LAST_DAY, amount__lt=0)
        .order_by("amount")
        .first()
    )
    state.heavy_receipt_item = big_receipt.pk if big_receipt else 0
    totals = {}
    with connection.cursor() as cursor:
        for key, table in (
            ("vouchers", "ledger_voucher"),
            ("lines", "ledger_voucherline"),
            ("items", "ledger_openitem"),
            ("matches", "ledger_openitemmatch"),
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608
            totals[key] = cursor.fetchone()[0]
    return books, state, totals


def books_load(
    args: argparse.Namespace,
    rows: list[Row],
    explains: list[tuple[str, str]],
    load_notes: list[str],
) -> tuple[Books, LoadState, dict[str, int]]:
    """Set the books up and load them in two steps, timing the reports after each."""
    start = time.perf_counter()
    books = books_setup(args.customers)
    print(
        f"Books set up, {args.customers:,} customer dimensions in {time.perf_counter() - start:.1f} s"
    )
    rng = random.Random(SEED)
    state = LoadState()
    totals: dict[str, int] = defaultdict(int)
    small = max(1, args.items // 10)
    for step, count, heavy in (
        ("tenth", small, args.heavy_items // 10),
        ("full", args.items - small, args.heavy_items - args.heavy_items // 10),
    ):
        start = time.perf_counter()
        made = load_step(
            books, state, items=count, heavy_items=heavy, final=step == "full", rng=rng
        )
        load_finish(books, state)
        for key, value in made.items():
            totals[key] += value
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        load_check(books)
        check_s = time.perf_counter() - start
        note = (
            f"{step}: loaded {made['vouchers']:,} vouchers, {made['lines']:,} lines, "
            f"{made['items']:,} open items, {made.get('matches', 0):,} matches in {load_s:.0f} s "
            f"(COPY, period totals, VACUUM ANALYZE); consistency check {check_s:.1f} s"
        )
        print(note)
        load_notes.append(note)
        load_before = os.getloadavg()[0]
        found, plans = reports_run(books, state, step=step, size=sizes(totals), args=args)
        load_notes.append(
            f"{step}: load average (1 min) {load_before:.2f} before and "
            f"{os.getloadavg()[0]:.2f} after the reports"
        )
        rows.extend(found)
        explains.extend(plans)
    return books, state, totals


def books_post(
    books: Books, state: LoadState, args: argparse.Namespace, load_notes: list[str]
) -> tuple[list[PostingResult], str]:
    """Time posting through the real services on the loaded books, then check them again."""
    # The loader's bookkeeping (the open invoices of every customer, about a million tuples)
    # is no part of the books: left in memory, Python's full garbage collections walk it in
    # the middle of postings and bill them for it. Free it and freeze what stays.
    state.open_invoices.clear()
    gc.collect()
    gc.freeze()
    load_before = os.getloadavg()[0]
    posting, profile_text = posting_run(books, args)
    load_notes.append(
        f"posting: load average (1 min) {load_before:.2f} before and {os.getloadavg()[0]:.2f} after"
    )
    load_check(books)
    return posting, profile_text


def posting_on_copy(
    books: Books, args: argparse.Namespace, *, url: str, load_notes: list[str]
) -> tuple[list[PostingResult], str]:
    """Time posting on `<database>_post`, a copy of the kept books (CREATE DATABASE … TEMPLATE),
    after `args.post_sql`; the copy is dropped afterwards, so the kept books stay as loaded."""
    import psycopg
    from django.db import connection
    from psycopg import sql

    copy = f"{args.database}_post"

    def server(statement: sql.Composed) -> None:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(statement)

    connection.close()  # a template database may have no other session
    server(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy)))
    server(
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(copy), sql.Identifier(args.database)
        )
    )
    connection.settings_dict["NAME"] = copy
    try:
        if args.post_sql:
            with connection.cursor() as cursor:
                cursor.execute(args.post_sql)
            load_notes.append(f"posting on a copy of the kept books after: {args.post_sql}")
        else:
            load_notes.append("posting on a copy of the kept books")
        return books_post(books, LoadState(), args, load_notes)
    finally:
        connection.close()
        connection.settings_dict["NAME"] = args.database
        server(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy)))


def bench_django(args: argparse.Namespace, *, what: str) -> tuple[str, bool, str]:
    """Django set up on the benchmark's own database, migrated: (the server's URL from
    DATABASE_URL, whether the database was kept from an earlier --keep run, the note a --keep
    run leaves on it)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1/postgres"
        )
    loaded_note = (
        f"suanpan {what} bench: {args.customers} customers, {args.items} items, "
        f"{args.heavy_items} of the large customer"
    )
    bench_url, kept = database_prepare(
        url=url, name=args.database, loaded_note=loaded_note if args.keep else None
    )
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
    os.environ["DJANGO_SETTINGS_MODULE"] = "suanpan.settings"
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.core.management import call_command

    print(f"Database {args.database} on {urlsplit(url).hostname}" + (" (kept)" if kept else ""))
    call_command("migrate", verbosity=0, interactive=False)
    return url, kept, loaded_note


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url, kept, loaded_note = bench_django(args, what="ledger")
    from django.db import connection

    rows: list[Row] = []
    explains: list[tuple[str, str]] = []
    load_notes = []
    posting: list[PostingResult] = []
    profile_text = ""
    if kept:
        books, state, totals = books_kept()
        load_before = os.getloadavg()[0]
        found, plans = reports_run(books, state, step="full", size=sizes(totals), args=args)
        load_notes.append(
            f"kept database, reports only: load average (1 min) {load_before:.2f} before and "
            f"{os.getloadavg()[0]:.2f} after the reports"
        )
        rows.extend(found)
        explains.extend(plans)
        if args.post:
            posting, profile_text = posting_on_copy(books, args, url=url, load_notes=load_notes)
    else:
        books, state, totals = books_load(args, rows, explains, load_notes)
        if args.keep:
            # Marked as loaded before any posting: a kept database holds the loaded books only.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"COMMENT ON DATABASE {connection.ops.quote_name(args.database)} IS %s",
                    [loaded_note],
                )
        else:
            posting, profile_text = books_post(books, state, args, load_notes)

    compared: list[Compared] = []
    if args.compare:
        compared, note = ageing_compare(books, args)
        load_notes.append(f"ageing compared: {note}")
    report = [
        f"# Ledger benchmark, {date.today().isoformat()}",  # noqa: DTZ011
        "",
        f"{args.customers:,} customer dimensions; {totals['vouchers']:,} loaded vouchers, "
        f"{totals['lines']:,} voucher lines, {totals['items']:,} open items, "
        f"{totals.get('matches', 0):,} matches; the large customer has {args.heavy_items:,} "
        f"items. Reports: {args.runs} timed runs after {args.warmup} warm-up runs.",
        "",
        *[f"- {n}" for n in load_notes],
        "",
        *machine_lines(),
        "",
        *(["## Posting", "", posting_table(posting), ""] if posting else []),
        "## Reports",
        "",
        reports_table(rows),
        "",
        *(
            ["## Ageing: old and new selector in turns", "", compare_table(compared), ""]
            if compared
            else []
        ),
    ]
    if profile_text:
        report += ["## Profile of one batch", "", "```", profile_text, "```", ""]
    if explains:
        report += ["## EXPLAIN ANALYZE", ""]
        for title, body in explains:
            report += [f"### {title}", "", "```", body, "```", ""]
    text = "\n".join(report)
    if posting:
        print()
        print(posting_table(posting))
    print()
    print(reports_table(rows))
    if compared:
        print()
        print(compare_table(compared))
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"ledger-{date.today().isoformat()}.md"  # noqa: DTZ011
    out.write_text(text)
    print(f"\nWritten to {out.relative_to(BENCH_DIR.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
