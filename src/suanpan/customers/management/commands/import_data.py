"""`suanpan import KIND FILE …`: read a file into Suanpan; a dry run unless --commit."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from suanpan.customers.management.transfer import IMPORT_KINDS


class Command(BaseCommand):
    help = (
        "Import records from an xlsx or csv file. Without --commit it only checks the file and "
        "lists every error. Exit status: 0 done, 1 the file has errors (nothing imported), "
        "2 the file or the options cannot be used."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Not dest="kind": customers have a --kind filter of their own.
        kinds = parser.add_subparsers(dest="data_kind", required=True, metavar="KIND")
        for name, kind in IMPORT_KINDS.items():
            kind.add_arguments(kinds.add_parser(name, help=kind.help, description=kind.help))

    def handle(self, *args: Any, **options: Any) -> None:
        IMPORT_KINDS[options["data_kind"]].run(self, options)
