"""`suanpan catalog import FILE` and `suanpan catalog export FILE`: move products in and out.

Import is a dry run that lists every error unless --commit; a row whose code matches an existing
product updates it. Export writes the product list, filtered like the list page.

Exit status: 0 done; 1 the file has errors and nothing was imported; 2 the command cannot run
(unreadable file, unknown user, missing permission, bad filter).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from suanpan.catalog import selectors
from suanpan.catalog.choices import ProductKind
from suanpan.catalog.filters import SORTS
from suanpan.catalog.models import TaxCategory
from suanpan.catalog.services import exports, imports
from suanpan.core.errors import DomainError
from suanpan.core.spreadsheets import FORMATS, MAX_BYTES, Format, SpreadsheetInvalid, sheet_read
from suanpan.users.models import User

EXIT_ERRORS = 1
EXIT_UNUSABLE = 2


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


def _progress(total: int, unit: str) -> tqdm[Any]:
    # tqdm draws only on a terminal (disable=None), so logs and tests stay clean.
    return tqdm(total=total, unit=unit, disable=None, file=sys.stderr, leave=False)


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
        importing.add_argument("file", help="the .xlsx or .csv file")
        importing.add_argument(
            "--commit",
            action="store_true",
            help="save the products (all or none); without it the file is only checked",
        )
        self._as_argument(importing)

        exporting = actions.add_parser(
            "export", help="products to an .xlsx or .csv file, filtered like the list page"
        )
        exporting.add_argument(
            "file", help="the file to write (.xlsx or .csv); replaced if it exists"
        )
        exporting.add_argument(
            "--format", choices=FORMATS, help="xlsx or csv (default: from the file name)"
        )
        self._as_argument(exporting)
        filters = exporting.add_argument_group("filters (as on the product list page)")
        filters.add_argument("--q", help="search: code, name, pinyin or initials, specification")
        filters.add_argument("--kind", choices=ProductKind.values)
        filters.add_argument("--tax-category", metavar="CODE", help="a tax category's code")
        filters.add_argument("--active", choices=["true", "false"])
        filters.add_argument("--price-min", metavar="YUAN")
        filters.add_argument("--price-max", metavar="YUAN")
        orderings = [name for _field, name in SORTS]
        filters.add_argument(
            "--ordering", choices=[*orderings, *(f"-{name}" for name in orderings)]
        )

    @staticmethod
    def _as_argument(parser: CommandParser) -> None:
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="act as this user, with their permissions (default: the first active superuser)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
        else:
            self._export(options)

    # Import -------------------------------------------------------------------------------------

    def _import(self, options: dict[str, Any]) -> None:
        actor = acting_user(options["as_user"])
        try:
            imports.import_permission_require(actor)
        except DomainError as exc:
            raise _unusable(f"{actor.username}: {exc.message}") from exc
        path = Path(options["file"])
        if not path.is_file():
            raise _unusable(_("No such file: %(path)s") % {"path": path})
        try:
            with path.open("rb") as handle:
                sheet = sheet_read(handle, filename=path.name, max_bytes=MAX_BYTES)
            with _progress(len(sheet.rows), "rows") as bar:
                report = imports.products_import_validate(
                    actor=actor, sheet=sheet, filename=path.name, progress=bar.update
                )
        except SpreadsheetInvalid as exc:
            raise _unusable(f"{path.name}: {exc.message}") from exc
        if report.ignored_columns:
            self.stderr.write(
                _("Ignored columns: %(columns)s") % {"columns": ", ".join(report.ignored_columns)}
            )
        for error in report.errors:
            self.stdout.write(str(error))
        self.stdout.write(
            _(
                "%(rows)s rows read: %(created)s new products, %(updated)s to update, "
                "%(unchanged)s unchanged, %(errors)s errors."
            )
            % {
                "rows": report.row_count,
                "created": report.create_count,
                "updated": report.update_count,
                "unchanged": report.unchanged_count,
                "errors": len(report.errors),
            }
        )
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
            self.stdout.write(_("Dry run: nothing was saved. Run again with --commit to save."))
            return
        try:
            created, updated = imports.products_import_commit(actor=actor, report=report)
        except imports.ProductImportInvalid as exc:
            for error in exc.errors:
                self.stdout.write(str(error))
            raise CommandError(exc.message, returncode=EXIT_ERRORS) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Imported: %(created)s products created, %(updated)s updated.")
                % {"created": created, "updated": updated}
            )
        )

    # Export -------------------------------------------------------------------------------------

    def _export(self, options: dict[str, Any]) -> None:
        actor = acting_user(options["as_user"])
        path = Path(options["file"])
        fmt = self._format(path, options["format"])
        filters = self._filters(options)
        try:
            queryset = exports.products_export_queryset(user=actor, filters=filters)
        except DomainError as exc:
            raise _unusable(f"{actor.username}: {exc.message}") from exc
        _queryset, filterset = selectors.product_list(user=actor, filters=filters)
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
                _progress(queryset.count(), "products") as bar,
            ):
                rows = exports.products_export(
                    user=actor, stream=handle, fmt=fmt, filters=filters, progress=bar.update
                )
            Path(temporary).replace(path)
        except DomainError as exc:
            raise _unusable(exc.message) from exc
        finally:
            with contextlib.suppress(FileNotFoundError):
                Path(temporary).unlink()
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
    def _format(path: Path, chosen: str | None) -> Format:
        if chosen:
            return chosen  # type: ignore[return-value]
        suffix = path.suffix.lower().lstrip(".")
        if suffix in FORMATS:
            return suffix
        raise _unusable(_("Name the file .xlsx or .csv, or choose --format."))

    @staticmethod
    def _filters(options: dict[str, Any]) -> dict[str, Any]:
        names = ("q", "kind", "active", "price_min", "price_max", "ordering")
        filters = {name: options[name] for name in names if options.get(name)}
        code = options.get("tax_category")
        if code:
            category = TaxCategory.objects.filter(code=code).first()
            if category is None:
                raise _unusable(
                    _("--tax-category: there is no tax category with the code %(code)s.")
                    % {"code": code}
                )
            filters["tax_category"] = str(category.pk)
        return filters
