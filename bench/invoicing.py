"""Invoicing benchmark on PostgreSQL: the invoice history import and issuing invoices in batches.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/invoicing.py \
        [--lines 500000] [--invoices 100000] [--batch 1000] [--customers 2000] [--no-post]

Creates its own database (`suanpan_bench_invoicing`) on the server named by DATABASE_URL,
migrates it and sets up the books (the CAS chart, January to November 2026 open) and customers
with their ledger dimensions. Then:

a. history import: writes a csv of --lines invoice lines (1 to 9 lines per invoice, about one
   credit note in fifty referencing an earlier invoice, some amounts with three decimals) and
   runs `history_import_commit` on it — the dry-run pass and the writing pass, posting one
   voucher per invoice unless --no-post — timing it and reading the peak RSS of the process
   (resource.getrusage). Target: 500,000 lines in under 5 minutes.
b. issuing: --invoices invoices of 5 lines through the same batch writer
   (`history_invoices_write`, posting on), --batch invoices per transaction. Target: 100,000
   invoices in under 2 minutes.

Each is set against a plain bulk INSERT (Django bulk_create, no checks, no posting) of the same
invoice and line rows, rolled back afterwards: the ratio says what reading, checking and
posting cost on top of storing the rows. Prints a Markdown table and writes it, with the
machine and the load average, to bench/results/invoicing-<date>.md. The database is dropped at
the end unless --keep is given.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import resource
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
SEED = 2026
FIRST_DAY = date(2026, 1, 1)
LAST_DAY = date(2026, 11, 30)
HISTORY_TARGET_S = 300.0
ISSUE_TARGET_S = 120.0
RATES = ("13", "13", "13", "9", "6", "3")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=500_000, help="lines in the history csv")
    parser.add_argument("--invoices", type=int, default=100_000, help="invoices to issue")
    parser.add_argument("--batch", type=int, default=1000, help="invoices per issuing batch")
    parser.add_argument("--customers", type=int, default=2000, help="customers to create")
    parser.add_argument("--no-post", action="store_true", help="history import records only")
    parser.add_argument("--skip-history", action="store_true", help="skip (a)")
    parser.add_argument("--skip-issue", action="store_true", help="skip (b)")
    parser.add_argument(
        "--baseline-share",
        type=float,
        default=1.0,
        help="time the plain INSERT on this share of the rows and scale it up (saves time)",
    )
    parser.add_argument("--database", default="suanpan_bench_invoicing", help="database to use")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args(argv)


def database_prepare(*, url: str, name: str) -> str:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit("DATABASE_URL must point to a PostgreSQL server (postgres://…).")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_drop(*, url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def peak_rss_mb() -> float:
    # Linux reports kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def uptime() -> str:
    load = os.getloadavg()
    return f"load average {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} on {os.cpu_count()} CPUs"


def machine_lines() -> list[str]:
    from django import get_version
    from django.db import connection

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    return [
        f"- CPU: {os.cpu_count()} × {cpu}",
        f"- PostgreSQL {pg_version}, same machine, TCP",
        f"- Python {platform.python_version()}, Django {get_version()}",
    ]


# --- set-up ------------------------------------------------------------------------------------


def setup(args: argparse.Namespace) -> Any:
    """The books, every month of 2026 to November open, customers with their dimensions."""
    from suanpan.customers.models import Customer
    from suanpan.ledger import services
    from suanpan.ledger.models import Dimension, Period
    from suanpan.users.models import User

    actor = User.objects.create(
        username="bench-accountant", display_name="开票员", is_staff=True, is_superuser=True
    )
    services.company_setup(
        actor=actor,
        name="算盘基准测试有限公司",
        standard="cas",
        first_period=FIRST_DAY,
        voucher_words="记收付转",
    )
    day = FIRST_DAY
    while day <= LAST_DAY:
        Period.objects.get_or_create(year=day.year, month=day.month)
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    Customer.objects.bulk_create(
        (
            Customer(
                number=f"KH-{n:06d}",
                name=f"基准客户{n:06d}有限公司",
                owner=actor,
                payment_terms_days=30,
            )
            for n in range(1, args.customers + 1)
        ),
        batch_size=5000,
    )
    Dimension.objects.bulk_create(
        (
            Dimension(kind="customer", code=f"KH-{n:06d}", name=f"基准客户{n:06d}有限公司")
            for n in range(1, args.customers + 1)
        ),
        batch_size=5000,
    )
    return actor


# --- (a) the history import --------------------------------------------------------------------


@dataclass
class Measured:
    title: str
    rows: str
    seconds: float
    baseline_s: float
    target_s: float
    peak_mb: float

    @property
    def ratio(self) -> float:
        return self.seconds / self.baseline_s if self.baseline_s else 0.0


def history_csv(path: Path, *, lines: int, customers: int) -> tuple[int, int]:
    """Write the csv; return (invoices, lines). Numbers ascend, so the file is sorted."""
    rng = random.Random(SEED)
    written = invoices = 0
    span = (date(2026, 10, 31) - FIRST_DAY).days
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "发票号码",
                "开票日期",
                "客户编码",
                "项目名称",
                "数量",
                "单价",
                "金额",
                "税率",
                "原发票号码",
            ]
        )
        while written < lines:
            invoices += 1
            number = f"2611{invoices:016d}"
            on = (FIRST_DAY + timedelta(days=rng.randrange(span))).isoformat()
            customer = f"KH-{rng.randint(1, customers):06d}"
            credit = invoices > 10 and rng.random() < 0.02
            count = 1 if credit else min(rng.randint(1, 9), lines - written)
            original = f"2611{rng.randint(1, invoices - 1):016d}" if credit else ""
            for _ in range(count):
                rate = rng.choice(RATES)
                if credit:
                    out.writerow([number, on, customer, "退货", "", "", "-113.00", rate, original])
                elif rng.random() < 0.5:
                    quantity = rng.randint(1, 20)
                    price = Decimal(rng.randrange(100, 1_000_000)) / 1000  # some have 3 places
                    out.writerow([number, on, customer, "商品", quantity, price, "", rate, ""])
                else:
                    amount = Decimal(rng.randrange(100, 5_000_000)) / 100
                    out.writerow([number, on, customer, "服务费", "", "", amount, rate, ""])
                written += 1
    return invoices, written


def plain_insert_s(*, invoices: int, lines_per: list[int], actor: Any, prefix: str) -> float:
    """A plain bulk INSERT of as many invoice and line rows (bulk_create, 1,000 invoices at a
    time), rolled back."""
    from django.db import transaction

    from suanpan.customers.selectors import customer_by_number
    from suanpan.invoicing.models import Invoice, InvoiceLine

    customer = customer_by_number(user=actor, number="KH-000001")
    elapsed = 0.0
    with transaction.atomic():
        for start in range(0, invoices, 1000):
            count = min(1000, invoices - start)
            rows = [
                Invoice(
                    number=f"{prefix}{start + n:015d}",
                    invoice_type="e_normal",
                    source="history",
                    customer=customer,
                    issued_on=date(2026, 6, 1),
                    net_amount=Decimal("100.00"),
                    tax_amount=Decimal("13.00"),
                    gross_amount=Decimal("113.00"),
                    created_by=actor,
                    buyer_name="x",
                )
                for n in range(count)
            ]
            begin = time.perf_counter()
            Invoice.objects.bulk_create(rows, batch_size=1000)
            InvoiceLine.objects.bulk_create(
                (
                    InvoiceLine(
                        invoice=invoice,
                        position=p,
                        item_name="商品",
                        tax_code="",
                        net_amount=Decimal("100.00"),
                        vat_rate_key="13",
                        vat_rate=Decimal("0.13"),
                        tax_amount=Decimal("13.00"),
                        gross_amount=Decimal("113.00"),
                    )
                    for index, invoice in enumerate(rows)
                    for p in range(1, lines_per[(start + index) % len(lines_per)] + 1)
                ),
                batch_size=5000,
            )
            elapsed += time.perf_counter() - begin
        transaction.set_rollback(True)
    return elapsed


def measure_history(args: argparse.Namespace, actor: Any) -> Measured:
    from suanpan.invoicing.services.history_import import history_import_commit
    from suanpan.invoicing.services.history_rows import HistoryOptions

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.csv"
        start = time.perf_counter()
        invoice_count, line_count = history_csv(path, lines=args.lines, customers=args.customers)
        print(
            f"  csv of {line_count:,} lines, {invoice_count:,} invoices, "
            f"{path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s"
        )
        last = [-1]

        def progress(percent: int) -> None:
            if percent // 10 != last[0]:
                last[0] = percent // 10
                print(f"  {percent}% ({time.perf_counter() - begin:.0f} s)", file=sys.stderr)

        begin = time.perf_counter()
        report = history_import_commit(
            actor=actor,
            path=path,
            filename=path.name,
            options=HistoryOptions(post=not args.no_post),
            progress=progress,
        )
        seconds = time.perf_counter() - begin
    peak = peak_rss_mb()
    if report.invoice_count != invoice_count:
        sys.exit(f"Imported {report.invoice_count} invoices of {invoice_count}.")
    lines_per = [max(1, round(line_count / invoice_count))]
    sample = max(1, int(invoice_count * args.baseline_share))
    baseline = plain_insert_s(invoices=sample, lines_per=lines_per, actor=actor, prefix="88888") * (
        invoice_count / sample
    )
    mode = "recorded only" if args.no_post else "posted"
    return Measured(
        f"(a) history import, {mode}",
        f"{line_count:,} lines / {invoice_count:,} invoices",
        seconds,
        baseline,
        HISTORY_TARGET_S if line_count >= 500_000 else HISTORY_TARGET_S * line_count / 500_000,
        peak,
    )


# --- (b) issuing in batches ------------------------------------------------------------------


def measure_issue(args: argparse.Namespace, actor: Any) -> Measured:
    from django.db import transaction

    from suanpan.core.tax import VAT_RATES, split_gross
    from suanpan.customers.selectors import customers_by_reference
    from suanpan.invoicing.services.history_batches import history_batch_create
    from suanpan.invoicing.services.history_rows import HistoryInvoice, HistoryLine, HistoryOptions
    from suanpan.invoicing.services.history_writer import history_invoices_write

    rng = random.Random(SEED + 1)
    numbers = [f"KH-{n:06d}" for n in range(1, min(args.customers, 1000) + 1)]
    customers = [c[0] for c in customers_by_reference(user=actor, references=numbers).values()]
    batch = history_batch_create(
        actor=actor, filename="bench", options=HistoryOptions(post=True).as_dict()
    )

    def invoice(n: int) -> HistoryInvoice:
        lines = []
        for row in range(5):
            rate = rng.choice(RATES)
            gross = Decimal(rng.randrange(100, 2_000_000)) / 100
            net, tax = split_gross(gross, VAT_RATES[rate])
            lines.append(
                HistoryLine(
                    row=row,
                    product_ref="",
                    item_name="商品",
                    quantity=Decimal(rng.randint(1, 9)),
                    net=net,
                    tax=tax,
                    gross=gross,
                    rate_key=rate,
                )
            )
        return HistoryInvoice(
            code="",
            number=f"2699{n:016d}",
            row=n,
            issued_on=date(2026, 11, 1 + n % 28),
            customer_ref="",
            invoice_type="e_normal",
            price_includes_tax=True,
            original_ref="",
            lines=lines,
            customer=rng.choice(customers),
        )

    elapsed = 0.0
    done = 0
    while done < args.invoices:
        count = min(args.batch, args.invoices - done)
        chunk = [invoice(done + n) for n in range(count)]
        begin = time.perf_counter()
        with transaction.atomic():
            history_invoices_write(actor=actor, batch=batch, invoices=chunk, post=True)
        elapsed += time.perf_counter() - begin
        done += count
        if done % (args.batch * 20) == 0:
            print(f"  {done:,} invoices ({elapsed:.0f} s)", file=sys.stderr)
    sample = max(1, int(args.invoices * args.baseline_share))
    baseline = plain_insert_s(invoices=sample, lines_per=[5], actor=actor, prefix="77777") * (
        args.invoices / sample
    )
    return Measured(
        f"(b) issuing, {args.batch:,} per batch, posted",
        f"{args.invoices:,} invoices / {args.invoices * 5:,} lines",
        elapsed,
        baseline,
        ISSUE_TARGET_S if args.invoices >= 100_000 else ISSUE_TARGET_S * args.invoices / 100_000,
        peak_rss_mb(),
    )


def results_table(results: list[Measured]) -> str:
    lines = [
        "| step | size | seconds | target s | plain INSERT s | ratio | peak RSS MB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.title} | {r.rows} | {r.seconds:.1f} | {r.target_s:.0f} | "
            f"{r.baseline_s:.1f} | {r.ratio:.1f}× | {r.peak_mb:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1/postgres"
        )
    bench_url = database_prepare(url=url, name=args.database)
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
    os.environ["DJANGO_SETTINGS_MODULE"] = "suanpan.settings"
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection

    started = uptime()
    print(f"Database {args.database} on {urlsplit(url).hostname}; {started}.")
    results: list[Measured] = []
    try:
        call_command("migrate", verbosity=0, interactive=False)
        actor = setup(args)
        if not args.skip_history:
            print(f"(a) history import of {args.lines:,} lines")
            results.append(measure_history(args, actor))
            print(results_table(results[-1:]))
        if not args.skip_issue:
            print(f"(b) issuing {args.invoices:,} invoices of 5 lines")
            results.append(measure_issue(args, actor))
            print(results_table(results[-1:]))
        table = results_table(results)
        print()
        print(table)
        report = "\n".join(
            [
                f"# Invoicing benchmark, {date.today().isoformat()}",  # noqa: DTZ011
                "",
                f"Started with {started}; ended with {uptime()}.",
                "",
                "Plain INSERT: the same number of invoice and line rows through bulk_create, "
                f"1,000 invoices per call, rolled back; timed on {args.baseline_share:.0%} of the "
                "rows and scaled.",
                "",
                *machine_lines(),
                "",
                table,
                "",
            ]
        )
        RESULTS_DIR.mkdir(exist_ok=True)
        out = RESULTS_DIR / f"invoicing-{date.today().isoformat()}.md"  # noqa: DTZ011
        out.write_text(report)
        print(f"\nWritten to {out.relative_to(BENCH_DIR.parent)}")
        for r in results:
            if r.seconds >= r.target_s:
                print(f"Target missed: {r.title} took {r.seconds:.0f} s", file=sys.stderr)
    finally:
        connection.close()
        if not args.keep:
            database_drop(url=url, name=args.database)
            print(f"Dropped {args.database}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
