"""The import (upload → preview → confirm) and export pages every spreadsheet import shares.

Between preview and confirm the uploaded file waits as a PendingUploads entry; confirming reads
and checks the stored file again before anything is written: nothing from the browser but the
token is trusted, and a row saved by someone else meanwhile is still caught. An app subclasses
SpreadsheetImportPage with what differs (its form, how it reads and commits a file, its
templates) and routes its import URL to an instance.
"""

from __future__ import annotations

import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.errors import DomainError, ValidationFailed
from suanpan.core.spreadsheets import CONTENT_TYPES, FORMATS, Format, sheet_write
from suanpan.core.uploads import PendingUploads, SpreadsheetImportForm, filename_clean

PREVIEW_ROWS = 200
PREVIEW_ERRORS = 1000


class SpreadsheetImportPage(ABC):
    """One import's page. GET: the upload form, or `?template=xlsx|csv` for an empty file;
    POST: preview (default), commit or cancel."""

    uploads: PendingUploads
    url_name: str  # this page
    done_url_name: str  # where a finished import goes: the list
    upload_template: str
    preview_template: str
    template_filename: str  # the empty file's name, without the format
    invalid_error: type[ValidationFailed]  # the file changed since its preview
    columns: Sequence[Any] = ()
    context: Mapping[str, Any] = {}

    # What differs between imports ------------------------------------------------------------

    def form(
        self, request: HttpRequest, data: Any = None, files: Any = None
    ) -> SpreadsheetImportForm:
        return SpreadsheetImportForm(data, files)

    def options(self, form: SpreadsheetImportForm) -> dict[str, Any]:
        """What the import remembers of the form beside the file (say, a default owner's id)."""
        return {}

    @abstractmethod
    def read(
        self, request: HttpRequest, *, data: bytes, filename: str, options: Mapping[str, Any]
    ) -> Any:
        """Check the file and return its report (with .ok, .errors and the candidates);
        `options["encoding"]` is the CSV encoding the user chose, or None to detect it."""

    def has_work(self, report: Any) -> bool:
        return bool(report.candidates)

    def shown(self, report: Any) -> list[Any]:
        """The candidates the preview lists."""
        return list(report.candidates)

    @abstractmethod
    def commit(self, request: HttpRequest, report: Any) -> str:
        """Save what the report holds; return the success message."""

    @abstractmethod
    def header(self) -> list[str]:
        """The header row of the empty template file."""

    @abstractmethod
    def crumbs(self) -> list[tuple[str, str | None]]:
        """The breadcrumbs above the upload and preview pages."""

    @abstractmethod
    def nothing_message(self) -> str:
        """What the preview says when the file saves nothing."""

    # The page --------------------------------------------------------------------------------

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "POST":
            action = request.POST.get("action", "preview")
            if action == "commit":
                return self._commit(request)
            if action == "cancel":
                self.uploads.discard(request)
                messages.info(request, _("Import cancelled; nothing was saved."))
                return redirect(self.url_name)
            return self._preview(request)
        template = request.GET.get("template")
        if template in FORMATS:
            return self._template_download(template)
        return self._form_page(request, self.form(request))

    def _page_context(self) -> dict[str, Any]:
        return {
            "import_url": reverse(self.url_name),
            "breadcrumbs": self.crumbs(),
            **self.context,
        }

    def _form_page(
        self, request: HttpRequest, form: SpreadsheetImportForm, *, status: int = 200
    ) -> HttpResponse:
        context = {
            "form": form,
            "columns": self.columns,
            "cancel_url": reverse(self.done_url_name),
            **self._page_context(),
        }
        return render(request, self.upload_template, context, status=status)

    def _report_page(
        self, request: HttpRequest, report: Any, *, token: str | None, status: int = 200
    ) -> HttpResponse:
        shown = self.shown(report)
        context = {
            "report": report,
            "token": token,
            "errors": report.errors[:PREVIEW_ERRORS],
            "errors_hidden": max(0, len(report.errors) - PREVIEW_ERRORS),
            "candidates": shown[:PREVIEW_ROWS],
            "candidates_hidden": max(0, len(shown) - PREVIEW_ROWS),
            "nothing_message": self.nothing_message(),
            **self._page_context(),
        }
        return render(request, self.preview_template, context, status=status)

    def _preview(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request, request.POST, request.FILES)
        if not form.is_valid():
            return self._form_page(request, form, status=422)
        upload = form.cleaned_data["file"]
        filename = filename_clean(upload.name)
        data = upload.read()
        # The encoding chosen for a CSV the detector could not place: kept with the upload,
        # so the confirmation reads the file as the preview did.
        options = {"encoding": form.cleaned_data.get("encoding") or None, **self.options(form)}
        try:
            report = self.read(request, data=data, filename=filename, options=options)
        except DomainError as exc:
            form.add_error("file", exc.message)
            return self._form_page(request, form, status=422)
        token = None
        if report.ok and self.has_work(report):
            token = self.uploads.store(request, data=data, filename=filename, **options)
        return self._report_page(request, report, token=token, status=200 if report.ok else 422)

    def _commit(self, request: HttpRequest) -> HttpResponse:
        pending = self.uploads.pending(request)
        if pending is None:
            messages.error(request, _("This import is no longer waiting; upload the file again."))
            return redirect(self.url_name)
        data = self.uploads.path(pending["token"]).read_bytes()
        try:
            report = self.read(request, data=data, filename=pending["filename"], options=pending)
            if not report.ok:
                self.uploads.discard(request)
                return self._report_page(request, report, token=None, status=422)
            success = self.commit(request, report)
        except self.invalid_error as exc:
            self.uploads.discard(request)
            if getattr(exc, "errors", None):
                report.errors = exc.errors  # type: ignore[attr-defined]
                return self._report_page(request, report, token=None, status=409)
            messages.error(request, exc.message)
            return redirect(self.url_name)
        except DomainError as exc:
            self.uploads.discard(request)
            messages.error(request, exc.message)
            return redirect(self.url_name)
        self.uploads.discard(request)
        messages.success(request, success)
        return redirect(self.done_url_name)

    def _template_download(self, fmt: str) -> FileResponse:
        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        sheet_write(handle, fmt=fmt, header=self.header(), rows=[])  # type: ignore[arg-type]
        handle.seek(0)
        return FileResponse(
            handle,
            as_attachment=True,
            filename=f"{self.template_filename}.{fmt}",
            content_type=CONTENT_TYPES[fmt],
        )


def spreadsheet_export_response(
    request: HttpRequest,
    *,
    write: Callable[[IO[bytes], Format], object],
    filename: str,
    refused_url: Callable[[], str],
) -> HttpResponseBase:
    """The list page's rows as a download: `?format=xlsx` (default) or csv. `write` fills the
    file; a refusal (DomainError) goes back to `refused_url()` with its message."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("Unknown export format."))
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        write(handle, fmt)
    except DomainError as exc:
        handle.close()
        messages.error(request, exc.message)
        return redirect(refused_url())
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{stamped(filename)}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )


def stamped(filename: str) -> str:
    """A download's name with the minute it was made, so exports of one day do not clash."""
    return f"{filename}-{timezone.localtime().strftime('%Y%m%d-%H%M')}"


def xlsx_response(
    *, filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> FileResponse:
    """A table as a streamed xlsx download (openpyxl write-only, via core.spreadsheets): rows
    are written as they come, so a report of 200,000 rows holds one at a time."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        sheet_write(handle, fmt="xlsx", header=header, rows=rows, title=title)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=CONTENT_TYPES["xlsx"]
    )
