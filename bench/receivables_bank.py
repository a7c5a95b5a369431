"""Bank statement import benchmark on PostgreSQL: a statement of N lines read and suggested
(the import's dry run) against books of many customers with open invoices.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/receivables_bank.py \
        [--lines 50000] [--customers 200000] [--items 200000] [--payers 20000]

Creates its own database (`suanpan_bench_bank`) on the server named by DATABASE_URL and
migrates it; sets the books up and loads `--items` posted open items (invoices and receipts)
for `--customers` customers with the ledger benchmark's COPY loader (bench/ledger.py), adds the
customers themselves and `--payers` earlier receipts that name a payer account. It then writes
a CCB statement (title rows, the 17 columns, a totals row) of N lines — 40 % from payers seen
before, 30 % under a customer's name, 10 % of an open invoice's amount, 10 % paid out, 10 %
from strangers — as GB18030 csv and as xlsx, and times `statement_import(commit=False)` on each
(read, find duplicates, suggest), then the commit of the csv, against a plain `executemany`
INSERT of the same N lines into a table of their columns. Target: the dry run under 60 s.
The database is dropped at the end unless --keep is given; `--reuse` times again on the books
a `--keep` run left (same sizes), without loading them (new serial numbers, so no line is a
duplicate of an earlier run's).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import time
import warnings
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from ledger import LoadState, books_setup, load_finish, load_step  # noqa: E402
from sales import database_drop, database_prepare, machine_lines, uptime  # noqa: E402

TARGET_S = 60.0
SEED = 2026
ON = date(2026, 11, 2)
HEADER = [
    "账号",
    "交易时间",
    "借方发生额（支取）",
    "贷方发生额（收入）",
    "余额",
    "币种",
    "对方户名",
    "对方账号",
    "对方开户机构",
    "记账日期",
    "摘要",
    "备注",
    "账户明细编号-交易流水号",
    "企业流水号",
    "凭证种类",
    "凭证号",
    "交易介质编号",
]
OWN_ACCOUNT = "33050161000000001234"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=50_000, help="statement lines")
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--items", type=int, default=200_000, help="open items loaded")
    parser.add_argument("--payers", type=int, default=20_000, help="receipts naming a payer")
    parser.add_argument("--database", default="suanpan_bench_bank", help="database to use")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="time on the books a --keep run left (same sizes) instead of loading them again",
    )
    parser.add_argument(
        "--profile", action="store_true", help="print where the csv dry run spends its time"
    )
    return parser.parse_args(argv)


def load(args: argparse.Namespace, rng: random.Random) -> None:
    """Books, open items, customers, earlier receipts naming a payer, and the bank account."""
    from suanpan.customers.calculations import name_key
    from suanpan.customers.models import Customer
    from suanpan.receivables.models import BankAccount, Receipt

    start = time.perf_counter()
    books = books_setup(args.customers)
    state = LoadState()
    made = load_step(books, state, items=args.items, heavy_items=0, final=True, rng=rng)
    load_finish(books, state)
    print(
        f"Books: {args.customers:,} customer dimensions, {made['items']:,} open items in "
        f"{time.perf_counter() - start:.0f} s"
    )
    start = time.perf_counter()
    names = [""] + [customer_name(n) for n in range(1, args.customers + 1)]
    Customer.objects.bulk_create(
        (
            Customer(
                number=f"KH-{n:06d}", name=names[n], name_key=name_key(names[n]), owner=books.actor
            )
            for n in range(1, args.customers + 1)
        ),
        batch_size=10_000,
    )
    ids = dict(Customer.objects.values_list("number", "pk"))
    payers = rng.sample(range(1, args.customers + 1), min(args.payers, args.customers))
    Receipt.objects.bulk_create(
        (
            Receipt(
                number=f"SK-BENCH-{i:06d}",
                customer_id=ids[f"KH-{n:06d}"],
                received_on=ON - timedelta(days=60),
                amount=Decimal("1.00"),
                payer_name=names[n],
                payer_account=f"6222{n:012d}",
                created_by=books.actor,
            )
            for i, n in enumerate(payers)
        ),
        batch_size=10_000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        # As autovacuum would after such inserts: the planner needs the new tables' statistics.
        cursor.execute("ANALYZE customers_customer")
        cursor.execute("ANALYZE receivables_receipt")
    BankAccount.objects.create(name="基本户", bank_name="中国建设银行", account_number=OWN_ACCOUNT)
    print(
        f"{args.customers:,} customers and {len(payers):,} receipts with payer accounts "
        f"in {time.perf_counter() - start:.0f} s"
    )


def customer_name(n: int) -> str:
    return f"基准客户{n:06d}有限公司"


def statement_lines(
    args: argparse.Namespace, rng: random.Random
) -> tuple[object, object, list[tuple], int]:
    """The actor, the bank account, the statement's lines (name, account, credit, debit,
    summary, i) drawn from what the books hold, and the first serial number: above every line
    an earlier run imported, so a run on kept books finds no duplicates."""
    from suanpan.ledger.models import OpenItem
    from suanpan.receivables.models import BankAccount, BankLine, Receipt
    from suanpan.users.models import User

    actor = User.objects.filter(is_superuser=True).order_by("pk").first()
    account = BankAccount.objects.get(account_number=OWN_ACCOUNT)
    payers = [
        int(a[4:])
        for a in Receipt.objects.filter(number__startswith="SK-BENCH-")
        .order_by("number")
        .values_list("payer_account", flat=True)
    ]
    open_amounts = list(
        OpenItem.objects.filter(amount__gt=0)
        .exclude(open_amount=0)
        .order_by("pk")
        .values_list("open_amount", flat=True)[:50_000]
    )
    first_serial = BankLine.objects.count()
    lines = []
    for i in range(args.lines):
        kind = i % 10
        amount = Decimal(rng.randrange(10_000, 5_000_000)) / 100
        n = rng.randrange(1, args.customers + 1)
        name, payer_account, summary = f"陌生付款人{i}", f"9555{i:012d}", "货款"
        if kind < 4:
            n = rng.choice(payers)
            name, payer_account = customer_name(n), f"6222{n:012d}"
        elif kind < 7:
            name = customer_name(n)
        elif kind == 7 and open_amounts:
            amount = rng.choice(open_amounts)
        credit, debit = (f"{amount:,.2f}", "") if kind != 8 else ("", f"{amount:,.2f}")
        lines.append((name, payer_account, credit, debit, summary, i))
    return actor, account, lines, first_serial


def statement_rows(lines: list[tuple], first_serial: int = 0) -> list[list[str]]:
    rows = [["账户明细查询"], [f"户名：基准测试有限公司  账号：{OWN_ACCOUNT}"], HEADER]
    for name, payer_account, credit, debit, summary, i in lines:
        day = ON + timedelta(days=i % 28)
        rows.append(
            [
                OWN_ACCOUNT,
                f"{day:%Y%m%d} {8 + i % 10:02d}{i % 60:02d}00",
                debit,
                credit,
                "",
                "人民币",
                name,
                payer_account,
                "中国工商银行杭州分行",
                f"{day:%Y%m%d}",
                summary,
                "",
                f"3305016100000000{first_serial + i:08d}",
                "",
                "",
                "",
                "",
            ]
        )
    rows.append(["合计", "", f"笔数：{len(lines)}"])
    return rows


def as_csv(rows: list[list[str]]) -> bytes:
    stream = io.StringIO()
    csv.writer(stream).writerows(rows)
    return stream.getvalue().encode("gb18030")


def as_xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("明细")
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def plain_insert(lines: list[tuple]) -> float:
    """The same lines, bulk-inserted into a table of their columns: the floor to compare with."""
    from django.db import connection, transaction

    rows = [
        (ON + timedelta(days=i % 28), name, account, credit or debit, summary, f"S{i:08d}")
        for name, account, credit, debit, summary, i in lines
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_lines (booked_on date, name varchar(200), "
            "account varchar(40), amount varchar(20), summary varchar(500), serial varchar(100))"
        )
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany("INSERT INTO bench_lines VALUES (%s, %s, %s, %s, %s, %s)", rows)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1/postgres"
        )
    bench_url, fresh = database_prepare(url=url, name=args.database, reuse=args.reuse)
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
        rng = random.Random(SEED)
        if fresh:
            call_command("migrate", verbosity=0, interactive=False)
            load(args, rng)
        else:
            print("Books kept from an earlier run (--reuse): not loaded again.")
        actor, account, lines, first_serial = statement_lines(args, rng)
        rows = statement_rows(lines, first_serial)
        from suanpan.receivables.services import statement_import

        results = {}
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            statement_import(
                bank_account=account,
                data=as_csv(rows),
                filename="bench.csv",
                actor=actor,
                commit=False,
            )
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
        for fmt, data in (("csv", as_csv(rows)), ("xlsx", as_xlsx(rows))):
            start = time.perf_counter()
            report = statement_import(
                bank_account=account,
                data=data,
                filename=f"bench.{fmt}",
                actor=actor,
                commit=False,
            )
            results[fmt] = time.perf_counter() - start
            print(
                f"Dry run of {args.lines:,} lines from {fmt} ({len(data) / 1e6:.1f} MB): "
                f"**{results[fmt]:.1f} s** ({args.lines / results[fmt]:,.0f} lines/s); "
                f"{report.incoming:,} received, {report.outgoing:,} paid out, "
                f"{report.suggested:,} suggested, {len(report.errors)} errors"
            )
        start = time.perf_counter()
        report = statement_import(
            bank_account=account, data=as_csv(rows), filename="bench.csv", actor=actor, commit=True
        )
        commit_s = time.perf_counter() - start
        insert_s = plain_insert(lines)
        dry = results["csv"]
        verdict = "meets" if max(results.values()) < TARGET_S else "misses"
        print(
            f"Commit of the csv: {commit_s:.1f} s ({report.added:,} lines added). "
            f"Plain bulk INSERT of the same lines: {insert_s:.1f} s; dry run (csv) ratio "
            f"{dry / insert_s:.1f}×, commit ratio {commit_s / insert_s:.1f}×; {verdict} the "
            f"{TARGET_S:.0f} s target. Finished with {uptime()}."
        )
        for line in machine_lines():
            print(line)
    finally:
        from django.db import connections

        connections.close_all()
        if not (args.keep or args.reuse):
            database_drop(url=url, name=args.database)
    return 0


if __name__ == "__main__":
    sys.exit(main())
