"""`suanpan sales import FILE`: read opportunities from an xlsx or csv file; a dry run that
lists every error unless --commit. A row whose external reference was imported before updates
that opportunity, so the same file imported twice adds nothing twice.

Exit status: 0 done; 1 the file has errors and nothing was imported; 2 the command cannot run
(unreadable file, unknown user, missing permission).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from suanpan.core import transfer_cli as cli
from suanpan.sales.services import opportunity_imports as imports


class Command(BaseCommand):
    help = (
        "Import opportunities from an xlsx or csv file (a dry run unless --commit). Exit status: "
        "0 done, 1 the file has errors (nothing imported), 2 the file or the options cannot be "
        "used."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        importing = actions.add_parser(
            "import",
            help="opportunities from an .xlsx or .csv file; a known external reference updates",
        )
        cli.import_arguments(
            importing,
            commit_help="save the opportunities (all or none); without it the file is only checked",
        )
        cli.as_argument(importing)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = cli.acting_user(options["as_user"])
        cli.spreadsheet_import(
            self,
            options,
            actor=actor,
            permission_require=imports.import_permission_require,
            validate=lambda sheet, filename, progress: imports.opportunities_import_validate(
                actor=actor, sheet=sheet, filename=filename, progress=progress
            ),
            summary=lambda report: (
                _(
                    "%(rows)s rows read: %(created)s new opportunities, %(updated)s to update, "
                    "%(unchanged)s unchanged, %(errors)s errors."
                )
                % report.counts()
            ),
            commit=lambda report: imports.opportunities_import_commit(actor=actor, report=report),
            committed=lambda result, report: (
                _(
                    "Imported: %(created)s opportunities created, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {"created": result[0], "updated": result[1], "unchanged": report.unchanged_count}
            ),
        )
