"""What `suanpan import` and `suanpan export` can move, one handler per kind (on the
machinery every import and export command shares, core.transfer_cli).

A kind adds its own arguments to its sub-command and runs with the parsed options. Later apps
add their kinds to IMPORT_KINDS / EXPORT_KINDS (or the commands move to the highest app that
knows them all).

Exit status: 0 done; 1 the file has errors and nothing was imported; 2 the command cannot run
(unreadable file, unknown user, missing permission, bad filter).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suanpan.core import transfer_cli as cli
from suanpan.core.errors import DomainError
from suanpan.customers import selectors
from suanpan.customers.choices import CustomerGrade, CustomerKind, CustomerSource, CustomerStatus
from suanpan.customers.filters import SORTS
from suanpan.customers.services import exports, imports


class Kind(Protocol):
    help: str

    def add_arguments(self, parser: CommandParser) -> None: ...

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None: ...


class CustomersImport:
    help = "customers (with contacts) from an .xlsx or .csv file"

    def add_arguments(self, parser: CommandParser) -> None:
        cli.import_arguments(
            parser,
            commit_help="create the customers (all or none); without it the file is only checked",
        )
        parser.add_argument(
            "--owner",
            metavar="USERNAME",
            help="owner of rows whose owner column is empty (default: the acting user)",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="rows whose customer number or credit code exists update that customer "
            "(empty cells keep the current value) instead of being refused as duplicates",
        )
        cli.as_argument(parser)

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None:
        actor = cli.acting_user(options["as_user"])
        update = options["update"]
        owner = cli.active_user(options["owner"], "--owner") if options["owner"] else None
        cli.spreadsheet_import(
            command,
            options,
            actor=actor,
            permission_require=lambda user: imports.import_permission_require(user, update=update),
            validate=lambda sheet, filename, progress: imports.customers_import_validate(
                actor=actor,
                sheet=sheet,
                filename=filename,
                default_owner=owner,
                update=update,
                progress=progress,
            ),
            summary=lambda report: self._summary(report, update=update),
            dry_run=lambda report: (
                _(
                    "Dry run: %(customers)s customers with %(contacts)s contacts would be "
                    "imported. Run again with --commit to import them."
                )
                % {"customers": report.customer_count, "contacts": report.contact_count}
            ),
            commit=lambda report: imports.customers_import_commit(actor=actor, report=report),
            committed=self._committed,
        )

    @staticmethod
    def _summary(report: Any, *, update: bool) -> str:
        lines = [
            _(
                "%(rows)s rows read: %(customers)s customers, %(contacts)s contacts, %(errors)s errors."
            )
            % {
                "rows": report.row_count,
                "customers": report.customer_count,
                "contacts": report.contact_count,
                "errors": len(report.errors),
            }
        ]
        if update:
            lines.append(
                _("%(created)s new customers, %(updated)s to update, %(unchanged)s unchanged.")
                % report.counts()
            )
        return "\n".join(lines)

    @staticmethod
    def _committed(customers: list[Any], report: Any) -> str:
        numbers = f" ({customers[0].number} … {customers[-1].number})" if customers else ""
        return ngettext(
            "Imported %(customers)s customer with %(contacts)s contacts%(numbers)s.",
            "Imported %(customers)s customers with %(contacts)s contacts%(numbers)s.",
            len(customers),
        ) % {"customers": len(customers), "contacts": report.contact_count, "numbers": numbers}


class CustomersExport:
    help = "customers (with contacts) to an .xlsx or .csv file, filtered like the list page"

    def add_arguments(self, parser: CommandParser) -> None:
        cli.export_arguments(parser)
        cli.as_argument(
            parser,
            "act as this user: the file holds what they may see (default: first superuser)",
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
        cli.ordering_argument(filters, SORTS)

    def run(self, command: BaseCommand, options: dict[str, Any]) -> None:
        actor = cli.acting_user(options["as_user"])
        path = Path(options["file"])
        fmt = cli.export_format(path, options["format"])
        filters = self._filters(options)
        try:
            queryset = exports.customers_export_queryset(user=actor, filters=filters)
        except DomainError as exc:
            raise cli.unusable(f"{actor.username}: {exc.message}") from exc
        cli.filters_require_valid(selectors.customer_list(user=actor, filters=filters)[1])
        result = cli.export_write(
            path,
            fmt=fmt,
            total=queryset.count(),
            unit="customers",
            write=lambda stream, progress: exports.customers_export(
                user=actor, stream=stream, fmt=fmt, filters=filters, progress=progress
            ),
        )
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
        filters = cli.filters_from(options, names)
        if options.get("owner"):
            filters["owner"] = str(cli.active_user(options["owner"], "--owner").pk)
        return filters


IMPORT_KINDS: dict[str, Kind] = {"customers": CustomersImport()}
EXPORT_KINDS: dict[str, Kind] = {"customers": CustomersExport()}
