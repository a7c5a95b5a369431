"""List-page throughput over HTTP: gunicorn, loopback, 8 keep-alive connections, CPU per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/http_lists.py \
        [--customers 10000] [--orders 20000] [--duration 20] [--connections 8] [--workers 4]
        [--reuse] [--keep] [--profile 200]

Creates its own database (`suanpan_bench_http`) on the server named by DATABASE_URL, migrates
it and loads the demo data (`suanpan.demo.load.demo_load`: users, customers with contacts) and
orders (`fill_orders` of bench/sales.py), then collects the static files and starts gunicorn
(--workers sync workers, DEBUG off, static files through WhiteNoise) on a free loopback port.
For each page — the customer list and the order list at the page size of the settings, as the
sales manager and as the salesperson — a bounded load generator (--connections threads, one
persistent connection each, signed in with a session cookie) sends requests for --duration
seconds after a short warm-up, and the bench reports:

- requests per second and the latency median and p95 seen by the client;
- **CPU ms per request**: the CPU time (user + system, from /proc/<pid>/stat) the gunicorn
  workers spent during the run, divided by the requests answered — what a page costs the
  application server, which other load on the machine changes much less than req/s;
- the CPU the PostgreSQL backends of the workers spent, per request, apart.

The load generator runs on the same machine and takes CPU from the server: on 2 cores the
req/s figure is a floor. With --profile N it instead renders each page N times in this process
(Django's test client, same settings) under cProfile and prints where the time goes.

Writes a Markdown report with the machine and the load average to
bench/results/http-lists-<date-time>.md. --src runs the server from another source tree (say
`git archive <commit> src | tar -x -C /tmp/old`), to set an older commit beside this one. The database is dropped at the end unless --keep is given
(then --reuse skips set-up on the next run).
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import warnings
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
RESULTS_DIR = BENCH_DIR / "results"
TARGET_CPU_MS = 15.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=10_000, help="demo customers to load")
    parser.add_argument("--orders", type=int, default=20_000, help="orders to fill")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per page")
    parser.add_argument("--warmup", type=float, default=3.0, help="untimed seconds per page")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--database", default="suanpan_bench_http", help="database to use")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="use a kept database as it is (no set-up)"
    )
    parser.add_argument(
        "--src",
        type=Path,
        default=PROJECT_DIR / "src",
        help="source tree the server runs (e.g. an exported older commit, to compare)",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="no HTTP run: profile N renders of each page in-process and print the top calls",
    )
    return parser.parse_args(argv)


def _bench_module(name: str) -> ModuleType:
    """Load a sibling bench script (bench/ is not a package) for its data generators."""
    if loaded := sys.modules.get(f"bench_{name}"):
        return loaded
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH_DIR / f"{name}.py")
    if spec is None or spec.loader is None:
        sys.exit(f"bench/{name}.py not found")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# --- the pages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    user: str  # username
    user_label: str


PAGES = (
    Page("customer list", "/customers/", "salesmgr", "sales manager"),
    Page("customer list", "/customers/", "sales1", "salesperson"),
    Page("order list", "/sales/orders/", "salesmgr", "sales manager"),
    Page("order list", "/sales/orders/", "sales1", "salesperson"),
)


@dataclass
class Result:
    page: Page
    requests: int
    errors: int
    seconds: float
    median_ms: float
    p95_ms: float
    worker_cpu_ms: float
    db_cpu_ms: float
    load: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# --- CPU accounting from /proc -----------------------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of these processes (their own, not their children's)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15 of stat)
    return total / CLOCK_TICKS


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


# --- the load generator ------------------------------------------------------------------------


def drive(
    *, port: int, path: str, cookie: str, connections: int, seconds: float
) -> tuple[list[float], int]:
    """Send requests on `connections` persistent connections for `seconds`; return the latencies
    (ms) of the answered ones and the number of errors. Bounded: each connection waits for its
    answer before the next request, so at most `connections` requests are in flight."""
    deadline = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    headers = {"Cookie": cookie, "Host": "127.0.0.1", "Accept-Encoding": "identity"}

    def run(slot: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                errors[slot] += 1
                conn.close()  # the next request opens a fresh connection
                continue
            if response.status != 200:
                errors[slot] += 1
                continue
            latencies[slot].append((time.perf_counter() - start) * 1000)
            if response.will_close:
                conn.close()  # gunicorn's sync workers close after each answer
        conn.close()

    threads = [threading.Thread(target=run, args=(slot,)) for slot in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [ms for slot in latencies for ms in slot], sum(errors)


# --- set-up ------------------------------------------------------------------------------------


def django_setup(bench_url: str, static_root: Path) -> None:
    """Production-like settings (DEBUG off, manifest static files), plain HTTP on loopback."""
    os.environ["DATABASE_URL"] = bench_url
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["SECURE_COOKIES"] = "0"
    os.environ["STATIC_ROOT"] = str(static_root)
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-used-anywhere-else-0123456789")
    os.environ["DJANGO_SETTINGS_MODULE"] = "suanpan.settings"
    src = str(PROJECT_DIR / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        p for p in (src, os.environ.get("PYTHONPATH", "")) if p
    )
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()


def data_load(args: argparse.Namespace, *, bench_url: str) -> str:
    from django.db import connection

    from suanpan.demo.load import demo_load

    start = time.perf_counter()
    made = demo_load(customers=args.customers)
    sales = _bench_module("sales")
    added, _fill_s = sales.fill_orders(argparse.Namespace(orders=args.orders), bench_url=bench_url)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return (
        f"Loaded {made:,} demo customers and filled {added:,} orders in "
        f"{time.perf_counter() - start:.0f} s (then VACUUM ANALYZE)."
    )


def session_cookies() -> dict[str, str]:
    """A signed-in session per user, stored in the database the server reads."""
    from django.conf import settings
    from django.test import Client

    from suanpan.users.models import User

    cookies = {}
    for username in {page.user for page in PAGES}:
        client = Client()
        # Named with Django's own backend, which every tree --src may run lists.
        client.force_login(
            User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
        )
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookies[username] = f"{settings.SESSION_COOKIE_NAME}={session}"
    return cookies


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_start(*, workers: int, port: int, src: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "suanpan.wsgi:application",
        f"--workers={workers}",
        f"--bind=127.0.0.1:{port}",
        "--worker-class=sync",
        "--log-level=warning",
        "--preload",
    ]
    env = {**os.environ, "PYTHONPATH": str(src.resolve())}
    server = subprocess.Popen(command, cwd=PROJECT_DIR, env=env)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn stopped while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                pass
        except OSError:
            time.sleep(0.2)
            continue
        if len(children(server.pid)) >= workers:
            return server
        time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not start within 60 s")


def db_backends(database: str) -> list[int]:
    """Process ids of the PostgreSQL backends connected to the bench database (the workers')."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        return [row[0] for row in cursor.fetchall()]


def http_run(args: argparse.Namespace) -> list[Result]:
    cookies = session_cookies()
    port = free_port()
    server = server_start(workers=args.workers, port=port, src=args.src)
    results = []
    try:
        workers = children(server.pid)
        for page in PAGES:
            cookie = cookies[page.user]
            drive(
                port=port,
                path=page.path,
                cookie=cookie,
                connections=args.connections,
                seconds=args.warmup,
            )
            backends = db_backends(args.database)
            worker_before, db_before = cpu_seconds(workers), cpu_seconds(backends)
            start = time.perf_counter()
            latencies, errors = drive(
                port=port,
                path=page.path,
                cookie=cookie,
                connections=args.connections,
                seconds=args.duration,
            )
            seconds = time.perf_counter() - start
            worker_cpu = cpu_seconds(workers) - worker_before
            db_cpu = cpu_seconds(backends) - db_before
            answered = max(len(latencies), 1)
            result = Result(
                page=page,
                requests=len(latencies),
                errors=errors,
                seconds=seconds,
                median_ms=statistics.median(latencies) if latencies else 0.0,
                p95_ms=_bench_module("sales").percentile(latencies, 0.95) if latencies else 0.0,
                worker_cpu_ms=worker_cpu * 1000 / answered,
                db_cpu_ms=db_cpu * 1000 / answered,
                load=os.getloadavg()[0],
            )
            results.append(result)
            print(
                f"  {page.name} as {page.user_label}: {result.rate:.1f} req/s, "
                f"{result.median_ms:.1f}/{result.p95_ms:.1f} ms median/p95, "
                f"{result.worker_cpu_ms:.1f} ms worker CPU + {result.db_cpu_ms:.1f} ms SQL CPU "
                f"per request, {errors} errors, load {result.load:.2f}"
            )
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return results


def profile_run(args: argparse.Namespace) -> None:
    """Render each page N times in-process under cProfile; print the heaviest calls."""
    import cProfile
    import pstats

    from django.test import Client

    from suanpan.users.models import User

    for page in PAGES:
        client = Client()
        client.force_login(User.objects.get(username=page.user))
        for _ in range(5):
            client.get(page.path)
        profiler = cProfile.Profile()
        start = time.process_time()
        profiler.enable()
        for _ in range(args.profile):
            response = client.get(page.path)
            if response.status_code != 200:
                sys.exit(f"GET {page.path} answered {response.status_code}")
        profiler.disable()
        cpu_ms = (time.process_time() - start) * 1000 / args.profile
        stats = pstats.Stats(profiler)
        calls = stats.total_calls / args.profile  # type: ignore[attr-defined]
        # Python calls per request do not change with the machine's load: compare them.
        print(
            f"\n## {page.name} as {page.user_label}: {cpu_ms:.1f} ms CPU and "
            f"{calls:,.0f} Python calls per request (profiled)"
        )
        stats.sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(45)


def results_table(results: list[Result]) -> str:
    lines = [
        "| page | user | req/s | median ms | p95 ms | worker CPU ms/req | SQL CPU ms/req"
        " | requests | errors | load |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.page.name} `{r.page.path}` | {r.page.user_label} | {r.rate:.1f} | "
            f"{r.median_ms:.1f} | {r.p95_ms:.1f} | {r.worker_cpu_ms:.1f} | {r.db_cpu_ms:.1f} | "
            f"{r.requests:,} | {r.errors} | {r.load:.2f} |"
        )
    return "\n".join(lines)


def machine_lines() -> list[str]:
    import gunicorn

    return [*_bench_module("sales").machine_lines(), f"- gunicorn {gunicorn.__version__}"]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server, e.g. postgres://postgres@127.0.0.1/postgres"
        )
    sales = _bench_module("sales")
    bench_url, fresh = sales.database_prepare(url=url, name=args.database, reuse=args.reuse)
    static_root = PROJECT_DIR / "var" / "bench-static"
    django_setup(bench_url, static_root)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    notes = [f"Started with {sales.uptime()}."]
    print(f"Database {args.database} on {urlsplit(url).hostname}; {notes[0]}")
    try:
        call_command("migrate", verbosity=0, interactive=False)
        call_command("createcachetable", verbosity=0)
        if fresh:
            notes.append(data_load(args, bench_url=bench_url))
            print(notes[-1])
        if args.profile:
            profile_run(args)
            return 0
        start = time.perf_counter()
        call_command("collectstatic", verbosity=0, interactive=False)
        print(f"Static files collected in {time.perf_counter() - start:.0f} s")
        connection.close()  # the server's workers get their own connections
        before = sales.uptime()
        results = http_run(args)
        notes.append(f"Measured from {before} to {sales.uptime()}.")
        table = results_table(results)
        print()
        print(table)
        report = "\n".join(
            [
                f"# List pages over HTTP, {date.today().isoformat()}",  # noqa: DTZ011
                "",
                f"gunicorn with {args.workers} sync workers (DEBUG off, WhiteNoise), "
                f"{args.connections} connections from a load generator on the same machine, "
                f"{args.duration:.0f} s per page after {args.warmup:.0f} s of warm-up, "
                f"{settings.PAGE_SIZE} rows per page; server code from `{args.src}`.",
                "",
                *notes,
                "",
                *machine_lines(),
                "",
                table,
                "",
            ]
        )
        RESULTS_DIR.mkdir(exist_ok=True)
        stamp = time.strftime("%Y-%m-%d-%H%M%S", time.gmtime())
        out = RESULTS_DIR / f"http-lists-{stamp}.md"
        out.write_text(report)
        print(f"\nWritten to {out.relative_to(PROJECT_DIR)}")
        for r in results:
            if r.worker_cpu_ms > TARGET_CPU_MS:
                print(
                    f"Over {TARGET_CPU_MS:.0f} ms CPU per request: {r.page.name} "
                    f"({r.page.user_label})",
                    file=sys.stderr,
                )
    finally:
        connection.close()
        if not args.keep:
            sales.database_drop(url=url, name=args.database)
            print(f"Dropped {args.database}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
