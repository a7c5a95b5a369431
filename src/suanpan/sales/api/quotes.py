"""/api/v1/quotes: the same services, selectors and visibility rules as the quote pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.catalog.types import MAX_PRICE
from suanpan.core.errors import ValidationFailed
from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import MAX_QUANTITY, PatchSchema, query_field, text_field
from suanpan.core.listing import PageNumbers
from suanpan.customers.selectors import customer_get
from suanpan.sales.api.common import CustomerOwnerNames, LineInSchema, PricedLineOut
from suanpan.sales.choices import QuoteStatus
from suanpan.sales.models import Opportunity, Quote
from suanpan.sales.selectors import quotes as selectors
from suanpan.sales.selectors.common import visible_by_id
from suanpan.sales.selectors.opportunities import opportunity_visible
from suanpan.sales.services import quotes as services
from suanpan.sales.services.quote_pdf import quote_pdf_render
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["quotes"])


class QuoteLineIn(LineInSchema):
    product_id: int = Field(ge=1)
    quantity: Decimal = Field(gt=0, le=MAX_QUANTITY, decimal_places=4)
    unit_price: Decimal | None = Field(
        None,
        ge=0,
        le=MAX_PRICE,
        decimal_places=6,
        description="In the quote's tax basis; omit for the product's list price.",
    )


class QuoteListOut(CustomerOwnerNames):
    id: int
    number: str
    customer_id: int
    customer: str
    opportunity_id: int | None
    status: QuoteStatus
    is_expired: bool
    quoted_on: date
    valid_until: date
    owner_id: int
    owner: str
    price_includes_tax: bool
    net_amount: Decimal
    tax_amount: Decimal
    gross_amount: Decimal
    created_at: datetime


class QuoteOut(QuoteListOut):
    contact_name: str
    terms: str
    notes: str
    updated_at: datetime
    lines: list[PricedLineOut]
    contract_ids: list[int]
    order_ids: list[int]

    @staticmethod
    def resolve_lines(obj: Quote) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_contract_ids(obj: Quote) -> list[int]:
        return list(obj.contracts.values_list("pk", flat=True))

    @staticmethod
    def resolve_order_ids(obj: Quote) -> list[int]:
        return list(obj.orders.values_list("pk", flat=True))


class QuoteIn(Schema):
    customer_id: int
    opportunity_id: int | None = None
    quoted_on: date | None = Field(None, description="Today when omitted.")
    valid_until: date | None = Field(None, description="30 days after the quote date when omitted.")
    price_includes_tax: bool = True
    contact_name: str = Field("", max_length=100)
    terms: str = text_field()
    notes: str = text_field()
    lines: list[QuoteLineIn] = Field(min_length=1, max_length=500)


class QuotePatch(PatchSchema):
    nullable = frozenset({"opportunity_id"})

    opportunity_id: int | None = None
    quoted_on: date | None = None
    valid_until: date | None = None
    price_includes_tax: bool | None = None
    contact_name: str | None = Field(None, max_length=100)
    terms: str | None = text_field(None)
    notes: str | None = text_field(None)
    lines: list[QuoteLineIn] | None = Field(
        None, min_length=1, max_length=500, description="Replaces every line when given."
    )


class ReasonIn(Schema):
    reason: str = Field("", max_length=100)


class QuoteFilters(FilterSchema):
    q: str | None = query_field(description="Quote number, or the customer's name or pinyin")
    status: QuoteStatus | None = None
    expired: bool | None = Field(None, description="Draft or sent quotes past their validity")
    customer: int | None = None
    opportunity: int | None = None
    owner: int | None = None
    quoted_after: date | None = None
    quoted_before: date | None = None
    ordering: str | None = query_field(
        description="quoted_on, number, valid_until, status or amount; prefix - for descending",
    )


def _detail(request: HttpRequest, pk: int) -> Quote:
    return selectors.quote_get(user=request_user(request), pk=pk)


def _opportunity(request: HttpRequest, pk: int | None) -> Opportunity | None:
    opportunity = visible_by_id(opportunity_visible(user=request_user(request)), pk)
    if pk is not None and opportunity is None:
        raise ValidationFailed(fields={"opportunity_id": [f"No opportunity with id {pk}."]})
    return opportunity


def _data(request: HttpRequest, payload: Schema, *, exclude_unset: bool) -> dict[str, Any]:
    data = payload.dict(exclude_unset=exclude_unset, exclude={"lines", "customer_id"})
    if "opportunity_id" in data:
        data["opportunity"] = _opportunity(request, data.pop("opportunity_id"))
    return {k: v for k, v in data.items() if not (v is None and k != "opportunity")}


@router.get("", response=list[QuoteListOut], summary="List quotes")
@paginate(PageNumbers, page_size=50)
@api_permission("sales.view_quote")
def quote_list(request: HttpRequest, filters: Query[QuoteFilters]) -> Any:
    params = filter_params(filters, flags=["expired"])
    return filtered_rows(selectors.quote_list(user=request_user(request), filters=params))


@router.get("/{int:pk}", response=QuoteOut, summary="Retrieve a quote with its lines")
def quote_get(request: HttpRequest, pk: int) -> Any:
    return _detail(request, pk)


@router.post("", response={201: QuoteOut}, summary="Create a draft quote")
@api_permission("sales.add_quote")
def quote_create(request: HttpRequest, payload: QuoteIn) -> Any:
    customer = customer_get(user=request_user(request), pk=payload.customer_id)
    quote = services.quote_create(
        actor=request_user(request),
        customer=customer,
        data=_data(request, payload, exclude_unset=False),
        lines=[line.line_input() for line in payload.lines],
    )
    return Status(201, _detail(request, quote.pk))


@router.patch("/{int:pk}", response=QuoteOut, summary="Change a draft quote")
@api_permission("sales.change_quote")
def quote_update(request: HttpRequest, pk: int, payload: QuotePatch) -> Any:
    quote = _detail(request, pk)
    services.quote_update(
        actor=request_user(request),
        quote=quote,
        data=_data(request, payload, exclude_unset=True),
        lines=[line.line_input() for line in payload.lines] if payload.lines else None,
    )
    return _detail(request, pk)


@router.post("/{int:pk}/send", response=QuoteOut, summary="Mark a draft quote as sent")
@api_permission("sales.change_quote")
def quote_send(request: HttpRequest, pk: int) -> Any:
    services.quote_send(actor=request_user(request), quote=_detail(request, pk))
    return _detail(request, pk)


@router.post("/{int:pk}/accept", response=QuoteOut, summary="Record that the customer accepted")
@api_permission("sales.change_quote")
def quote_accept(request: HttpRequest, pk: int) -> Any:
    services.quote_accept(actor=request_user(request), quote=_detail(request, pk))
    return _detail(request, pk)


@router.post("/{int:pk}/reject", response=QuoteOut, summary="Record that the customer rejected")
@api_permission("sales.change_quote")
def quote_reject(request: HttpRequest, pk: int, payload: ReasonIn | None = None) -> Any:
    services.quote_reject(
        actor=request_user(request),
        quote=_detail(request, pk),
        reason=payload.reason if payload else "",
    )
    return _detail(request, pk)


@router.post("/{int:pk}/cancel", response=QuoteOut, summary="Cancel a quote")
@api_permission("sales.change_quote")
def quote_cancel(request: HttpRequest, pk: int, payload: ReasonIn | None = None) -> Any:
    services.quote_cancel(
        actor=request_user(request),
        quote=_detail(request, pk),
        reason=payload.reason if payload else "",
    )
    return _detail(request, pk)


@router.post("/{int:pk}/copy", response={201: QuoteOut}, summary="Copy into a new draft")
@api_permission("sales.add_quote")
def quote_copy(request: HttpRequest, pk: int) -> Any:
    copy = services.quote_copy(actor=request_user(request), quote=_detail(request, pk))
    return Status(201, _detail(request, copy.pk))


@router.get(
    "/{int:pk}/pdf",
    summary="The printed quote (PDF)",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "The quote as an A4 PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def quote_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    quote = _detail(request, pk)
    response = HttpResponse(quote_pdf_render(quote=quote), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{quote.number}.pdf"'
    return response
