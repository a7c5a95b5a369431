"""The InvoiceBatch row a history import run in the background reports on: created queued with
the stored file and the options, then its status and progress as the job moves.

Progress is written while the commit's own transaction is open; on PostgreSQL it goes through
a second connection (autocommit), so the page polling the batch sees it move. Elsewhere (SQLite,
where a second writer would wait for the first) only the progress outside that transaction
shows, and the row is brought up to date when the transaction commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from suanpan.core.numbering import number_next
from suanpan.invoicing.choices import BatchKind, BatchStatus
from suanpan.invoicing.models import InvoiceBatch
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

PERMISSION = "invoicing.issue_invoice"
SUFFIXES = (".csv", ".xlsx")


def history_upload_store(*, chunks: Iterable[bytes], filename: str) -> Path:
    """Keep an uploaded file in the private import folder until its job has run."""
    suffix = Path(filename).suffix.lower()
    folder = Path(settings.IMPORT_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"history-{uuid.uuid4().hex}{suffix if suffix in SUFFIXES else ''}"
    with path.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    return path


def history_batch_create(
    *,
    actor: User,
    filename: str,
    options: dict[str, Any],
    path: str = "",
    commit: bool = True,
) -> InvoiceBatch:
    """The batch a history import reports on, queued, numbered PC-YYYYMM-NNNN. What the job
    needs (the stored file, the options, check or commit) waits in its report until it runs."""
    permission_require(actor, PERMISSION)
    with transaction.atomic():
        return InvoiceBatch.objects.create(
            number=number_next(series="PC", period=timezone.localdate().strftime("%Y%m")),
            kind=BatchKind.HISTORY,
            file_name=filename[:255],
            created_by=actor,
            status=BatchStatus.QUEUED,
            progress=0,
            report={"job": {"options": options, "path": path, "commit": commit, "pending": True}},
        )


class BatchProgress:
    """Writes a batch's status and progress where other sessions see them."""

    def __init__(self, batch_id: int) -> None:
        self.batch_id = batch_id
        self._other: Any = None

    def __call__(self, percent: int, status: str | None = None) -> None:
        values: dict[str, Any] = {"progress": max(0, min(percent, 100))}
        if status is not None:
            values["status"] = status
        if not transaction.get_connection().in_atomic_block:
            InvoiceBatch.objects.filter(pk=self.batch_id).update(**values)
            return
        if connection.vendor != "postgresql":
            return
        if self._other is None:
            self._other = connections.create_connection("default")
        sets = ", ".join(f"{name} = %s" for name in values)
        with self._other.cursor() as cursor:
            cursor.execute(
                f"UPDATE invoicing_invoicebatch SET {sets} WHERE id = %s",  # noqa: S608 - names are ours
                [*values.values(), self.batch_id],
            )

    def close(self) -> None:
        if self._other is not None:
            self._other.close()
            self._other = None


def history_batch_finish(
    *, batch_id: int, status: str, report: dict[str, Any], row_count: int = 0
) -> None:
    """A batch's outcome: done (checked or imported) or failed, with its report."""
    InvoiceBatch.objects.filter(pk=batch_id).update(
        status=status,
        progress=100,
        report=report,
        row_count=row_count,
        failed_count=report.get("error_count", 0),
    )
