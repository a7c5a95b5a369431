"""Product import (upload → preview → confirm) and export pages, on the machinery every
spreadsheet import shares (core.transfer_pages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

from suanpan.catalog.services import exports, imports
from suanpan.catalog.views.products import crumbs
from suanpan.core.transfer_pages import SpreadsheetImportPage, spreadsheet_export_response
from suanpan.core.uploads import PendingUploads
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest


class ProductImportPage(SpreadsheetImportPage):
    uploads = PendingUploads("catalog_import")
    url_name = "catalog:product_import"
    done_url_name = "catalog:product_list"
    upload_template = "catalog/transfer/import.html"
    preview_template = "catalog/transfer/import_preview.html"
    template_filename = "products-template"
    invalid_error = imports.ProductImportInvalid
    columns = imports.COLUMNS
    context = {"subnav": "products"}

    def read(
        self, request: HttpRequest, *, data: bytes, filename: str, options: Mapping[str, Any]
    ) -> imports.ImportReport:
        return imports.products_import_read(
            actor=request.user,  # type: ignore[arg-type]
            data=data,
            filename=filename,
            encoding=options.get("encoding"),
        )

    def has_work(self, report: imports.ImportReport) -> bool:
        return bool(report.create_count or report.update_count)

    def shown(self, report: imports.ImportReport) -> list[Any]:
        return [c for c in report.candidates if c.action != imports.UNCHANGED]

    def commit(self, request: HttpRequest, report: imports.ImportReport) -> str:
        created, updated = imports.products_import_commit(actor=request.user, report=report)  # type: ignore[arg-type]
        return _("Imported: %(created)s products created, %(updated)s updated.") % {
            "created": created,
            "updated": updated,
        }

    def header(self) -> list[str]:
        return exports.product_export_header()

    def crumbs(self) -> list[tuple[str, str | None]]:
        return crumbs((_("Import"), None))

    def nothing_message(self) -> str:
        return _("The file changes no product.")


# The import needs all three: it may create and change products.
product_import = page_permission(imports.IMPORT_PERMISSION)(
    page_permission("catalog.add_product")(
        page_permission("catalog.change_product")(ProductImportPage())
    )
)


@page_permission(exports.EXPORT_PERMISSION)
def product_export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The list page's products, same filters, as xlsx (default) or csv."""
    return spreadsheet_export_response(
        request,
        write=lambda stream, fmt: exports.products_export(
            user=request.user, stream=stream, fmt=fmt, filters=request.GET
        ),
        filename="products",
        refused_url=lambda: reverse("catalog:product_list"),
    )
