"""`suanpan sales import FILE`: read opportunities from an xlsx or csv file; a dry run that
lists every error unless --commit. A row whose external reference was imported before updates
that opportunity, so the same file imported twice adds nothing twice.

Exit status: 0 done; 1 the file has errors and nothing was imported; 2 the command cannot run
(unreadable file, unknown user, missing permission).
"""

from __future__ import annotations

from pathlib import Path
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
        cli.permission_check(actor, imports.import_permission_require)
        path = Path(options["file"])
        sheet = cli.sheet_open(path, encoding=options["encoding"])
        report = cli.sheet_validate(
            path,
            sheet,
            lambda progress: imports.opportunities_import_validate(
                actor=actor, sheet=sheet, filename=path.name, progress=progress
            ),
        )
        cli.report_write(
            self,
            report,
            _(
                "%(rows)s rows read: %(created)s new opportunities, %(updated)s to update, "
                "%(unchanged)s unchanged, %(errors)s errors."
            )
            % {
                "rows": report.row_count,
                "created": report.create_count,
                "updated": report.update_count,
                "unchanged": report.unchanged_count,
                "errors": len(report.errors),
            },
        )
        if not options["commit"]:
            self.stdout.write(_("Dry run: nothing was saved. Run again with --commit to save."))
            return
        try:
            created, updated = imports.opportunities_import_commit(actor=actor, report=report)
        except imports.OpportunityImportInvalid as exc:
            raise cli.commit_refused(self, exc) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Imported: %(created)s opportunities created, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {"created": created, "updated": updated, "unchanged": report.unchanged_count}
            )
        )
