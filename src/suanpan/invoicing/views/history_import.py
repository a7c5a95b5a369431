"""History import pages: upload with the options, then the batch page that polls its progress
(htmx) and shows the dry run's report, with the button that imports a clean file."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.invoicing import tasks
from suanpan.invoicing.choices import BatchStatus
from suanpan.invoicing.forms.history_import import HistoryImportForm
from suanpan.invoicing.selectors.history_imports import history_batch_get, history_batches
from suanpan.invoicing.services.history_batches import history_batch_create, history_upload_store
from suanpan.invoicing.services.history_import import history_import_queue_commit
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

PERMISSION = "invoicing.issue_invoice"
RUNNING = (BatchStatus.QUEUED, BatchStatus.CHECKING, BatchStatus.WRITING)
RECENT = 10


@page_permission(PERMISSION)
def history_import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = HistoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            path = history_upload_store(chunks=upload.chunks(), filename=upload.name)
            batch = history_batch_create(
                actor=request.user,
                filename=upload.name,
                options=form.options(),
                path=str(path),
                commit=request.POST.get("action") == "import",
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            tasks.history_import_enqueue(batch.pk)
            return redirect("invoicing:history_import_detail", pk=batch.pk)
    return render(
        request,
        "invoicing/history_imports/upload.html",
        {"form": form, "recent": history_batches(user=request.user)[:RECENT]},
    )


@page_permission(PERMISSION)
def history_import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = history_batch_get(user=request.user, pk=pk)
    report = batch.report
    job = report.get("job") or {}
    context = {
        "batch": batch,
        "report": report,
        "running": batch.status in RUNNING,
        "can_commit": batch.status == BatchStatus.DONE
        and report.get("ok")
        and not report.get("committed")
        and not job.get("commit"),
        "options": job.get("options") or report.get("options") or {},
    }
    template = "invoicing/history_imports/detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, context)


@require_POST
@page_permission(PERMISSION)
def history_import_commit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = history_batch_get(user=request.user, pk=pk)
    try:
        history_import_queue_commit(actor=request.user, batch=batch)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        tasks.history_import_enqueue(batch.pk)
        messages.success(request, _("Importing %(file)s.") % {"file": batch.file_name})
    return redirect("invoicing:history_import_detail", pk=batch.pk)
