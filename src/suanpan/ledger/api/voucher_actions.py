"""/api/v1/ledger/vouchers: printing as PDF (one voucher, chosen ones, or every one the list's
filters match) and batch review and batch post, all or nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from suanpan.core.errors import ValidationFailed
from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.ledger import selectors, services
from suanpan.ledger.api.vouchers import VoucherFilters, VoucherListOut
from suanpan.ledger.choices import PrintLayout
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["ledger"])

PDF_RESPONSE = {
    "responses": {
        200: {
            "description": "The vouchers as a PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


class LayoutQuery(Schema):
    layout: PrintLayout = Field(
        PrintLayout.A4_TWO,
        description="a4-2: two vouchers to an A4 page; a4-3: three; slip: 241 × 140 mm paper",
    )


class PrintQuery(VoucherFilters):
    ids: list[int] = Field(
        [],
        max_length=selectors.MAX_VOUCHERS,
        description="These vouchers in this order; without ids, every voucher the filters match",
    )


class BatchIn(Schema):
    ids: list[int] = Field(
        min_length=1,
        max_length=selectors.MAX_VOUCHERS,
        description="The vouchers to act on; refusals name them by position (`ids.3`)",
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(False, f"{filename}.pdf") or "inline"
    )
    return response


@router.get(
    "/vouchers/{int:pk}/pdf",
    summary="A voucher printed as PDF (记账凭证)",
    response={200: None},
    openapi_extra=PDF_RESPONSE,
)
@api_permission("ledger.view_voucher")
def voucher_pdf(request: HttpRequest, pk: int, query: Query[LayoutQuery]) -> HttpResponse:
    voucher = selectors.voucher_get(pk=pk)
    return _pdf(
        services.vouchers_pdf(ids=[voucher.pk], layout=query.layout), voucher.display_number
    )


@router.get(
    "/vouchers/pdf",
    summary="Several vouchers printed as one PDF: by id, or every one the filters match",
    response={200: None},
    openapi_extra=PDF_RESPONSE,
)
@api_permission("ledger.view_voucher")
def vouchers_pdf(
    request: HttpRequest, filters: Query[PrintQuery], query: Query[LayoutQuery]
) -> HttpResponse:
    if filters.ids:
        ids = filters.ids
    else:
        params = filter_params(filters)
        params.pop("ids", None)
        vouchers = filtered_rows(selectors.voucher_list(filters=params))
        ids = selectors.voucher_ids_matching(vouchers=vouchers)
    if not ids:
        raise ValidationFailed(fields={"ids": [_("No voucher matches these filters.")]})
    content = services.vouchers_pdf(ids=ids, layout=query.layout)
    return _pdf(content, f"vouchers-{timezone.localdate().isoformat()}")


def _listed(vouchers: list[Any]) -> list[Any]:
    """The vouchers as the list answers them, with their totals."""
    ids = [v.pk for v in vouchers]
    found = {v.pk: v for v in selectors.voucher_list(filters={})[0].filter(pk__in=ids)}
    return [found[pk] for pk in ids]


@router.post(
    "/vouchers/batch-review",
    response=list[VoucherListOut],
    summary="Review several drafts at once, all or none",
    description="Refused whole (409 `voucher_batch_refused`) when any voucher cannot be "
    "reviewed — not a draft, or made by you —; `fields` names each by its place in `ids` with "
    "its number and the reason, and nothing changes.",
)
@api_permission("ledger.review_voucher")
def voucher_review_batch(request: HttpRequest, payload: BatchIn) -> Any:
    return _listed(services.voucher_review_batch(actor=request_user(request), ids=payload.ids))


@router.post(
    "/vouchers/batch-post",
    response=list[VoucherListOut],
    summary="Post several reviewed vouchers at once, all or none",
    description="Refused whole (409 `voucher_batch_refused`) when any voucher cannot be posted "
    "— not reviewed, or its month closed —; `fields` names each by its place in `ids` with its "
    "number and the reason, and nothing changes.",
)
@api_permission("ledger.post_voucher")
def voucher_post_batch(request: HttpRequest, payload: BatchIn) -> Any:
    return _listed(services.voucher_post_batch(actor=request_user(request), ids=payload.ids))
