"""Product import (upload → preview → confirm) and export pages.

Between preview and confirm the uploaded file waits in IMPORT_UPLOAD_DIR/<random name> (a
private folder, never served), and only its token and file name are kept in the session.
Confirming reads and checks the stored file again before anything is written: nothing from the
browser but the token is trusted.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.catalog.services import exports, imports
from suanpan.core.errors import DomainError
from suanpan.core.spreadsheets import CONTENT_TYPES, FORMATS, sheet_write
from suanpan.core.uploads import PendingUploads, SpreadsheetImportForm, filename_clean
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

UPLOADS = PendingUploads("catalog_import")
PREVIEW_ROWS = 200
PREVIEW_ERRORS = 1000


ImportForm = SpreadsheetImportForm


def _crumbs(label: str) -> list[tuple[str, str | None]]:
    return [(_("Products"), reverse("catalog:product_list")), (label, None)]


def _preview(
    request: AuthenticatedHttpRequest,
    report: imports.ImportReport,
    *,
    token: str | None,
    status: int = 200,
) -> HttpResponse:
    shown = [c for c in report.candidates if c.action != imports.UNCHANGED]
    context = {
        "report": report,
        "token": token,
        "errors": report.errors[:PREVIEW_ERRORS],
        "errors_hidden": max(0, len(report.errors) - PREVIEW_ERRORS),
        "candidates": shown[:PREVIEW_ROWS],
        "candidates_hidden": max(0, len(shown) - PREVIEW_ROWS),
        "breadcrumbs": _crumbs(_("Import")),
        "subnav": "products",
    }
    return render(request, "catalog/import_preview.html", context, status=status)


def _form_page(
    request: AuthenticatedHttpRequest, form: ImportForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "columns": imports.COLUMNS,
        "breadcrumbs": _crumbs(_("Import")),
        "subnav": "products",
    }
    return render(request, "catalog/import.html", context, status=status)


@page_permission(imports.IMPORT_PERMISSION)  # and both writes an import may make:
@page_permission("catalog.add_product")
@page_permission("catalog.change_product")
def product_import(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """GET: the upload form (or a template file); POST: preview, commit or cancel."""
    if request.method == "POST":
        action = request.POST.get("action", "preview")
        if action == "commit":
            return _import_commit(request)
        if action == "cancel":
            UPLOADS.discard(request)
            messages.info(request, _("Import cancelled; nothing was saved."))
            return redirect("catalog:product_import")
        return _import_preview(request)
    template = request.GET.get("template")
    if template in FORMATS:
        return _template_download(template)
    return _form_page(request, ImportForm())


def _import_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, form, status=422)
    upload = form.cleaned_data["file"]
    filename = filename_clean(upload.name)
    data = upload.read()
    try:
        report = imports.products_import_read(actor=request.user, data=data, filename=filename)
    except DomainError as exc:
        form.add_error("file", exc.message)
        return _form_page(request, form, status=422)
    token = None
    if report.ok and (report.create_count or report.update_count):
        token = UPLOADS.store(request, data=data, filename=filename)
    return _preview(request, report, token=token, status=200 if report.ok else 422)


def _import_commit(request: AuthenticatedHttpRequest) -> HttpResponse:
    pending = UPLOADS.pending(request)
    if pending is None:
        messages.error(request, _("This import is no longer waiting; upload the file again."))
        return redirect("catalog:product_import")
    data = UPLOADS.path(pending["token"]).read_bytes()
    try:
        report = imports.products_import_read(
            actor=request.user, data=data, filename=pending["filename"]
        )
        if not report.ok:
            UPLOADS.discard(request)
            return _preview(request, report, token=None, status=422)
        created, updated = imports.products_import_commit(actor=request.user, report=report)
    except imports.ProductImportInvalid as exc:
        UPLOADS.discard(request)
        if exc.errors:
            report.errors = exc.errors
            return _preview(request, report, token=None, status=409)
        messages.error(request, exc.message)
        return redirect("catalog:product_import")
    except DomainError as exc:
        UPLOADS.discard(request)
        messages.error(request, exc.message)
        return redirect("catalog:product_import")
    UPLOADS.discard(request)
    messages.success(
        request,
        _("Imported: %(created)s products created, %(updated)s updated.")
        % {"created": created, "updated": updated},
    )
    return redirect("catalog:product_list")


def _template_download(fmt: str) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    sheet_write(handle, fmt=fmt, header=exports.product_export_header(), rows=[])  # type: ignore[arg-type]
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"products-template.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )


@page_permission(exports.EXPORT_PERMISSION)
def product_export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The list page's products, same filters, as xlsx (default) or csv."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("Unknown export format."))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        exports.products_export(user=request.user, stream=handle, fmt=fmt, filters=request.GET)
    except DomainError as exc:
        handle.close()
        messages.error(request, exc.message)
        return redirect("catalog:product_list")
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"products-{stamp}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )
