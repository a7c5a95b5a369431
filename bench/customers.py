"""Customer search and list benchmark on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/customers.py \
        [--customers 100000] [--runs 50] [--database suanpan_bench] [--reuse]

Creates its own database on the server named by DATABASE_URL (dropping a previous one), migrates
it, loads the deterministic demo data (`suanpan.demo.load.demo_load`), then times what the
customer list does for a sales manager (sees every customer) and a salesperson (sees own and
shared ones). Prints a Markdown table and writes it, with EXPLAIN ANALYZE of the search
queries, to bench/results/customers-<date>.md.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
RESULTS_DIR = BENCH_DIR / "results"
TARGET_MS = 50.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000, help="customers to load")
    parser.add_argument("--runs", type=int, default=50, help="timed runs per scenario")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs per scenario")
    parser.add_argument("--database", default="suanpan_bench", help="database to (re)create")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database if it already holds exactly --customers customers",
    )
    parser.add_argument("--no-explain", action="store_true", help="skip EXPLAIN ANALYZE")
    return parser.parse_args(argv)


# --- database set-up, before Django is configured -------------------------------------------


def database_prepare(*, url: str, name: str, reuse: bool, customers: int) -> tuple[str, bool]:
    """Create the bench database on the server in `url`; return its URL and whether to load."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit("DATABASE_URL must point to a PostgreSQL server (postgres://…).")
    bench_url = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and reuse and _holds(bench_url, customers):
            return bench_url, False
        if exists:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return bench_url, True


def _holds(url: str, customers: int) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT count(*) FROM customers_customer").fetchone()
    except psycopg.Error:
        return False
    return row is not None and row[0] == customers


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Result:
    scenario: str
    user: str
    matches: int | None
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
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
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
        f"- RAM: {ram}",
        f"- PostgreSQL {pg_version} (shared_buffers {shared_buffers}), same machine, TCP",
        f"- Python {platform.python_version()}, Django {get_version()}, {platform.system()} "
        f"{platform.release()}",
    ]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1/postgres"
        )
    bench_url, load = database_prepare(
        url=url, name=args.database, reuse=args.reuse, customers=args.customers
    )

    # Production-like settings (DEBUG off), but plain HTTP for the test client.
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["SECURE_COOKIES"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
    os.environ["DJANGO_SETTINGS_MODULE"] = "suanpan.settings"
    # WhiteNoise warns that STATIC_ROOT was never collected; the bench renders, it serves no files.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    print(f"Database {args.database} on {urlsplit(url).hostname}")
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if load:
        from suanpan.demo.load import demo_load

        start = time.perf_counter()
        made = demo_load(customers=args.customers, progress=_progress(args.customers))
        load_s = time.perf_counter() - start
        print(f"\nLoaded {made} customers in {load_s:.1f} s")
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE in {time.perf_counter() - start:.1f} s")
        load_note = f"Loading {made:,} demo customers took {load_s:.0f} s (then VACUUM ANALYZE)."
    else:
        load_note = "Database reused (--reuse); loading time not measured in this run."
        print(load_note)

    # No collected manifest is needed to render pages: plain static storage.
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        load_before = os.getloadavg()[0]
        results, explains = run_scenarios(args)
        load_after = os.getloadavg()[0]
    load_note += (
        f" Load average (1 min) {load_before:.2f} before and {load_after:.2f} after measuring"
        f" on {os.cpu_count()} CPUs: other work on the machine skews the timings."
    )

    table = results_table(results)
    print()
    print(table)
    report = render_report(args, table=table, explains=explains, load_note=load_note)
    RESULTS_DIR.mkdir(exist_ok=True)
    out = RESULTS_DIR / f"customers-{date.today().isoformat()}.md"  # noqa: DTZ011
    out.write_text(report)
    print(f"\nWritten to {out.relative_to(BENCH_DIR.parent)}")
    pinyin = [r for r in results if r.scenario.startswith("search, pinyin initials")]
    missed = [r for r in pinyin if r.median_ms >= TARGET_MS]
    if missed:
        print(f"Target missed: pinyin-initials search median ≥ {TARGET_MS:.0f} ms", file=sys.stderr)
    return 0


def _progress(total: int) -> Callable[[int], None]:
    done = 0
    start = time.perf_counter()

    def report(size: int) -> None:
        nonlocal done
        done += size
        print(f"\r  {done:,}/{total:,} customers, {time.perf_counter() - start:.0f} s", end="")
        sys.stdout.flush()

    return report


def run_scenarios(args: argparse.Namespace) -> tuple[list[Result], list[tuple[str, str]]]:
    from django.conf import settings
    from django.core.paginator import Paginator
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from suanpan.customers import selectors
    from suanpan.customers.models import Contact, Customer
    from suanpan.users.models import User

    manager = User.objects.get(username="salesmgr")
    salesperson = User.objects.get(username="sales1")

    # Search terms a user would type, taken from the data so each finds something for both
    # users: a customer owned by the salesperson, somewhere in the middle of the table.
    sample = Customer.objects.filter(owner=salesperson).order_by("id")[
        Customer.objects.count() // 6
    ]
    phone = Contact.objects.filter(customer=sample).order_by("id").first()
    phone_digits = "".join(ch for ch in (phone.phone if phone else "") if ch.isdigit())
    searches = [
        ("search, pinyin initials", "bjxm"),
        ("search, name fragment", "北京小米"),
        ("search, phone digits", phone_digits),
        ("search, credit code", sample.credit_code),
        # Below three characters a trigram index cannot help: the worst case of search.
        ("search, two characters", "小米"),
        ("list, no search", ""),
    ]

    def list_work(user: User, query: str) -> Callable[[], int]:
        def work() -> int:
            queryset, _filterset = selectors.customer_list(
                user=user, filters={"q": query} if query else {}
            )
            page = Paginator(queryset.prefetch_related("contacts"), settings.PAGE_SIZE).get_page(1)
            rows = list(page.object_list)
            for row in rows:  # what the template touches
                _ = row.owner, list(row.contacts.all())
            return page.paginator.count

        return work

    results: list[Result] = []
    explains: list[tuple[str, str]] = []
    for label, user in (("sales manager", manager), ("salesperson", salesperson)):
        for scenario, query in searches:
            work = list_work(user, query)
            median, p95 = timed(work, runs=args.runs, warmup=args.warmup)
            with CaptureQueriesContext(connection) as captured:
                matches = work()
            title = f"{scenario} `{query}`" if query else scenario
            results.append(Result(title, label, matches, median, p95, len(captured)))
            print(f"  {scenario} {query!r} as {label}: {matches} matches, {median:.1f} ms")
            explained = ("search, pinyin", "search, two", "list")
            if not args.no_explain and scenario.startswith(explained):
                explains.extend(_explain(f"{title}, {label}", captured.captured_queries))

        client = Client()
        client.force_login(user)
        for path, headers, name in (
            ("/customers/", {}, "page GET `/customers/`"),
            ("/customers/?q=bjxm", {}, "page GET `/customers/?q=bjxm`"),
            ("/customers/?q=bjxm", {"HX-Request": "true"}, "htmx fragment `/customers/?q=bjxm`"),
        ):

            def get(
                path: str = path, headers: dict[str, str] = headers, client: Client = client
            ) -> None:
                response = client.get(path, headers=headers)
                if response.status_code != 200:
                    raise SystemExit(f"GET {path} answered {response.status_code}")

            median, p95 = timed(get, runs=args.runs, warmup=args.warmup)
            # Counted with a wrapper: each request resets the query log CaptureQueriesContext reads.
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                get()
            results.append(Result(name, label, None, median, p95, counter.count))
            print(f"  {name} as {label}: {median:.1f} ms, {counter.count} queries")
    return results, explains


def _explain(title: str, queries: list[dict[str, str]]) -> list[tuple[str, str]]:
    from django.db import connection

    plans = []
    for query in queries:
        sql = query["sql"]
        if "customers_customer" not in sql or not sql.lstrip().upper().startswith("SELECT"):
            continue
        if 'FROM "customers_contact"' in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        kind = "count" if "COUNT(*)" in sql.upper() else "first page"
        plans.append((f"{title}: {kind}", f"{sql}\n\n{plan}"))
    return plans


def results_table(results: list[Result]) -> str:
    lines = [
        "| scenario | user | matches | median ms | p95 ms | SQL queries |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        matches = f"{r.matches:,}" if r.matches is not None else ""
        lines.append(
            f"| {r.scenario} | {r.user} | {matches} | {r.median_ms:.1f} | {r.p95_ms:.1f} "
            f"| {r.queries} |"
        )
    return "\n".join(lines)


def render_report(
    args: argparse.Namespace, *, table: str, explains: list[tuple[str, str]], load_note: str
) -> str:
    parts = [
        f"# Customer search benchmark, {date.today().isoformat()}",  # noqa: DTZ011
        "",
        f"{args.customers:,} demo customers, {args.runs} timed runs per row after "
        f'{args.warmup} warm-up runs. "search" rows time what the list page does in the '
        "selector (filter, count, first page of 25, contacts prefetched); page rows time a "
        "whole request through Django's test client (session, middleware, template). SQL queries "
        "are counted for one request.",
        "",
        load_note,
        "",
        *machine_lines(),
        "",
        table,
        "",
    ]
    if explains:
        parts += ["## EXPLAIN ANALYZE", ""]
        for title, body in explains:
            parts += [f"### {title}", "", "```", body, "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    raise SystemExit(main())
