"""Sales order benchmark on PostgreSQL: order entry and the order list at a million orders.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/sales.py \
        [--orders 1000000] [--customers 20000] [--batches 10] [--batch-size 300] [--runs 30]

Creates its own database (`suanpan_bench_sales`) on the server named by DATABASE_URL, migrates
it and sets up customers, products and users. Then:

1. order entry: `order_bulk_create` with batches of 300 orders of 5 lines each, in orders per
   second (the issue's target: at least 300 per second);
2. fills the orders table up to --orders with COPY — consistent data: order totals are the sums
   of their lines, shipped quantities follow the status, numbers are gapless per month and the
   number sequences continue after them — and runs VACUUM ANALYZE;
3. times the order list page through Django's test client (DEBUG off), signed in as a sales
   manager (sees every order) and as a salesperson (sees their customers' orders): median and
   p95 of --runs requests, and the SQL queries of one (the target: under 100 ms median).

Prints a Markdown table and writes it, with the machine, the load average and EXPLAIN ANALYZE
of the list's queries, to bench/results/sales-<date>.md. The database is dropped at the end
unless --keep is given (then --reuse skips set-up and filling on the next run).
"""

from __future__ import annotations

import argparse
import io
import math
import os
import platform
import random
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
ENTRY_TARGET = 300.0  # orders per second
LIST_TARGET_MS = 100.0
SEED = 2026
LINES_PER_ENTERED_ORDER = 5
# Status mix of the filled orders: most are history, a few still move.
STATUS_WEIGHTS = {
    "draft": 4,
    "confirmed": 8,
    "picking": 4,
    "partly_shipped": 4,
    "shipped": 15,
    "completed": 60,
    "cancelled": 5,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders in the list")
    parser.add_argument("--customers", type=int, default=20_000, help="customers to create")
    parser.add_argument("--products", type=int, default=500, help="products to create")
    parser.add_argument("--batches", type=int, default=10, help="timed order-entry batches")
    parser.add_argument("--batch-size", type=int, default=300, help="orders per entry batch")
    parser.add_argument("--runs", type=int, default=30, help="timed requests per list scenario")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per scenario")
    parser.add_argument("--database", default="suanpan_bench_sales", help="database to use")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="use a kept database as it is (no set-up, no fill)"
    )
    parser.add_argument("--no-explain", action="store_true", help="skip EXPLAIN ANALYZE")
    return parser.parse_args(argv)


# --- database set-up, before Django is configured -------------------------------------------


def database_prepare(*, url: str, name: str, reuse: bool) -> tuple[str, bool]:
    """Create the bench database; return its URL and whether it must be set up and filled."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit("DATABASE_URL must point to a PostgreSQL server (postgres://…).")
    bench_url = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse:
            return bench_url, False
        if exists:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return bench_url, True


def database_drop(*, url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Result:
    scenario: str
    user: str
    median_ms: float
    p95_ms: float
    queries: int


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def timed(fn: Callable[[], Any], *, runs: int, warmup: int) -> tuple[float, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


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
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]
    return [
        f"- CPU: {os.cpu_count()} × {cpu}",
        f"- PostgreSQL {pg_version} (shared_buffers {shared_buffers}), same machine, TCP",
        f"- Python {platform.python_version()}, Django {get_version()}",
    ]


def uptime() -> str:
    load = os.getloadavg()
    return f"load average {load[0]:.2f}, {load[1]:.2f}, {load[2]:.2f} on {os.cpu_count()} CPUs"


# --- set-up ------------------------------------------------------------------------------------


def setup_master_data(args: argparse.Namespace) -> None:
    """Users, customers (with their search text) and products."""
    from suanpan.catalog.models import Product, TaxCategory
    from suanpan.customers.calculations import search_fields
    from suanpan.customers.models import Customer
    from suanpan.users.choices import Role
    from suanpan.users.models import User
    from suanpan.users.services import roles_sync

    roles_sync()
    from django.contrib.auth.models import Group

    def user(username: str, role: Role) -> User:
        made = User.objects.create_user(username=username, password=None, display_name=username)
        made.groups.add(Group.objects.get(name=str(role)))
        return made

    user("salesmgr", Role.SALES_MANAGER)
    sellers = [user(f"sales{n}", Role.SALES) for n in range(1, 9)]
    rng = random.Random(SEED)
    cities = ["北京", "上海", "广州", "深圳", "杭州", "成都", "武汉", "南京", "西安", "苏州"]
    words = ["小米", "华联", "星辰", "远航", "鼎盛", "恒通", "金桥", "瑞丰", "宏达", "天成"]
    kinds = ["科技", "贸易", "电子", "机械", "商贸", "实业"]
    customers = []
    for n in range(1, args.customers + 1):
        name = f"{rng.choice(cities)}{rng.choice(words)}{rng.choice(kinds)}{n}有限公司"
        number = f"KH-{n:06d}"
        fields = search_fields(name=name, number=number)
        customers.append(
            Customer(
                number=number,
                name=name,
                owner=sellers[n % len(sellers)],
                credit_limit_amount=Decimal(rng.choice([0, 100_000, 500_000, 1_000_000])),
                name_pinyin=fields.name_pinyin,
                name_initials=fields.name_initials,
                search_text=fields.search_text,
            )
        )
    Customer.objects.bulk_create(customers, batch_size=2000)
    categories = [
        TaxCategory.objects.create(code="1090000000000000000", name="货物", vat_rate_key="13"),
        TaxCategory.objects.create(code="3040000000000000000", name="服务", vat_rate_key="6"),
        TaxCategory.objects.create(code="1010000000000000000", name="农产品", vat_rate_key="9"),
    ]
    Product.objects.bulk_create(
        Product(
            code=f"SP-{n:05d}",
            name=f"商品{n}",
            unit="台" if n % 3 else "件",
            tax_category=categories[n % 3],
            list_price=Decimal(rng.randrange(500, 500_000)) / 100,
            standard_cost=Decimal(rng.randrange(100, 300_000)) / 100,
        )
        for n in range(1, args.products + 1)
    )


# --- (1) order entry ---------------------------------------------------------------------------


def measure_entry(args: argparse.Namespace) -> tuple[float, float, int]:
    """Orders per second through order_bulk_create: (median batch rate, overall rate, orders)."""
    from suanpan.catalog.models import Product
    from suanpan.customers.models import Customer
    from suanpan.sales.services import OrderInput, order_bulk_create
    from suanpan.sales.services.lines import LineInput
    from suanpan.users.models import User

    manager = User.objects.get(username="salesmgr")
    rng = random.Random(SEED + 1)
    customers = list(Customer.objects.order_by("?")[:2000])
    products = list(Product.objects.values_list("pk", flat=True))
    today = date(2026, 11, 27)
    # The warm-up loads permissions and creates the month's number sequence.
    batches = [
        [
            OrderInput(
                customer=rng.choice(customers),
                ordered_on=today,
                lines=[
                    LineInput(
                        product_id=rng.choice(products),
                        quantity=Decimal(rng.randrange(1, 50)),
                        unit_price=Decimal(rng.randrange(100, 100_000)) / 100,
                        discount_rate=Decimal(rng.choice([0, 0, 0, 5, 10])) / 100,
                    )
                    for _ in range(LINES_PER_ENTERED_ORDER)
                ],
            )
            for _ in range(args.batch_size)
        ]
        for _ in range(args.batches + 1)
    ]
    order_bulk_create(actor=manager, orders=batches[0])
    rates = []
    total_s = 0.0
    for batch in batches[1:]:
        start = time.perf_counter()
        order_bulk_create(actor=manager, orders=batch)
        elapsed = time.perf_counter() - start
        total_s += elapsed
        rates.append(len(batch) / elapsed)
    entered = args.batches * args.batch_size
    return statistics.median(rates), entered / total_s, entered


# --- (2) filling a million orders --------------------------------------------------------------


def _weighted_statuses(rng: random.Random, count: int) -> list[str]:
    names = list(STATUS_WEIGHTS)
    return rng.choices(names, weights=[STATUS_WEIGHTS[n] for n in names], k=count)


def fill_orders(args: argparse.Namespace, *, bench_url: str) -> tuple[int, float]:
    """COPY orders, lines and activities up to --orders; return (orders added, seconds)."""
    import psycopg

    from suanpan.catalog.models import Product
    from suanpan.core.models import DocumentSequence
    from suanpan.core.tax import VAT_RATES, line_amounts
    from suanpan.customers.models import Customer
    from suanpan.sales.models import SalesOrder
    from suanpan.users.models import User

    have = SalesOrder.objects.count()
    wanted = max(args.orders - have, 0)
    if not wanted:
        return 0, 0.0
    start = time.perf_counter()
    rng = random.Random(SEED + 2)
    customers = list(Customer.objects.values_list("pk", "owner_id"))
    products = [
        (p.pk, p.name, p.unit, p.tax_category.vat_rate_key, p.list_price)
        for p in Product.objects.select_related("tax_category")
    ]
    manager_id = User.objects.get(username="salesmgr").pk
    # Numbers continue each month's sequence; the filled orders lie before the entered ones.
    months = [(year, month) for year in range(2021, 2027) for month in range(1, 13)]
    months = [m for m in months if m < (2026, 11)]
    next_number = dict(
        DocumentSequence.objects.filter(series="XS").values_list("period", "next_value")
    )
    amounts_cache: dict[tuple[int, int, int], tuple[int, int, int]] = {}

    def amounts(product: int, quantity: int, price_fen: int) -> tuple[int, int, int]:
        key = (product, quantity, price_fen)
        if key not in amounts_cache:
            rate_key = products[product][3]
            a = line_amounts(
                quantity, Decimal(price_fen) / 100, VAT_RATES[rate_key], price_includes_tax=True
            )
            amounts_cache[key] = (
                int(a.net_amount * 100),
                int(a.tax_amount * 100),
                int(a.gross_amount * 100),
            )
        return amounts_cache[key]

    with psycopg.connect(bench_url) as conn:
        order_id = _scalar(conn, "SELECT coalesce(max(id), 0) FROM sales_salesorder")
        line_id = _scalar(conn, "SELECT coalesce(max(id), 0) FROM sales_salesorderline")
        chunk = 50_000
        done = 0
        while done < wanted:
            size = min(chunk, wanted - done)
            statuses = _weighted_statuses(rng, size)
            order_rows = io.StringIO()
            line_rows = io.StringIO()
            activity_rows = io.StringIO()
            for status in statuses:
                order_id += 1
                year, month = rng.choice(months)
                period = f"{year}{month:02d}"
                number = next_number.get(period, 1)
                next_number[period] = number + 1
                ordered_on = date(year, month, rng.randint(1, 28))
                customer_id, owner_id = rng.choice(customers)
                net = tax = gross = 0
                for position in range(1, rng.randint(1, 5) + 1):
                    line_id += 1
                    product = rng.randrange(len(products))
                    pk, name, unit, rate_key, _price = products[product]
                    quantity = rng.randint(1, 20)
                    price_fen = rng.randrange(500, 200_000)
                    n, t, g = amounts(product, quantity, price_fen)
                    net, tax, gross = net + n, tax + t, gross + g
                    if status in ("shipped", "completed") or (
                        status == "partly_shipped" and position == 1
                    ):
                        shipped = quantity * 10_000
                    else:
                        shipped = 0
                    line_rows.write(
                        f"{line_id}\t{position}\t{pk}\t{name}\t\t{unit}\t{quantity * 10_000}\t"
                        f"{price_fen / 100:.2f}\t0\t{rate_key}\t{VAT_RATES[rate_key].rate}\t"
                        f"{n}\t{t}\t{g}\t{order_id}\t{shipped}\t0\n"
                    )
                if status == "partly_shipped" and position == 1:
                    status = "shipped"  # a one-line order is all shipped or not at all
                created = datetime(year, month, ordered_on.day, 9, 0, tzinfo=UTC)
                confirmed = "\\N" if status == "draft" else created.isoformat()
                cancel_reason = "客户取消" if status == "cancelled" else ""
                order_rows.write(
                    f"{order_id}\tt\t{net}\t{tax}\t{gross}\tXS-{period}-{number:04d}\t"
                    f"{customer_id}\t{ordered_on + timedelta(days=7)}\t{ordered_on}\t{status}\t"
                    f"{owner_id}\t{confirmed}\t{created.isoformat()}\t{created.isoformat()}"
                    f"\t{cancel_reason}\t\t\t\t\t\t\n"
                )
                activity_rows.write(
                    f"{order_id}\tcreated\t\tdraft\t\t{manager_id}\t{created.isoformat()}\n"
                )
            with conn.cursor() as cursor:
                _copy(
                    cursor,
                    "sales_salesorder (id, price_includes_tax, net_amount, tax_amount,"
                    " gross_amount, number, customer_id, delivery_due_on, ordered_on, status,"
                    " owner_id, confirmed_at, created_at, updated_at, cancel_reason,"
                    " customer_reference, delivery_address, contact_name, contact_phone, notes,"
                    " credit_approval_reason)",
                    order_rows,
                )
                _copy(
                    cursor,
                    "sales_salesorderline (id, position, product_id, product_name,"
                    " specification, unit, quantity, unit_price, discount_rate, vat_rate_key,"
                    " vat_rate, net_amount, tax_amount, gross_amount, order_id,"
                    " shipped_quantity, invoiced_quantity)",
                    line_rows,
                )
                _copy(
                    cursor,
                    "sales_orderactivity (order_id, kind, from_status, to_status, note,"
                    " actor_id, at)",
                    activity_rows,
                )
            conn.commit()
            done += size
            print(
                f"\r  {done:,}/{wanted:,} orders, {time.perf_counter() - start:.0f} s",
                end="",
                flush=True,
            )
        print()
        with conn.cursor() as cursor:
            # Django's columns default in Python, not in SQL: fill what COPY left out.
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('sales_salesorder', 'id'), %s)",
                [order_id],
            )
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('sales_salesorderline', 'id'), %s)",
                [line_id],
            )
            for period, value in next_number.items():
                cursor.execute(
                    "INSERT INTO core_documentsequence (series, period, next_value)"
                    " VALUES ('XS', %s, %s) ON CONFLICT (series, period)"
                    " DO UPDATE SET next_value = EXCLUDED.next_value",
                    [period, value],
                )
        conn.commit()
    return wanted, time.perf_counter() - start


def _scalar(conn: Any, sql: str) -> Any:
    row = conn.execute(sql).fetchone()
    return row[0] if row else None


def _copy(cursor: Any, target: str, rows: io.StringIO) -> None:
    with cursor.copy(f"COPY {target} FROM STDIN") as copy:
        copy.write(rows.getvalue())


# --- (3) the list page -------------------------------------------------------------------------


def list_scenarios(args: argparse.Namespace) -> tuple[list[Result], list[tuple[str, str]]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from suanpan.core.listing import COUNT_CAP, count_capped
    from suanpan.customers.models import Customer
    from suanpan.sales.selectors.orders import order_list
    from suanpan.users.models import User

    manager = User.objects.get(username="salesmgr")
    salesperson = User.objects.get(username="sales1")
    customer = Customer.objects.filter(owner=salesperson).order_by("id").first()
    if customer is None:
        raise SystemExit("The salesperson sales1 owns no customer.")
    pages = [
        # No rows at all: what a request costs before the list (session, user, permissions,
        # middleware, the page around the table), to set the others against on a busy machine.
        ("floor: nothing matches", "/sales/orders/?ordered_after=2099-01-01", {}),
        ("default sort, first page", "/sales/orders/", {}),
        ("filtered: status confirmed", "/sales/orders/?status=confirmed", {}),
        ("filtered: one customer", f"/sales/orders/?customer={customer.pk}", {}),
        ("filtered: search `小米`", "/sales/orders/?q=%E5%B0%8F%E7%B1%B3", {}),
        ("search, order number", "/sales/orders/?q=XS-202406-01", {}),
        ("sorted by amount", "/sales/orders/?ordering=-amount", {}),
        ("sorted by status", "/sales/orders/?ordering=status", {}),
        ("default sort, page 40", "/sales/orders/?page=40", {}),
        (
            "htmx fragment, status confirmed",
            "/sales/orders/?status=confirmed",
            {"HX-Request": "true"},
        ),
    ]
    results: list[Result] = []
    explains: list[tuple[str, str]] = []
    for label, user in (("sales manager", manager), ("salesperson", salesperson)):
        client = Client()
        client.force_login(user)
        for name, path, headers in pages:

            def get(
                path: str = path, headers: dict[str, str] = headers, client: Client = client
            ) -> None:
                response = client.get(path, headers=headers)
                if response.status_code != 200:
                    raise SystemExit(f"GET {path} answered {response.status_code}")

            median, p95 = timed(get, runs=args.runs, warmup=args.warmup)
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                get()
            results.append(Result(f"{name} `{path}`", label, median, p95, counter.count))
            print(f"  {name} as {label}: {median:.1f} ms median, {counter.count} queries")
        if args.no_explain:
            continue
        for name, filters in (("default sort", {}), ("status confirmed", {"status": "confirmed"})):
            queryset, _filterset = order_list(user=user, filters=filters)
            with CaptureQueriesContext(connection) as captured:
                count_capped(queryset, cap=COUNT_CAP)
                list(queryset[:26])
            for query in captured.captured_queries:
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                explains.append((f"{name}, {label}", f"{query['sql']}\n\n{plan}"))
    return results, explains


def results_table(results: list[Result]) -> str:
    lines = [
        "| page | user | median ms | p95 ms | SQL queries |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.scenario} | {r.user} | {r.median_ms:.1f} | {r.p95_ms:.1f} | {r.queries} |"
        )
    return "\n".join(lines)


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
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["SECURE_COOKIES"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
    os.environ["DJANGO_SETTINGS_MODULE"] = "suanpan.settings"
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    notes = [f"Started with {uptime()}."]
    print(f"Database {args.database} on {urlsplit(url).hostname}; {notes[0]}")
    try:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
        if fresh:
            start = time.perf_counter()
            setup_master_data(args)
            print(f"Customers, products and users in {time.perf_counter() - start:.1f} s")

        print(f"Order entry: {args.batches} batches of {args.batch_size} orders")
        median_rate, overall_rate, entered = measure_entry(args)
        entry_line = (
            f"Order entry through `order_bulk_create`: {entered:,} orders of "
            f"{LINES_PER_ENTERED_ORDER} lines in {args.batches} batches of {args.batch_size}: "
            f"**{overall_rate:,.0f} orders/s** overall, {median_rate:,.0f} orders/s median "
            f"batch (target ≥ {ENTRY_TARGET:.0f}/s); measured with {uptime()}."
        )
        print(entry_line)

        added, fill_s = fill_orders(args, bench_url=bench_url)
        if added:
            start = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            notes.append(
                f"Filled {added:,} orders (1–5 lines each) with COPY in {fill_s:.0f} s, "
                f"VACUUM ANALYZE in {time.perf_counter() - start:.0f} s."
            )
            print(notes[-1])
        from suanpan.sales.models import SalesOrder, SalesOrderLine

        total = SalesOrder.objects.count()
        lines = SalesOrderLine.objects.count()
        notes.append(f"The list then held {total:,} orders with {lines:,} lines.")

        with override_settings(
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            }
        ):
            before = uptime()
            results, explains = list_scenarios(args)
            after = uptime()
        notes.append(f"List pages timed from {before} to {after}.")
        table = results_table(results)
        print()
        print(table)
        report = "\n".join(
            [
                f"# Sales order benchmark, {date.today().isoformat()}",  # noqa: DTZ011
                "",
                entry_line,
                "",
                *notes,
                "",
                *machine_lines(),
                "",
                f"List pages: median and p95 of {args.runs} requests after {args.warmup} "
                "warm-up requests, through Django's test client with DEBUG off; SQL queries "
                "counted for one request.",
                "",
                table,
                "",
                *(
                    part
                    for title, body in explains
                    for part in (f"### {title}", "", "```", body, "```", "")
                ),
            ]
        )
        RESULTS_DIR.mkdir(exist_ok=True)
        out = RESULTS_DIR / f"sales-{date.today().isoformat()}.md"  # noqa: DTZ011
        out.write_text(report)
        print(f"\nWritten to {out.relative_to(BENCH_DIR.parent)}")
        slow = [r for r in results if r.median_ms >= LIST_TARGET_MS]
        if overall_rate < ENTRY_TARGET:
            print(f"Target missed: order entry below {ENTRY_TARGET:.0f}/s", file=sys.stderr)
        for r in slow:
            print(f"Over {LIST_TARGET_MS:.0f} ms median: {r.scenario} ({r.user})", file=sys.stderr)
    finally:
        connection.close()
        if not args.keep:
            database_drop(url=url, name=args.database)
            print(f"Dropped {args.database}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
