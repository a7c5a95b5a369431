"""What `suanpan import` and `suanpan export` can move, one handler per kind.

A kind adds its own arguments to its sub-command and runs with the parsed options. Later apps
add their kinds to IMPORT_KINDS / EXPORT_KINDS (or the commands move to the highest app that
knows them all).

Exit status: 0 done; 1 the file has errors and nothing was imported; 2 the command cannot run
(unreadable file, unknown user, missing permission, bad filter).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Protocol

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from suanpan.core.errors import DomainError
from suanpan.core.spreadsheets import FORMATS, MAX_BYTES, Format, SpreadsheetInvalid, sheet_read
from suanpan.customers import selectors
from suanpan.customers.choices import CustomerGrade, CustomerKind, CustomerSource, CustomerStatus
from suanpan.customers.filters import SORTS
from suanpan.customers.services import exports, imports
from suanpan.users.models import User

EXIT_ERRORS = 1
EXIT_UNUSABLE = 2


class Kind(Protocol):
    help: str

    def add_arguments(self, parser: CommandParser) -> None: ...

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None: ...


def _unusable(message: str) -> CommandError:
    return CommandError(message, returncode=EXIT_UNUSABLE)


def acting_user(username: str | None) -> User:
    """The user a command acts as: --as USERNAME, else the first active superuser."""
    if username:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise _unusable(_("There is no user “%(name)s”.") % {"name": username})
        if not user.is_active:
            raise _unusable(_("The user “%(name)s” is deactivated.") % {"name": username})
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise _unusable(_("There is no active superuser to act as; name a user with --as."))
    return user


def _active_user(username: str, option: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise _unusable(
            _("%(option)s: there is no active user “%(name)s”.")
            % {"option": option, "name": username}
        )
    return user


def _progress(total: int, unit: str) -> tqdm[Any]:
    # tqdm draws only on a terminal (disable=None), so logs and tests stay clean.
    return tqdm(total=total, unit=unit, disable=None, file=sys.stderr, leave=False)


class CustomersImport:
    help = "customers (with contacts) from an .xlsx or .csv file"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument(
            "--commit",
            action="store_true",
            help="create the customers (all or none); without it the file is only checked",
        )
        parser.add_argument(
            "--owner",
            metavar="USERNAME",
            help="owner of rows whose owner column is empty (default: the acting user)",
        )
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="act as this user, with their permissions (default: the first active superuser)",
        )

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None:
        actor = acting_user(options["as_user"])
        try:
            imports.import_permission_require(actor)
        except DomainError as exc:
            raise _unusable(f"{actor.username}: {exc.message}") from exc
        owner = _active_user(options["owner"], "--owner") if options["owner"] else None
        path = Path(options["file"])
        if not path.is_file():
            raise _unusable(_("No such file: %(path)s") % {"path": path})
        try:
            with path.open("rb") as handle:
                sheet = sheet_read(handle, filename=path.name, max_bytes=MAX_BYTES)
        except SpreadsheetInvalid as exc:
            raise _unusable(f"{path.name}: {exc.message}") from exc
        try:
            with _progress(len(sheet.rows), "rows") as bar:
                report = imports.customers_import_validate(
                    actor=actor,
                    sheet=sheet,
                    filename=path.name,
                    default_owner=owner,
                    progress=bar.update,
                )
        except SpreadsheetInvalid as exc:
            raise _unusable(f"{path.name}: {exc.message}") from exc
        self._report(command, report)
        if not report.ok:
            raise CommandError(
                ngettext(
                    "%(count)s error; nothing was imported.",
                    "%(count)s errors; nothing was imported.",
                    len(report.errors),
                )
                % {"count": len(report.errors)},
                returncode=EXIT_ERRORS,
            )
        if not options["commit"]:
            command.stdout.write(
                _(
                    "Dry run: %(customers)s customers with %(contacts)s contacts would be "
                    "imported. Run again with --commit to import them."
                )
                % {"customers": report.customer_count, "contacts": report.contact_count}
            )
            return
        try:
            customers = imports.customers_import_commit(actor=actor, report=report)
        except imports.CustomerImportInvalid as exc:
            for error in exc.errors:
                command.stdout.write(str(error))
            raise CommandError(exc.message, returncode=EXIT_ERRORS) from exc
        numbers = f" ({customers[0].number} … {customers[-1].number})" if customers else ""
        command.stdout.write(
            command.style.SUCCESS(
                ngettext(
                    "Imported %(customers)s customer with %(contacts)s contacts%(numbers)s.",
                    "Imported %(customers)s customers with %(contacts)s contacts%(numbers)s.",
                    len(customers),
                )
                % {
                    "customers": len(customers),
                    "contacts": report.contact_count,
                    "numbers": numbers,
                }
            )
        )

    @staticmethod
    def _report(command: BaseCommand, report: imports.ImportReport) -> None:
        if report.ignored_columns:
            command.stderr.write(
                _("Ignored columns: %(columns)s") % {"columns": ", ".join(report.ignored_columns)}
            )
        for error in report.errors:
            command.stdout.write(str(error))
        command.stdout.write(
            _(
                "%(rows)s rows read: %(customers)s customers, %(contacts)s contacts, %(errors)s errors."
            )
            % {
                "rows": report.row_count,
                "customers": report.customer_count,
                "contacts": report.contact_count,
                "errors": len(report.errors),
            }
        )


class CustomersExport:
    help = "customers (with contacts) to an .xlsx or .csv file, filtered like the list page"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the file to write (.xlsx or .csv); replaced if it exists")
        parser.add_argument(
            "--format", choices=FORMATS, help="xlsx or csv (default: from the file name)"
        )
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="act as this user: the file holds what they may see (default: first superuser)",
        )
        filters = parser.add_argument_group("filters (as on the customer list page)")
        filters.add_argument("--q", help="search: name, pinyin, initials, credit code, phone …")
        filters.add_argument("--status", choices=CustomerStatus.values)
        filters.add_argument("--kind", choices=CustomerKind.values)
        filters.add_argument("--grade", choices=CustomerGrade.values)
        filters.add_argument("--source", choices=CustomerSource.values)
        filters.add_argument("--owner", metavar="USERNAME")
        filters.add_argument("--region")
        filters.add_argument("--industry")
        filters.add_argument("--tag")
        filters.add_argument("--created-after", metavar="YYYY-MM-DD")
        filters.add_argument("--created-before", metavar="YYYY-MM-DD")
        orderings = [name for _field, name in SORTS]
        filters.add_argument(
            "--ordering", choices=[*orderings, *(f"-{name}" for name in orderings)]
        )

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None:
        actor = acting_user(options["as_user"])
        path = Path(options["file"])
        fmt = self._format(path, options["format"])
        filters = self._filters(options)
        try:
            queryset = exports.customers_export_queryset(user=actor, filters=filters)
        except DomainError as exc:
            raise _unusable(f"{actor.username}: {exc.message}") from exc
        _queryset, filterset = selectors.customer_list(user=actor, filters=filters)
        if not filterset.is_valid():
            problems = "; ".join(
                f"--{name.replace('_', '-')}: {' '.join(messages)}"
                for name, messages in filterset.errors.items()
            )
            raise _unusable(problems)
        if not path.parent.is_dir():
            raise _unusable(_("No such folder: %(path)s") % {"path": path.parent})
        # Write next to the target and rename, so a failed export leaves no half-written file.
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=f".{fmt}.part")
        try:
            with (
                os.fdopen(descriptor, "wb") as handle,
                _progress(queryset.count(), "customers") as bar,
            ):
                result = exports.customers_export(
                    user=actor, stream=handle, fmt=fmt, filters=filters, progress=bar.update
                )
            Path(temporary).replace(path)
        except DomainError as exc:
            raise _unusable(exc.message) from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                Path(temporary).unlink()
        command.stdout.write(
            command.style.SUCCESS(
                ngettext(
                    "Exported %(customers)s customer (%(rows)s rows) to %(path)s.",
                    "Exported %(customers)s customers (%(rows)s rows) to %(path)s.",
                    result.customers,
                )
                % {"customers": result.customers, "rows": result.rows, "path": path}
            )
        )

    @staticmethod
    def _format(path: Path, chosen: str | None) -> Format:
        if chosen:
            return chosen  # type: ignore[return-value]
        suffix = path.suffix.lower().lstrip(".")
        if suffix in FORMATS:
            return suffix
        raise _unusable(_("Name the file .xlsx or .csv, or choose --format."))

    @staticmethod
    def _filters(options: dict[str, Any]) -> dict[str, Any]:
        names = (
            "q",
            "status",
            "kind",
            "grade",
            "source",
            "region",
            "industry",
            "tag",
            "created_after",
            "created_before",
            "ordering",
        )
        filters = {name: options[name] for name in names if options.get(name)}
        if options.get("owner"):
            filters["owner"] = str(_active_user(options["owner"], "--owner").pk)
        return filters


IMPORT_KINDS: dict[str, Kind] = {"customers": CustomersImport()}
EXPORT_KINDS: dict[str, Kind] = {"customers": CustomersExport()}
