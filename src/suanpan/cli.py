"""The `suanpan` console command: manage.py with Suanpan's settings and shorter verbs.

`suanpan run` serves the app for development, `suanpan serve` in production (gunicorn),
`suanpan demo` loads demo data, `suanpan import customers FILE` and `suanpan export customers
FILE` move customers in and out, `suanpan sales import FILE` opportunities; `suanpan admin
create USER` makes the first administrator and `suanpan token create USER` an API token;
anything else is handed to Django's manage.py as it is (`suanpan migrate`, `suanpan
createsuperuser` …).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

SHORT_VERBS = {
    "run": ["runserver"],
    "import": ["import_data"],
    "export": ["export_data"],
}


# Workers past this many only queue on the database; raise SUANPAN_WORKERS deliberately.
MAX_WORKERS = 12


def serve_command(
    env: Mapping[str, str], *, cpu_count: int | None, extra: list[str] | None = None
) -> list[str]:
    """The gunicorn command line `suanpan serve` runs, from the environment:
    `SUANPAN_BIND` (127.0.0.1:8000), `SUANPAN_WORKERS` (2 × CPUs + 1, at most `MAX_WORKERS`),
    `SUANPAN_THREADS` (4 per worker: requests wait on the database more than on the CPU),
    `SUANPAN_TIMEOUT` (60 s: the longest report or export). `extra` goes to gunicorn as it is."""
    workers = env.get("SUANPAN_WORKERS") or str(min(2 * (cpu_count or 1) + 1, MAX_WORKERS))
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "suanpan.wsgi:application",
        "--bind",
        env.get("SUANPAN_BIND") or "127.0.0.1:8000",
        "--workers",
        workers,
        "--threads",
        env.get("SUANPAN_THREADS") or "4",
        "--timeout",
        env.get("SUANPAN_TIMEOUT") or "60",
        "--graceful-timeout",
        "30",
        # A worker restarts after this many requests (with jitter), so a slow leak cannot grow.
        "--max-requests",
        "2000",
        "--max-requests-jitter",
        "200",
        "--access-logfile",
        "-",
        *(extra or []),
    ]


def serve(extra: list[str]) -> None:
    """Replace this process with gunicorn serving the WSGI app (production settings unless
    DEBUG is set); stop it with SIGTERM, which lets running requests finish."""
    command = serve_command(os.environ, cpu_count=os.cpu_count(), extra=extra)
    os.execv(command[0], command)  # noqa: S606 (gunicorn takes over this process)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suanpan.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["serve"]:
        serve(args[1:])
        return
    if args[:1] == ["run"]:
        # The development server; production runs the WSGI app (see docs/operations.md).
        os.environ.setdefault("DEBUG", "1")
    if args and args[0] in SHORT_VERBS:
        args = SHORT_VERBS[args[0]] + args[1:]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["suanpan", *args])


if __name__ == "__main__":
    main()
