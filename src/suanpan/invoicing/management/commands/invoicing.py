"""`suanpan invoicing …`: the invoicing app's commands.

`import-history FILE`: invoices issued elsewhere (another system, or before Suanpan) from a
line-level csv or xlsx file. A dry run that lists every error and the per-invoice totals unless
--commit; --post also posts revenue and receivables. Progress goes to stderr.

Exit status: 0 done; 1 the file has errors and nothing was imported; 2 the command cannot run
(unreadable file, unknown user, missing permission).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from suanpan.core import transfer_cli as cli
from suanpan.core.errors import DomainError
from suanpan.core.tax import VAT_RATES
from suanpan.invoicing.errors import HistoryImportInvalid
from suanpan.invoicing.services.history_import import (
    HistoryOptions,
    HistoryReport,
    history_import_check,
    history_import_commit,
)

TOTALS_PRINTED = 20


class Command(BaseCommand):
    help = (
        "Invoicing commands. import-history: invoices issued elsewhere, from a csv or xlsx "
        "file (a dry run unless --commit). Exit status: 0 done, 1 the file has errors "
        "(nothing imported), 2 the file or the options cannot be used."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        history = actions.add_parser(
            "import-history",
            help="invoices issued elsewhere, one row per invoice line, sorted by number",
        )
        history.add_argument("file", help="the .csv or .xlsx file")
        history.add_argument(
            "--commit",
            action="store_true",
            help="record the invoices (all or none); without it the file is only checked",
        )
        history.add_argument(
            "--post",
            action="store_true",
            help="also post revenue, output VAT and the receivable of each invoice",
        )
        history.add_argument(
            "--default-rate",
            choices=sorted(VAT_RATES),
            default="",
            help="VAT rate (percent) for rows that give none",
        )
        history.add_argument(
            "--excluding-tax",
            action="store_true",
            help="amounts and prices exclude tax where the row does not say (default: include)",
        )
        history.add_argument(
            "--walk-in",
            metavar="CODE",
            default="",
            help="customer number for rows with no customer or an unknown one (walk-in sales)",
        )
        cli.encoding_argument(history)
        history.add_argument(
            "--user",
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="act as this user, with their permissions (default: the first active superuser)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import-history":
            self.import_history(**options)

    def import_history(self, **options: Any) -> None:
        actor = cli.acting_user(options["as_user"])
        path = Path(options["file"])
        if not path.is_file():
            raise cli.unusable(_("There is no file “%(name)s”.") % {"name": path})
        choices = HistoryOptions(
            default_rate=options["default_rate"],
            price_includes_tax=not options["excluding_tax"],
            post=options["post"],
            walk_in=options["walk_in"],
            encoding=options.get("encoding") or None,
        )
        last = [-1]

        def progress(percent: int) -> None:
            if percent != last[0]:
                last[0] = percent
                bar = "#" * (percent // 4)
                sys.stderr.write(f"\r[{bar:<25}] {percent:3d}%")
                if percent >= 100:
                    sys.stderr.write("\n")
                sys.stderr.flush()

        try:
            if options["commit"]:
                report = history_import_commit(
                    actor=actor,
                    path=path,
                    filename=path.name,
                    options=choices,
                    progress=progress,
                )
            else:
                report = history_import_check(
                    actor=actor, path=path, filename=path.name, options=choices, progress=progress
                )
        except HistoryImportInvalid as exc:
            sys.stderr.write("\n")
            failed: HistoryReport | None = getattr(exc, "report", None)
            if failed is not None:
                self.print_report(failed)
            raise CommandError(exc.message, returncode=cli.EXIT_ERRORS) from exc
        except DomainError as exc:
            sys.stderr.write("\n")
            raise cli.unusable(exc.message) from exc
        self.print_report(report)
        if not report.ok:
            raise CommandError(
                _("The file has %(count)s errors; nothing was imported.")
                % {"count": report.error_count},
                returncode=cli.EXIT_ERRORS,
            )

    def print_report(self, report: HistoryReport) -> None:
        out = self.stdout
        out.write(
            _(
                "%(rows)s rows: %(invoices)s invoices (%(red)s credit notes), %(lines)s lines; "
                "net %(net)s, tax %(tax)s, gross %(gross)s."
            )
            % {
                "rows": report.row_count,
                "invoices": report.invoice_count,
                "red": report.red_count,
                "lines": report.line_count,
                "net": report.net_amount,
                "tax": report.tax_amount,
                "gross": report.gross_amount,
            }
        )
        if report.walk_in_count:
            out.write(
                _("%(count)s invoices go to the walk-in customer.")
                % {"count": report.walk_in_count}
            )
        for row in report.totals[:TOTALS_PRINTED]:
            out.write(
                f"  {row['number']}  {row['date']}  {row['customer']}  "
                f"{row['lines']}  {row['net_amount']}  {row['tax_amount']}  {row['gross_amount']}"
            )
        if report.invoice_count > TOTALS_PRINTED:
            out.write(
                _("  … and %(count)s more invoices.")
                % {"count": report.invoice_count - TOTALS_PRINTED}
            )
        if report.rounding_count:
            out.write(
                _("Rounded to the fen, half up (%(count)s lines):")
                % {"count": report.rounding_count}
            )
            for note in report.rounding[:TOTALS_PRINTED]:
                out.write(f"  {note}")
        if report.ignored_columns:
            out.write(
                _("Columns ignored: %(columns)s") % {"columns": ", ".join(report.ignored_columns)}
            )
        for error in sorted(report.errors):
            self.stderr.write(str(error))
        if report.error_count > len(report.errors):
            self.stderr.write(
                _("… and %(count)s more errors.")
                % {"count": report.error_count - len(report.errors)}
            )
        if report.committed:
            out.write(
                _("Imported %(count)s invoices as batch %(batch)s.")
                % {"count": report.invoice_count, "batch": report.batch_number}
            )
        elif report.ok:
            out.write(_("Nothing was imported: this was a dry run; add --commit to import."))
