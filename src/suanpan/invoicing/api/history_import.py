"""/api/v1/invoicing/history-imports: invoices issued elsewhere, from a csv or xlsx file.

POST checks the file at once and answers the dry run's report; with `commit` it queues the
import (check, then write all or nothing) and answers the batch to poll with GET.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from suanpan.core.tax import VAT_RATES
from suanpan.invoicing import tasks
from suanpan.invoicing.choices import BatchStatus
from suanpan.invoicing.errors import HistoryFileInvalid
from suanpan.invoicing.selectors.history_imports import history_batch_get
from suanpan.invoicing.services.history_batches import history_batch_create, history_upload_store
from suanpan.invoicing.services.history_import import history_import_check
from suanpan.invoicing.services.history_rows import HistoryOptions
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["history imports"])
PERMISSION = "invoicing.issue_invoice"


class HistoryImportIn(Schema):
    default_rate: str = Field("", max_length=10)
    price_includes_tax: bool = True
    post: bool = False
    walk_in: str = Field("", max_length=40)
    encoding: str = Field("", max_length=40)
    commit: bool = False


class HistoryBatchOut(Schema):
    id: int
    number: str
    file_name: str
    status: BatchStatus
    progress: int
    report: dict[str, Any]


def _batch_out(batch: Any) -> dict[str, Any]:
    report = {key: value for key, value in batch.report.items() if key != "job"}
    return {
        "id": batch.pk,
        "number": batch.number,
        "file_name": batch.file_name,
        "status": batch.status,
        "progress": batch.progress,
        "report": report,
    }


@router.post(
    "",
    response={200: dict[str, Any], 202: HistoryBatchOut},
    summary="Check a history file (dry run report), or queue its import with commit",
)
@api_permission(PERMISSION)
def history_import_create(
    request: HttpRequest, file: File[UploadedFile], data: Form[HistoryImportIn]
) -> Any:
    actor = request_user(request)
    if data.default_rate and data.default_rate not in VAT_RATES:
        raise HistoryFileInvalid(
            reason=_("the default rate is not a VAT rate"),
            fields={"default_rate": [_("the default rate is not a VAT rate")]},
        )
    options = HistoryOptions(
        default_rate=data.default_rate,
        price_includes_tax=data.price_includes_tax,
        post=data.post,
        walk_in=data.walk_in,
        encoding=data.encoding or None,
    )
    filename = file.name or "history.csv"
    path = history_upload_store(chunks=file.chunks(), filename=filename)
    if not data.commit:
        try:
            report = history_import_check(
                actor=actor, path=path, filename=filename, options=options
            )
        finally:
            path.unlink(missing_ok=True)
        return report.as_dict()
    batch = history_batch_create(
        actor=actor, filename=filename, options=options.as_dict(), path=str(path), commit=True
    )
    tasks.history_import_enqueue(batch.pk)
    batch.refresh_from_db()
    return Status(202, _batch_out(batch))


@router.get("/{int:pk}", response=HistoryBatchOut, summary="A history import's status and report")
@api_permission(PERMISSION)
def history_import_get(request: HttpRequest, pk: int) -> Any:
    return _batch_out(history_batch_get(user=request_user(request), pk=pk))
