"""Import invoices issued elsewhere (another system, or before Suanpan) from a line-level csv or
xlsx file: a dry run that checks every row and writes nothing, then an all-or-nothing commit.

The file is streamed, never held: rows are read one by one and grouped by invoice number (the
file is sorted by number; rows of one invoice must stand together), and invoices are checked
and written in chunks of CHUNK, with one query per chunk for customers, products, numbers
already recorded and original invoices. The commit is a second pass over the file, inside one
transaction: Invoice and InvoiceLine rows are bulk-inserted (source HISTORY, batch = the
import's InvoiceBatch), and when posting is chosen each invoice posts one voucher (Dr
receivable / Cr revenue, Cr output VAT; cost 0; due = date + the customer's payment terms)
through `ledger.services.posting_post_batch`, one call per chunk.

Amounts with more places than the fen are rounded per line, half up; the report notes each
(`line 12: 10.005 → 10.01`) and gives per-invoice totals before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from suanpan.core.errors import DomainError
from suanpan.invoicing.choices import (
    BatchStatus,
)
from suanpan.invoicing.errors import HistoryImportInvalid
from suanpan.invoicing.models import Invoice, InvoiceBatch
from suanpan.invoicing.services.history_batches import (
    BatchProgress,
    history_batch_create,
    history_batch_finish,
)
from suanpan.invoicing.services.history_rows import (
    CHUNK,
    COLUMNS,
    PERMISSION,
    HistoryInvoice,
    HistoryLine,
    HistoryOptions,
    HistoryReport,
    _count,
)
from suanpan.invoicing.services.history_scan import _scanner
from suanpan.invoicing.services.history_writer import _Writer, history_invoices_write
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

__all__ = [
    "CHUNK",
    "COLUMNS",
    "HistoryInvoice",
    "HistoryLine",
    "HistoryOptions",
    "HistoryReport",
    "history_import_check",
    "history_import_commit",
    "history_import_run",
    "history_invoices_write",
]

Progress = Callable[[int], object]


def _percent(progress: Progress | None, start: int, span: int) -> Callable[[float], None]:
    last = [-1]

    def report(fraction: float) -> None:
        value = start + int(span * fraction)
        if progress is not None and value != last[0]:
            last[0] = value
            progress(value)

    return report


def history_import_check(
    *,
    actor: User,
    path: str | Path,
    filename: str,
    options: HistoryOptions,
    progress: Progress | None = None,
    _span: tuple[int, int] = (0, 100),
) -> HistoryReport:
    """The dry run: read the whole file, check every row against the database, write nothing.
    A file that cannot be read at all raises HistoryFileInvalid; row errors go in the report."""
    permission_require(actor, PERMISSION)
    report = HistoryReport(filename=filename, options=options)
    scanner = _scanner(
        actor=actor,
        path=path,
        options=options,
        report=report,
        flush=lambda chunk: _count(report, chunk),
        progress=_percent(progress, *_span),
    )
    scanner.run()
    scanner.finish()
    if report.error_count:
        # Figures of a file with errors describe only its good invoices; keep the errors.
        report.errors.sort()
    return report


def history_import_commit(
    *,
    actor: User,
    path: str | Path,
    filename: str,
    options: HistoryOptions,
    batch: InvoiceBatch | None = None,
    progress: Progress | None = None,
) -> HistoryReport:
    """Check the file (a full dry run), then write it: every invoice or none.

    The first pass writes nothing and raises HistoryImportInvalid (with the report on
    `exc.report`) when any row has an error. The second pass runs in one transaction:
    invoices, lines, the batch's counts and, when posting, one voucher per invoice."""
    permission_require(actor, PERMISSION)
    check = history_import_check(
        actor=actor,
        path=path,
        filename=filename,
        options=options,
        progress=progress,
        _span=(0, 50),
    )
    if not check.ok:
        error = HistoryImportInvalid(count=check.error_count)
        error.report = check  # type: ignore[attr-defined]
        raise error
    report = HistoryReport(filename=filename, options=options)
    with transaction.atomic():
        if batch is None:  # inside: a failed import leaves no batch behind
            batch = history_batch_create(actor=actor, filename=filename, options=options.as_dict())
        writer = _Writer(actor=actor, options=options, batch=batch, report=report)
        scanner = _scanner(
            actor=actor,
            path=path,
            options=options,
            report=report,
            flush=writer.write,
            progress=_percent(progress, 50, 50),
        )
        scanner.run()
        scanner.finish()
        if report.error_count:
            error = HistoryImportInvalid(count=report.error_count)
            error.report = report  # type: ignore[attr-defined]
            raise error
        # Credit notes whose original stands in the same file.
        reds = [(writer.created[red], writer.created[ref]) for red, ref in scanner.in_file.items()]
        for start in range(0, len(reds), CHUNK):
            part = reds[start : start + CHUNK]
            rows = Invoice.objects.in_bulk([red for red, _ref in part])
            for red, ref in part:
                rows[red].original_id = ref
            Invoice.objects.bulk_update(list(rows.values()), ["original"])
        report.rounding, report.rounding_count = check.rounding, check.rounding_count
        report.committed = True
        report.batch_number = batch.number
        batch.row_count = report.row_count
        batch.matched_count = report.invoice_count
        batch.failed_count = 0
        batch.status = BatchStatus.DONE
        batch.progress = 100
        batch.report = report.as_dict()
        batch.save()
    return report


def history_import_run(*, batch_id: int) -> HistoryReport | None:
    """The background job: check (or check and commit) the file a queued batch names, with
    progress and the report on the batch row. Safe to retry: a batch done is left alone, and a
    commit is one transaction, so a job stopped half-way wrote nothing."""
    batch = InvoiceBatch.objects.select_related("created_by").get(pk=batch_id)
    job = dict(batch.report.get("job") or {})
    if batch.status == BatchStatus.DONE and not job.get("pending"):
        return None
    path = Path(job.get("path", ""))
    options = HistoryOptions.from_dict(job.get("options", {}))
    commit = bool(job.get("commit"))
    filename = batch.file_name
    progress = BatchProgress(batch_id)

    def tick(percent: int) -> None:
        progress(percent, BatchStatus.WRITING if commit and percent >= 50 else BatchStatus.CHECKING)

    report: HistoryReport | None = None
    try:
        if commit:
            report = history_import_commit(
                actor=batch.created_by,
                path=path,
                filename=filename,
                options=options,
                batch=batch,
                progress=tick,
            )
        else:
            report = history_import_check(
                actor=batch.created_by, path=path, filename=filename, options=options, progress=tick
            )
            kept = {**job, "pending": False}
            history_batch_finish(
                batch_id=batch_id,
                status=BatchStatus.DONE,
                report={**report.as_dict(), "job": kept},
                row_count=report.row_count,
            )
    except HistoryImportInvalid as exc:
        report = getattr(exc, "report", None)
        data = report.as_dict() if report is not None else {"error_count": 1}
        history_batch_finish(
            batch_id=batch_id,
            status=BatchStatus.FAILED,
            report={**data, "message": exc.message},
            row_count=report.row_count if report is not None else 0,
        )
    except DomainError as exc:
        history_batch_finish(
            batch_id=batch_id,
            status=BatchStatus.FAILED,
            report={"message": exc.message, "error_count": 1, "errors": [], "ok": False},
        )
    finally:
        progress.close()
        if commit or report is None or not report.ok:
            path.unlink(missing_ok=True)
    return report


def history_import_queue_commit(*, actor: User, batch: InvoiceBatch) -> InvoiceBatch:
    """After a clean dry run on the page: queue the same file for import."""
    permission_require(actor, PERMISSION)
    job = dict(batch.report.get("job") or {})
    if (
        batch.status != BatchStatus.DONE
        or not batch.report.get("ok")
        or not job
        or job.get("commit")
    ):
        raise HistoryImportInvalid(
            _("This batch cannot be imported: check the file again."), count=0
        )
    batch.report = {**batch.report, "job": {**job, "commit": True, "pending": True}}
    batch.status = BatchStatus.QUEUED
    batch.progress = 0
    batch.save(update_fields=["report", "status", "progress"])
    return batch
