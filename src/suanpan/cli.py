"""The `suanpan` console command: manage.py with Suanpan's settings and shorter verbs.

`suanpan run` serves the app, `suanpan demo` loads demo data, `suanpan import customers FILE`
and `suanpan export customers FILE` move customers in and out, `suanpan sales import FILE`
opportunities; `suanpan admin create USER` makes the first administrator and
`suanpan token create USER` an API token; anything else is handed to Django's manage.py as it
is (`suanpan migrate`, `suanpan createsuperuser` …).
"""

from __future__ import annotations

import os
import sys

SHORT_VERBS = {
    "run": ["runserver"],
    "import": ["import_data"],
    "export": ["export_data"],
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "suanpan.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["run"]:
        # The development server; production runs the WSGI app (see docs/operations.md).
        os.environ.setdefault("DEBUG", "1")
    if args and args[0] in SHORT_VERBS:
        args = SHORT_VERBS[args[0]] + args[1:]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["suanpan", *args])


if __name__ == "__main__":
    main()
