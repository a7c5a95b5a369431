"""The opportunity import page (upload → preview → confirm), on the machinery every
spreadsheet import shares (core.transfer_pages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from suanpan.core.spreadsheet_imports import UNCHANGED
from suanpan.core.transfer_pages import SpreadsheetImportPage
from suanpan.core.uploads import PendingUploads
from suanpan.sales.services import opportunity_imports as imports
from suanpan.sales.services.opportunity_import_columns import COLUMNS
from suanpan.sales.views.common import sales_crumbs
from suanpan.users.decorators import page_permission


class OpportunityImportPage(SpreadsheetImportPage):
    uploads = PendingUploads("opportunities_import")
    url_name = "sales:opportunity_import"
    done_url_name = "sales:opportunity_list"
    upload_template = "sales/opportunities/import.html"
    preview_template = "sales/opportunities/import_preview.html"
    template_filename = "opportunities-template"
    invalid_error = imports.OpportunityImportInvalid
    columns = COLUMNS
    context = {"subnav": "opportunities"}

    def read(
        self, request: HttpRequest, *, data: bytes, filename: str, options: Mapping[str, Any]
    ) -> imports.ImportReport:
        return imports.opportunities_import_read(
            actor=request.user,  # type: ignore[arg-type]
            data=data,
            filename=filename,
            encoding=options.get("encoding"),
        )

    def has_work(self, report: imports.ImportReport) -> bool:
        return bool(report.create_count or report.update_count)

    def shown(self, report: imports.ImportReport) -> list[Any]:
        return [c for c in report.candidates if c.action != UNCHANGED]

    def commit(self, request: HttpRequest, report: imports.ImportReport) -> str:
        created, updated = imports.opportunities_import_commit(actor=request.user, report=report)  # type: ignore[arg-type]
        return _(
            "Imported: %(created)s opportunities created, %(updated)s updated, "
            "%(unchanged)s unchanged."
        ) % {"created": created, "updated": updated, "unchanged": report.unchanged_count}

    def header(self) -> list[str]:
        return [column.header for column in COLUMNS]

    def crumbs(self) -> list[tuple[str, str | None]]:
        return sales_crumbs(
            (_("Opportunities"), reverse("sales:opportunity_list")), (_("Import"), None)
        )

    def nothing_message(self) -> str:
        return _("The file changes no opportunity.")


opportunity_import = page_permission("sales.add_opportunity")(
    page_permission("sales.change_opportunity")(OpportunityImportPage())
)
