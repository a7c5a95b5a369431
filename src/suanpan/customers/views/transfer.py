"""Customer import (upload → preview → confirm) and export pages, on the machinery every
spreadsheet import shares (core.transfer_pages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suanpan.core.spreadsheet_imports import UNCHANGED
from suanpan.core.transfer_pages import SpreadsheetImportPage, spreadsheet_export_response
from suanpan.core.uploads import PendingUploads, SpreadsheetImportForm
from suanpan.customers import selectors
from suanpan.customers.forms import ImportForm
from suanpan.customers.services import exports, imports
from suanpan.customers.views._pages import crumbs
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest


class CustomerImportPage(SpreadsheetImportPage):
    uploads = PendingUploads("customers_import")
    url_name = "customers:import"
    done_url_name = "customers:list"
    upload_template = "customers/transfer/import.html"
    preview_template = "customers/transfer/import_preview.html"
    template_filename = "customers-template"
    invalid_error = imports.CustomerImportInvalid
    columns = imports.COLUMNS

    def form(self, request: HttpRequest, data: Any = None, files: Any = None) -> ImportForm:
        return ImportForm(data, files, user=request.user)  # type: ignore[arg-type]

    def options(self, form: SpreadsheetImportForm) -> dict[str, Any]:
        owner = form.cleaned_data.get("owner")
        return {
            "owner": owner.pk if owner else None,
            "update": bool(form.cleaned_data.get("update")),
        }

    def read(
        self, request: HttpRequest, *, data: bytes, filename: str, options: Mapping[str, Any]
    ) -> imports.ImportReport:
        return imports.customers_import_read(
            actor=request.user,  # type: ignore[arg-type]
            data=data,
            filename=filename,
            encoding=options.get("encoding"),
            default_owner=selectors.owner_get(pk=options.get("owner")),
            update=bool(options.get("update")),
        )

    def has_work(self, report: imports.ImportReport) -> bool:
        return bool(report.create_count or report.update_count)

    def shown(self, report: imports.ImportReport) -> list[Any]:
        return [c for c in report.candidates if c.action != UNCHANGED]

    def commit(self, request: HttpRequest, report: imports.ImportReport) -> str:
        customers = imports.customers_import_commit(actor=request.user, report=report)  # type: ignore[arg-type]
        if report.update:
            return _(
                "Imported: %(created)s customers created, %(updated)s updated, "
                "%(unchanged)s unchanged."
            ) % {
                "created": len(customers),
                "updated": report.update_count,
                "unchanged": report.unchanged_count,
            }
        return ngettext(
            "Imported %(customers)s customer with %(contacts)s contacts.",
            "Imported %(customers)s customers with %(contacts)s contacts.",
            len(customers),
        ) % {"customers": len(customers), "contacts": report.contact_count}

    def header(self) -> list[str]:
        return exports.customer_export_header()

    def crumbs(self) -> list[tuple[str, str | None]]:
        return crumbs((_("Import"), None))

    def nothing_message(self) -> str:
        return _("The file has no customer rows.")


customer_import = page_permission(imports.IMPORT_PERMISSION)(
    page_permission("customers.add_customer")(CustomerImportPage())  # both: it creates customers
)


@page_permission(exports.EXPORT_PERMISSION)
def customer_export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The list page's customers, same filters and scope, as xlsx (default) or csv."""

    def back_to_list() -> str:
        params = request.GET.copy()
        params.pop("format", None)
        return f"{reverse('customers:list')}?{params.urlencode()}"

    return spreadsheet_export_response(
        request,
        write=lambda stream, fmt: exports.customers_export(
            user=request.user, stream=stream, fmt=fmt, filters=request.GET
        ),
        filename="customers",
        refused_url=back_to_list,
    )
