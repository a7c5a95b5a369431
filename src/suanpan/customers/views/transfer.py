"""Customer import (upload → preview → confirm) and export pages.

Between preview and confirm the uploaded file waits in IMPORT_UPLOAD_DIR/<random name> (a private
folder, never served), and only its token (with the file name and default owner) is kept in the
session. Confirming reads
and checks the stored file again before anything is written: nothing from the browser but the
token is trusted, and a customer created by someone else meanwhile is still caught.
"""

from __future__ import annotations

import tempfile
from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from suanpan.core.errors import DomainError
from suanpan.core.spreadsheets import CONTENT_TYPES, FORMATS, sheet_write
from suanpan.core.uploads import PendingUploads, SpreadsheetImportForm, filename_clean
from suanpan.customers import selectors
from suanpan.customers.services import exports, imports
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest
from suanpan.users.models import User

UPLOADS = PendingUploads("customers_import")
PREVIEW_ROWS = 200
PREVIEW_ERRORS = 1000


class ImportForm(SpreadsheetImportForm):
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Default owner"),
        queryset=selectors.owner_choices(),
        required=False,
        help_text=gettext_lazy(
            "Owner of rows whose owner column is empty; yourself if not chosen."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not user.has_perm("customers.view_all_customers"):
            self.fields.pop("owner")  # only managers hand customers to others


def _crumbs(label: str) -> list[tuple[str, str | None]]:
    return [(_("Customers"), reverse("customers:list")), (label, None)]


def _preview(
    request: AuthenticatedHttpRequest,
    report: imports.ImportReport,
    *,
    token: str | None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "report": report,
        "token": token,
        "errors": report.errors[:PREVIEW_ERRORS],
        "errors_hidden": max(0, len(report.errors) - PREVIEW_ERRORS),
        "candidates": report.candidates[:PREVIEW_ROWS],
        "candidates_hidden": max(0, len(report.candidates) - PREVIEW_ROWS),
        "breadcrumbs": _crumbs(_("Import")),
    }
    return render(request, "customers/import_preview.html", context, status=status)


def _form_page(
    request: AuthenticatedHttpRequest, form: ImportForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "form": form,
        "columns": imports.COLUMNS,
        "breadcrumbs": _crumbs(_("Import")),
    }
    return render(request, "customers/import.html", context, status=status)


@page_permission(imports.IMPORT_PERMISSION)
@page_permission("customers.add_customer")  # both: the import creates customers
def customer_import(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """GET: the upload form (or a template file); POST: preview, commit or cancel."""
    if request.method == "POST":
        action = request.POST.get("action", "preview")
        if action == "commit":
            return _import_commit(request)
        if action == "cancel":
            UPLOADS.discard(request)
            messages.info(request, _("Import cancelled; nothing was saved."))
            return redirect("customers:import")
        return _import_preview(request)
    template = request.GET.get("template")
    if template in FORMATS:
        return _template_download(template)
    return _form_page(request, ImportForm(user=request.user))


def _import_preview(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _form_page(request, form, status=422)
    upload = form.cleaned_data["file"]
    owner = form.cleaned_data.get("owner")
    filename = filename_clean(upload.name)
    data = upload.read()
    try:
        report = imports.customers_import_read(
            actor=request.user, data=data, filename=filename, default_owner=owner
        )
    except DomainError as exc:
        form.add_error("file", exc.message)
        return _form_page(request, form, status=422)
    token = None
    if report.ok and report.candidates:
        token = UPLOADS.store(
            request, data=data, filename=filename, owner=owner.pk if owner else None
        )
    return _preview(request, report, token=token, status=200 if report.ok else 422)


def _import_commit(request: AuthenticatedHttpRequest) -> HttpResponse:
    pending = UPLOADS.pending(request)
    if pending is None:
        messages.error(request, _("This import is no longer waiting; upload the file again."))
        return redirect("customers:import")
    data = UPLOADS.path(pending["token"]).read_bytes()
    owner = selectors.owner_get(pk=pending["owner"])
    try:
        report = imports.customers_import_read(
            actor=request.user, data=data, filename=pending["filename"], default_owner=owner
        )
        if not report.ok:
            UPLOADS.discard(request)
            return _preview(request, report, token=None, status=422)
        customers = imports.customers_import_commit(actor=request.user, report=report)
    except imports.CustomerImportInvalid as exc:
        UPLOADS.discard(request)
        if exc.errors:
            report.errors = exc.errors
            return _preview(request, report, token=None, status=409)
        messages.error(request, exc.message)
        return redirect("customers:import")
    except DomainError as exc:
        UPLOADS.discard(request)
        messages.error(request, exc.message)
        return redirect("customers:import")
    UPLOADS.discard(request)
    messages.success(
        request,
        ngettext(
            "Imported %(customers)s customer with %(contacts)s contacts.",
            "Imported %(customers)s customers with %(contacts)s contacts.",
            len(customers),
        )
        % {"customers": len(customers), "contacts": report.contact_count},
    )
    return redirect("customers:list")


def _template_download(fmt: str) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    sheet_write(handle, fmt=fmt, header=exports.customer_export_header(), rows=[])  # type: ignore[arg-type]
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"customers-template.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )


@page_permission(exports.EXPORT_PERMISSION)
def customer_export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The list page's customers, same filters and scope, as xlsx (default) or csv."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("Unknown export format."))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        exports.customers_export(
            user=request.user,
            stream=handle,
            fmt=fmt,
            filters=request.GET,
        )
    except DomainError as exc:
        handle.close()
        messages.error(request, exc.message)
        params = request.GET.copy()
        params.pop("format", None)
        return redirect(f"{reverse('customers:list')}?{params.urlencode()}")
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"customers-{stamp}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )
