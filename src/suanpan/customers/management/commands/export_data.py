"""`suanpan export KIND FILE …`: write what a user may see to an xlsx or csv file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from suanpan.customers.management.transfer import EXPORT_KINDS


class Command(BaseCommand):
    help = (
        "Export records to an xlsx or csv file, filtered like the list page and limited to what "
        "the acting user may see. Exit status: 0 done, 2 the options cannot be used."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Not dest="kind": customers have a --kind filter of their own.
        kinds = parser.add_subparsers(dest="data_kind", required=True, metavar="KIND")
        for name, kind in EXPORT_KINDS.items():
            kind.add_arguments(kinds.add_parser(name, help=kind.help, description=kind.help))

    def handle(self, *args: Any, **options: Any) -> None:
        EXPORT_KINDS[options["data_kind"]].run(self, options)
