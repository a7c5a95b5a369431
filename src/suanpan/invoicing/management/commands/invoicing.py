"""`suanpan invoicing …`: the tax-platform round trip from the command line.

    export-batch [--requests KP-… …] [--all-approved] [--template FILE] --output FILE
    import-failures FILE
    import-issued FILE [--commit]
    import-xml FILE [--commit]
    import-history FILE [--commit] [--post] [--default-rate 13] [--excluding-tax] [--walk-in CODE]
    expire-red-forms [--now ISO-8601]      hourly: red-letter forms past their 72 hours lapse (07)

Each runs as the user named with --user (or --as; default the first active superuser).
Exit status: 0 done; 1 the file has errors and nothing was recorded; 2 the command cannot run
(unreadable file, unknown user, missing permission, bad options).

Subcommands live in SUBCOMMANDS: adding one is a function taking (command, options) and a line
that declares its arguments.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suanpan.core import transfer_cli as cli
from suanpan.core.errors import DomainError
from suanpan.core.tax import VAT_RATES
from suanpan.invoicing.errors import HistoryImportInvalid
from suanpan.invoicing.selectors.platform import exportable_requests, requests_by_number
from suanpan.invoicing.services import platform_export, platform_imports, red_forms_expire
from suanpan.invoicing.services.history_import import history_import_check, history_import_commit
from suanpan.invoicing.services.history_rows import HistoryOptions, HistoryReport
from suanpan.users.permissions import permission_require

MAX_FILE_BYTES = 10 * 1024 * 1024
TOTALS_PRINTED = 20


def _user_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--user",
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="act as this user, with their permissions (default: the first active superuser)",
    )


def _read(path_text: str, *, limit: int = MAX_FILE_BYTES) -> tuple[bytes, str]:
    path = Path(path_text)
    if not path.is_file():
        raise cli.unusable(_("No such file: %(path)s") % {"path": path})
    if path.stat().st_size > limit:
        raise cli.unusable(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": path.name, "limit": limit // (1024 * 1024)}
        )
    return path.read_bytes(), path.name


def _refused(exc: DomainError) -> CommandError:
    return CommandError(str(exc.message), returncode=cli.EXIT_ERRORS)


# --- export-batch ---------------------------------------------------------------------------


def _export_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--requests", nargs="+", metavar="NUMBER", default=[], help="request numbers (KP-…)"
    )
    parser.add_argument(
        "--all-approved",
        action="store_true",
        help="every approved request (and failed one to send again) the user sees",
    )
    parser.add_argument("--template", help="the batch-issue template downloaded from the platform")
    parser.add_argument("--output", required=True, help="the .xlsx file to write")


def _export(command: BaseCommand, options: dict[str, Any]) -> None:
    actor = cli.acting_user(options["as_user"])
    cli.permission_check(
        actor, lambda user: permission_require(user, platform_export.EXPORT_PERMISSION)
    )
    numbers = options["requests"]
    if not numbers and not options["all_approved"]:
        raise cli.unusable(_("Name the requests with --requests, or use --all-approved."))
    if options["all_approved"]:
        ids = list(exportable_requests(user=actor).values_list("pk", flat=True))
    else:
        found = dict(requests_by_number(user=actor, numbers=numbers).values_list("number", "pk"))
        missing = sorted(set(numbers) - set(found))
        if missing:
            raise cli.unusable(
                _("There is no request %(numbers)s.") % {"numbers": ", ".join(missing)}
            )
        ids = list(found.values())
    if not ids:
        raise cli.unusable(_("No approved request to export."))
    template = None
    template_name = "template.xlsx"
    if options["template"]:
        template, template_name = _read(options["template"])
    output = Path(options["output"])
    if not output.parent.is_dir():
        raise cli.unusable(_("No such folder: %(path)s") % {"path": output.parent})
    try:
        data, batch = platform_export.batch_export(
            request_ids=ids, template=template, template_name=template_name, actor=actor
        )
    except DomainError as exc:
        raise _refused(exc) from exc
    output.write_bytes(data)
    command.stdout.write(
        command.style.SUCCESS(
            _("Batch %(batch)s: %(count)s requests written to %(path)s.")
            % {"batch": batch.number, "count": batch.row_count, "path": output}
        )
    )


# --- import-failures ------------------------------------------------------------------------


def _file_argument(parser: CommandParser) -> None:
    parser.add_argument("file", help="the file downloaded from the tax platform")


def _commit_arguments(parser: CommandParser) -> None:
    _file_argument(parser)
    parser.add_argument(
        "--commit",
        action="store_true",
        help="record the matched invoices (all or none); without it the file is only checked",
    )


def _failures(command: BaseCommand, options: dict[str, Any]) -> None:
    actor = cli.acting_user(options["as_user"])
    data, name = _read(options["file"])
    try:
        result = platform_imports.failures_import(data=data, filename=name, actor=actor)
    except DomainError as exc:
        raise _refused(exc) from exc
    for number, reason in result.failed:
        command.stdout.write(f"{number}\t{reason}")
    command.stdout.write(
        command.style.SUCCESS(
            _("%(count)s requests marked failed at the tax platform.")
            % {"count": len(result.failed)}
        )
    )


# --- import-issued / import-xml -------------------------------------------------------------


def _report(command: BaseCommand, report: platform_imports.IssuedReport, commit: bool) -> None:
    for row in report.rows:
        parts = [str(row.row), row.number, row.status, row.request_number]
        if row.message:
            parts.append(row.message)
        parts.extend(row.findings)
        command.stdout.write("\t".join(part for part in parts if part))
    counts = report.as_dict()["counts"]
    command.stdout.write(
        _(
            "%(matched)s matched, %(unmatched)s unmatched, %(recorded)s already recorded, "
            "%(red)s red, %(invalid)s with errors."
        )
        % counts
    )
    if commit:
        command.stdout.write(
            command.style.SUCCESS(
                _("Recorded %(count)s invoices in batch %(batch)s.")
                % {"count": report.recorded, "batch": report.batch.number if report.batch else "—"}
            )
        )
    else:
        command.stdout.write(_("Dry run: nothing was saved. Run again with --commit to save."))


def _importer(
    read: Callable[..., platform_imports.IssuedReport],
) -> Callable[[BaseCommand, dict[str, Any]], None]:
    def run(command: BaseCommand, options: dict[str, Any]) -> None:
        actor = cli.acting_user(options["as_user"])
        data, name = _read(options["file"])
        try:
            report = read(data=data, filename=name, actor=actor, commit=options["commit"])
        except DomainError as exc:
            raise _refused(exc) from exc
        _report(command, report, options["commit"])

    return run


def _expire_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--now", help="the moment to compare with, ISO 8601 (default: now); for catching up"
    )


def _expire(command: BaseCommand, options: dict[str, Any]) -> None:
    now = timezone.now()
    if options.get("now"):
        try:
            now = datetime.fromisoformat(options["now"])
        except ValueError as exc:
            raise CommandError(
                _("“%(value)s” is not a date and time.") % {"value": options["now"]},
                returncode=2,
            ) from exc
        if timezone.is_naive(now):
            now = timezone.make_aware(now)
    count = red_forms_expire(now=now)
    command.stdout.write(
        ngettext("%(count)d red-letter form lapsed.", "%(count)d red-letter forms lapsed.", count)
        % {"count": count}
    )


def _history_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", help="the .csv or .xlsx file")
    parser.add_argument(
        "--commit",
        action="store_true",
        help="record the invoices (all or none); without it the file is only checked",
    )
    parser.add_argument(
        "--post",
        action="store_true",
        help="also post revenue, output VAT and the receivable of each invoice",
    )
    parser.add_argument(
        "--default-rate",
        choices=sorted(VAT_RATES),
        default="",
        help="VAT rate (percent) for rows that give none",
    )
    parser.add_argument(
        "--excluding-tax",
        action="store_true",
        help="amounts and prices exclude tax where the row does not say (default: include)",
    )
    parser.add_argument(
        "--walk-in",
        metavar="CODE",
        default="",
        help="customer number for rows with no customer or an unknown one (walk-in sales)",
    )
    cli.encoding_argument(parser)


def _history(command: BaseCommand, options: dict[str, Any]) -> None:
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
            _history_report(command, failed)
        raise CommandError(exc.message, returncode=cli.EXIT_ERRORS) from exc
    except DomainError as exc:
        sys.stderr.write("\n")
        raise cli.unusable(exc.message) from exc
    _history_report(command, report)
    if not report.ok:
        raise CommandError(
            _("The file has %(count)s errors; nothing was imported.")
            % {"count": report.error_count},
            returncode=cli.EXIT_ERRORS,
        )


def _history_report(command: BaseCommand, report: HistoryReport) -> None:
    out = command.stdout
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
            _("%(count)s invoices go to the walk-in customer.") % {"count": report.walk_in_count}
        )
    for row in report.totals[:TOTALS_PRINTED]:
        out.write(
            f"  {row['number']}  {row['date']}  {row['customer']}  "
            f"{row['lines']}  {row['net_amount']}  {row['tax_amount']}  {row['gross_amount']}"
        )
    if report.invoice_count > TOTALS_PRINTED:
        out.write(
            _("  … and %(count)s more invoices.") % {"count": report.invoice_count - TOTALS_PRINTED}
        )
    if report.rounding_count:
        out.write(
            _("Rounded to the fen, half up (%(count)s lines):") % {"count": report.rounding_count}
        )
        for note in report.rounding[:TOTALS_PRINTED]:
            out.write(f"  {note}")
    if report.ignored_columns:
        out.write(
            _("Columns ignored: %(columns)s") % {"columns": ", ".join(report.ignored_columns)}
        )
    for error in sorted(report.errors):
        command.stderr.write(str(error))
    if report.error_count > len(report.errors):
        command.stderr.write(
            _("… and %(count)s more errors.") % {"count": report.error_count - len(report.errors)}
        )
    if report.committed:
        out.write(
            _("Imported %(count)s invoices as batch %(batch)s.")
            % {"count": report.invoice_count, "batch": report.batch_number}
        )
    elif report.ok:
        out.write(_("Nothing was imported: this was a dry run; add --commit to import."))


SUBCOMMANDS: dict[
    str,
    tuple[str, Callable[[CommandParser], None], Callable[[BaseCommand, dict[str, Any]], None]],
] = {
    "export-batch": (
        "approved requests into the platform's batch-issue workbook",
        _export_arguments,
        _export,
    ),
    "import-failures": (
        "the platform's failure file: the requests it names become failed",
        _file_argument,
        _failures,
    ),
    "import-issued": (
        "the platform's issued-invoice export (发票查询 › 导出): match and record",
        _commit_arguments,
        _importer(platform_imports.issued_import),
    ),
    "import-xml": (
        "one 数电 XML invoice: match and record",
        _commit_arguments,
        _importer(platform_imports.xml_import),
    ),
    "import-history": (
        "invoices issued elsewhere, one row per invoice line, sorted by number (a dry run "
        "unless --commit; --post also posts them)",
        _history_arguments,
        _history,
    ),
    "expire-red-forms": (
        "red-letter forms not confirmed within 72 hours lapse, as the platform voids them",
        _expire_arguments,
        _expire,
    ),
}


class Command(BaseCommand):
    help = (
        "The tax-platform round trip: export the batch-issue workbook, import the failure "
        "file, the issued-invoice export or a 数电 XML invoice. Exit status: 0 done, 1 the file "
        "has errors (nothing recorded), 2 the file or the options cannot be used."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, (help_text, arguments, _run) in SUBCOMMANDS.items():
            sub = actions.add_parser(name, help=help_text)
            arguments(sub)
            _user_argument(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        SUBCOMMANDS[options["action"]][2](self, options)


__all__ = ["SUBCOMMANDS", "Command"]
