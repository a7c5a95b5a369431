"""/api/v1/invoicing/platform: the tax-platform round trip, with the services the page uses.

POST export (request ids, optional template upload) answers the xlsx workbook; POST failures,
issued and xml take the platform's files (multipart) and answer a report, recording only with
`commit=true`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile

from suanpan.core.spreadsheets import CONTENT_TYPES, MAX_BYTES
from suanpan.invoicing.calculations.lines import MAX_FILE_LINES
from suanpan.invoicing.errors import PlatformFileInvalid
from suanpan.invoicing.selectors.platform import batch_list
from suanpan.invoicing.services import platform_export, platform_files, platform_imports
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["tax platform"])


class BatchOut(Schema):
    id: int
    number: str
    kind: str
    file_name: str
    row_count: int
    matched_count: int
    failed_count: int
    notes: str
    created_at: datetime


class FailureOut(Schema):
    number: str
    reason: str


class FailuresOut(Schema):
    batch: str | None
    failed: list[FailureOut]


class ReportRowOut(Schema):
    row: int
    number: str
    issued_on: date | None
    buyer_tax_number: str
    gross: str | None = Field(None, description="价税合计 as issued, in yuan.")
    status: str = Field(description="matched, unmatched, recorded, red or invalid.")
    request: str | None = Field(None, description="The matched request's number.")
    matched_by: str | None = Field(None, description="remarks or buyer.")
    differences: list[str]
    message: str


class ReportCountsOut(Schema):
    matched: int
    unmatched: int
    recorded: int
    red: int
    invalid: int


class ReportOut(Schema):
    filename: str
    batch: str | None = Field(None, description="The batch the commit recorded, if any.")
    recorded: int
    counts: ReportCountsOut
    rows: list[ReportRowOut]


def _read(upload: UploadedFile, *, limit: int = MAX_BYTES) -> tuple[bytes, str]:
    name = (upload.name or "upload").rsplit("/", 1)[-1][:200]
    if upload.size is not None and upload.size > limit:
        raise PlatformFileInvalid(
            file=name,
            reason=_("it is larger than %(limit)s MB.") % {"limit": limit // (1024 * 1024)},
        )
    return upload.read(), name


@router.get("/batches", response=list[BatchOut], summary="Files exchanged with the tax platform")
@api_permission("invoicing.view_invoicebatch")
def batches(request: HttpRequest) -> Any:
    return list(batch_list(user=request_user(request))[:100])


@router.post(
    "/export",
    summary="Approved requests into the batch-issue workbook (xlsx)",
    description=(
        "Multipart: `request_ids` (repeat for each request) and optionally `template`, the "
        "batch-issue template downloaded from the platform. Answers the workbook; the requests "
        "become exported in a new batch (its number in the X-Batch header)."
    ),
    openapi_extra={
        "responses": {
            200: {
                "description": "The workbook.",
                "content": {
                    CONTENT_TYPES["xlsx"]: {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
@api_permission(platform_export.EXPORT_PERMISSION)
def export(
    request: HttpRequest,
    request_ids: list[int] = Form(..., max_length=MAX_FILE_LINES),  # noqa: B008 (ninja declares form fields so)
    template: UploadedFile | None = File(None),  # noqa: B008 (ninja declares uploads so)
) -> HttpResponse:
    data = name = None
    if template is not None:
        data, name = _read(template)
    workbook, batch = platform_export.batch_export(
        request_ids=request_ids,
        template=data,
        template_name=name or "template.xlsx",
        actor=request_user(request),
    )
    response = HttpResponse(workbook, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{batch.number}.xlsx"'
    response["X-Batch"] = batch.number
    return response


@router.post("/failures", response=FailuresOut, summary="Import the platform's failure file")
@api_permission(platform_imports.IMPORT_PERMISSION)
def failures(request: HttpRequest, file: File[UploadedFile]) -> Any:
    data, name = _read(file)
    result = platform_imports.failures_import(data=data, filename=name, actor=request_user(request))
    return {
        "batch": result.batch.number if result.batch else None,
        "failed": [{"number": number, "reason": reason} for number, reason in result.failed],
    }


@router.post(
    "/issued",
    response=ReportOut,
    summary="Import the platform's issued-invoice export (a dry run unless commit)",
)
@api_permission(platform_imports.ISSUE_PERMISSION)
def issued(request: HttpRequest, file: File[UploadedFile], commit: Form[bool] = False) -> Any:
    data, name = _read(file)
    report = platform_imports.issued_import(
        data=data, filename=name, actor=request_user(request), commit=commit
    )
    return report.as_dict()


@router.post(
    "/xml", response=ReportOut, summary="Import one 数电 XML invoice (a dry run unless commit)"
)
@api_permission(platform_imports.ISSUE_PERMISSION)
def xml(request: HttpRequest, file: File[UploadedFile], commit: Form[bool] = False) -> Any:
    data, name = _read(file, limit=platform_files.MAX_XML_BYTES)
    report = platform_imports.xml_import(
        data=data, filename=name, actor=request_user(request), commit=commit
    )
    return report.as_dict()
