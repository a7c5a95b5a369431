"""`suanpan catalog import FILE` and `suanpan catalog export FILE`: move products in and out.

Import is a dry run that lists every error unless --commit; a row whose code matches an existing
product updates it. Export writes the product list, filtered like the list page.

Exit status: 0 done; 1 the file has errors and nothing was imported; 2 the command cannot run
(unreadable file, unknown user, missing permission, bad filter).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suanpan.catalog import selectors
from suanpan.catalog.choices import ProductKind
from suanpan.catalog.filters import SORTS
from suanpan.catalog.services import exports, imports
from suanpan.core import transfer_cli as cli
from suanpan.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Import products from an xlsx or csv file (a dry run unless --commit), or export them. "
        "Exit status: 0 done, 1 the file has errors (nothing imported), 2 the file or the "
        "options cannot be used."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        importing = actions.add_parser(
            "import",
            help="products from an .xlsx or .csv file; an existing code updates that product",
        )
        cli.import_arguments(
            importing,
            commit_help="save the products (all or none); without it the file is only checked",
        )
        cli.as_argument(importing)

        exporting = actions.add_parser(
            "export", help="products to an .xlsx or .csv file, filtered like the list page"
        )
        cli.export_arguments(exporting)
        cli.as_argument(exporting)
        filters = exporting.add_argument_group("filters (as on the product list page)")
        filters.add_argument("--q", help="search: code, name, pinyin or initials, specification")
        filters.add_argument("--kind", choices=ProductKind.values)
        filters.add_argument("--tax-category", metavar="CODE", help="a tax category's code")
        filters.add_argument("--active", choices=["true", "false"])
        filters.add_argument("--price-min", metavar="YUAN")
        filters.add_argument("--price-max", metavar="YUAN")
        cli.ordering_argument(filters, SORTS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
        else:
            self._export(options)

    # Import -------------------------------------------------------------------------------------

    def _import(self, options: dict[str, Any]) -> None:
        actor = cli.acting_user(options["as_user"])
        cli.spreadsheet_import(
            self,
            options,
            actor=actor,
            permission_require=imports.import_permission_require,
            validate=lambda sheet, filename, progress: imports.products_import_validate(
                actor=actor, sheet=sheet, filename=filename, progress=progress
            ),
            summary=lambda report: (
                _(
                    "%(rows)s rows read: %(created)s new products, %(updated)s to update, "
                    "%(unchanged)s unchanged, %(errors)s errors."
                )
                % report.counts()
            ),
            commit=lambda report: imports.products_import_commit(actor=actor, report=report),
            committed=lambda result, _report: (
                _("Imported: %(created)s products created, %(updated)s updated.")
                % {"created": result[0], "updated": result[1]}
            ),
        )

    # Export -------------------------------------------------------------------------------------

    def _export(self, options: dict[str, Any]) -> None:
        actor = cli.acting_user(options["as_user"])
        path = Path(options["file"])
        fmt = cli.export_format(path, options["format"])
        filters = self._filters(options)
        try:
            queryset = exports.products_export_queryset(user=actor, filters=filters)
        except DomainError as exc:
            raise cli.unusable(f"{actor.username}: {exc.message}") from exc
        cli.filters_require_valid(selectors.product_list(user=actor, filters=filters)[1])
        rows = cli.export_write(
            path,
            fmt=fmt,
            total=queryset.count(),
            unit="products",
            write=lambda stream, progress: exports.products_export(
                user=actor, stream=stream, fmt=fmt, filters=filters, progress=progress
            ),
        )
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Exported %(count)s product to %(path)s.",
                    "Exported %(count)s products to %(path)s.",
                    rows,
                )
                % {"count": rows, "path": path}
            )
        )

    @staticmethod
    def _filters(options: dict[str, Any]) -> dict[str, Any]:
        names = ("q", "kind", "active", "price_min", "price_max", "ordering")
        filters = cli.filters_from(options, names)
        code = options.get("tax_category")
        if code:
            category = selectors.tax_category_by_code(code=code)
            if category is None:
                raise cli.unusable(
                    _("--tax-category: there is no tax category with the code %(code)s.")
                    % {"code": code}
                )
            filters["tax_category"] = str(category.pk)
        return filters
