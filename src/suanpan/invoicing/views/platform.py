"""The tax-platform page: the batch-issue workbook out; the failure file, the issued-invoice
export and 数电 XML files in (upload → preview → confirm); and the history of those files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.core.listing import paginate
from suanpan.core.spreadsheets import CONTENT_TYPES
from suanpan.core.uploads import PendingUploads, filename_clean
from suanpan.invoicing.forms.platform import ExportForm, PlatformFileForm, XmlFileForm
from suanpan.invoicing.selectors.platform import batch_list, exportable_requests
from suanpan.invoicing.services import platform_export, platform_imports
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

PAGE_PERMISSION = platform_export.EXPORT_PERMISSION
UPLOADS = {
    "issued": PendingUploads("invoicing_platform_issued"),
    "xml": PendingUploads("invoicing_platform_xml"),
}
IMPORTERS = {"issued": platform_imports.issued_import, "xml": platform_imports.xml_import}
FORMS: dict[str, type[PlatformFileForm]] = {"issued": PlatformFileForm, "xml": XmlFileForm}
SHOWN_ROWS = 500


def _choices(requests: Any) -> list[tuple[int, str]]:
    return [(request.pk, request.number) for request in requests]


def _context(request: AuthenticatedHttpRequest, **extra: Any) -> dict[str, Any]:
    candidates = exportable_requests(user=request.user)
    page = paginate(request, candidates, per_page=50)
    rows = list(page["page_obj"].object_list)
    context = {
        **page,
        "rows": rows,
        "export_form": ExportForm(choices=_choices(rows)),
        "failures_form": PlatformFileForm(prefix="failures"),
        "issued_form": PlatformFileForm(prefix="issued"),
        "xml_form": XmlFileForm(prefix="xml"),
        "batches": batch_list(user=request.user)[:10],
        "subnav": "platform",
    }
    context.update(extra)
    return context


@page_permission(PAGE_PERMISSION)
def platform_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "invoicing/platform/home.html", _context(request))


@require_POST
@page_permission(PAGE_PERMISSION)
def platform_export_view(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Write the chosen requests into the workbook and hand it over as a download."""
    chosen = exportable_requests(user=request.user).filter(
        pk__in=[value for value in request.POST.getlist("request_ids") if value.isdigit()]
    )
    form = ExportForm(request.POST, request.FILES, choices=_choices(chosen))
    if form.is_valid():
        upload = form.cleaned_data.get("template")
        try:
            data, batch = platform_export.batch_export(
                request_ids=form.cleaned_data["request_ids"],
                template=upload.read() if upload else None,
                template_name=filename_clean(upload.name) if upload else "template.xlsx",
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            response = HttpResponse(data, content_type=CONTENT_TYPES["xlsx"])
            response["Content-Disposition"] = f'attachment; filename="{batch.number}.xlsx"'
            return response
    return render(
        request, "invoicing/platform/home.html", _context(request, export_form=form), status=400
    )


@require_POST
@page_permission(PAGE_PERMISSION)
def platform_failures(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    form = PlatformFileForm(request.POST, request.FILES, prefix="failures")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = platform_imports.failures_import(
                data=upload.read(), filename=filename_clean(upload.name), actor=request.user
            )
        except DomainError as exc:
            form.add_error("file", str(exc.message))
        else:
            messages.success(
                request,
                _("%(count)s requests marked failed at the tax platform: %(numbers)s.")
                % {
                    "count": len(result.failed),
                    "numbers": ", ".join(number for number, _reason in result.failed),
                },
            )
            return redirect("invoicing:platform")
    return render(
        request, "invoicing/platform/home.html", _context(request, failures_form=form), status=400
    )


def _preview(request: AuthenticatedHttpRequest, kind: str, report: Any, token: str) -> HttpResponse:
    rows = report.rows
    return render(
        request,
        "invoicing/platform/preview.html",
        {
            "report": report,
            "counts": report.as_dict()["counts"],
            "rows": rows[:SHOWN_ROWS],
            "rows_hidden": max(len(rows) - SHOWN_ROWS, 0),
            "token": token,
            "kind": kind,
            "subnav": "platform",
        },
    )


@require_POST
@page_permission(platform_imports.ISSUE_PERMISSION)
@page_permission(PAGE_PERMISSION)
def platform_import(request: AuthenticatedHttpRequest, kind: str) -> HttpResponseBase:
    """Upload (a dry run shown for confirmation), confirm (record) or cancel."""
    uploads = UPLOADS[kind]
    importer = IMPORTERS[kind]
    action = request.POST.get("action", "preview")
    if action == "cancel":
        uploads.discard(request)
        return redirect("invoicing:platform")
    if action == "commit":
        pending = uploads.pending(request)
        if pending is None:
            messages.error(request, _("The upload has expired; upload the file again."))
            return redirect("invoicing:platform")
        data = uploads.path(pending["token"]).read_bytes()
        try:
            report = importer(
                data=data, filename=pending["filename"], actor=request.user, commit=True
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("invoicing:platform")
        uploads.discard(request)
        messages.success(
            request,
            _("Recorded %(count)s invoices in batch %(batch)s.")
            % {"count": report.recorded, "batch": report.batch.number if report.batch else "—"},
        )
        return redirect("invoicing:platform")
    form = FORMS[kind](request.POST, request.FILES, prefix=kind)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        name = filename_clean(upload.name)
        try:
            report = importer(data=data, filename=name, actor=request.user, commit=False)
        except DomainError as exc:
            form.add_error("file", str(exc.message))
        else:
            token = uploads.store(request, data=data, filename=name)
            return _preview(request, kind, report, token)
    return render(
        request,
        "invoicing/platform/home.html",
        _context(request, **{f"{kind}_form": form}),
        status=400,
    )


@page_permission("invoicing.view_invoicebatch")
def platform_batches(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "invoicing/platform/batches.html",
        {**paginate(request, batch_list(user=request.user)), "subnav": "platform"},
    )
