"""/api/v1/contracts: contracts, their payment plans and attachments, with the same services,
selectors and visibility rules as the contract pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from ninja import Field, File, FilterSchema, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from suanpan.core.errors import ValidationFailed
from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import MAX_AMOUNT, PatchSchema, query_field, text_field
from suanpan.core.listing import PageNumbers
from suanpan.customers.selectors import customer_get
from suanpan.sales.api.common import CustomerOwnerNames
from suanpan.sales.choices import ContractStatus
from suanpan.sales.errors import QuoteAlreadyConverted
from suanpan.sales.models import Contract, ContractAttachment, PaymentInstalment
from suanpan.sales.selectors import contracts as selectors
from suanpan.sales.selectors.quotes import quote_get
from suanpan.sales.services import contracts as services
from suanpan.sales.services.contracts import InstalmentInput
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["contracts"])
HUNDRED = Decimal(100)


class InstalmentOut(Schema):
    position: int
    due_on: date
    percentage: Decimal | None = Field(
        description="In percent (30 for 30 %); null for a fixed amount."
    )
    amount: Decimal
    description: str

    @staticmethod
    def resolve_percentage(obj: PaymentInstalment) -> Decimal | None:
        return (
            None
            if obj.percentage is None
            else Decimal(format((obj.percentage * HUNDRED).normalize(), "f"))
        )


class InstalmentIn(Schema):
    due_on: date
    percentage: Decimal | None = Field(
        None, gt=0, le=100, decimal_places=2, description="In percent: 30 for 30 %."
    )
    amount: Decimal | None = Field(None, gt=0, le=MAX_AMOUNT, decimal_places=2)
    description: str = Field("", max_length=200)


class PlanIn(Schema):
    instalments: list[InstalmentIn] = Field(
        max_length=120,
        description="All by percentage (summing to 100) or all by amount (summing to the "
        "contract amount); due dates ascending. An empty list removes the plan.",
    )


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    uploaded_by: str
    uploaded_at: datetime

    @staticmethod
    def resolve_uploaded_by(obj: ContractAttachment) -> str:
        return str(obj.uploaded_by)


class ContractListOut(CustomerOwnerNames):
    id: int
    number: str
    title: str
    customer_id: int
    customer: str
    quote_id: int | None
    status: ContractStatus
    signed_on: date | None
    starts_on: date | None
    ends_on: date | None
    amount: Decimal
    owner_id: int
    owner: str
    created_at: datetime


class ContractOut(ContractListOut):
    terms: str
    notes: str
    updated_at: datetime
    instalments: list[InstalmentOut]
    attachments: list[AttachmentOut]
    order_ids: list[int]

    @staticmethod
    def resolve_instalments(obj: Contract) -> list[Any]:
        return list(obj.instalments.all())

    @staticmethod
    def resolve_attachments(obj: Contract) -> list[Any]:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_order_ids(obj: Contract) -> list[int]:
        return list(obj.orders.values_list("pk", flat=True))


class ContractIn(Schema):
    customer_id: int | None = Field(None, description="Required unless quote_id is given.")
    quote_id: int | None = Field(
        None, description="Make the contract from this quote: its customer and gross amount."
    )
    number: str = Field("", max_length=40, description="Blank for HT-YYYYMM-nnnn.")
    title: str = Field("", max_length=200)
    signed_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    amount: Decimal | None = Field(None, gt=0, le=MAX_AMOUNT, decimal_places=2)
    terms: str = text_field()
    notes: str = text_field()


class ContractPatch(PatchSchema):
    nullable = frozenset({"signed_on", "starts_on", "ends_on"})

    number: str | None = Field(None, min_length=1, max_length=40)
    title: str | None = Field(None, min_length=1, max_length=200)
    signed_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    amount: Decimal | None = Field(None, gt=0, le=MAX_AMOUNT, decimal_places=2)
    terms: str | None = text_field(None)
    notes: str | None = text_field(None)


class ActivateIn(Schema):
    signed_on: date | None = None


class TerminateIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class ContractFilters(FilterSchema):
    q: str | None = query_field(description="Contract number, or the customer's name or pinyin")
    status: ContractStatus | None = None
    customer: int | None = None
    quote: int | None = None
    owner: int | None = None
    signed_after: date | None = None
    signed_before: date | None = None
    ordering: str | None = query_field(
        description="created, number, signed_on, ends_on, status or amount; prefix - for "
        "descending",
    )


def _detail(request: HttpRequest, pk: int) -> Contract:
    return selectors.contract_get(user=request_user(request), pk=pk)


@router.get("", response=list[ContractListOut], summary="List contracts")
@paginate(PageNumbers, page_size=50)
@api_permission("sales.view_contract")
def contract_list(request: HttpRequest, filters: Query[ContractFilters]) -> Any:
    return filtered_rows(
        selectors.contract_list(user=request_user(request), filters=filter_params(filters))
    )


@router.get("/{int:pk}", response=ContractOut, summary="Retrieve a contract with its plan")
def contract_get(request: HttpRequest, pk: int) -> Any:
    return _detail(request, pk)


@router.post(
    "",
    response={201: ContractOut, 200: ContractOut},
    summary="Create a contract (or make it from a quote)",
    description=(
        "With `quote_id`: the contract of a sent or accepted quote (201). A quote has one "
        "contract: when it already has one, that contract is answered with 200 and nothing "
        "is created, so a repeated request is harmless."
    ),
)
@api_permission("sales.add_contract")
def contract_create(request: HttpRequest, payload: ContractIn) -> Any:
    user = request_user(request)
    data = payload.dict(exclude={"customer_id", "quote_id"})
    data = {k: v for k, v in data.items() if v not in (None, "")}
    if payload.quote_id is not None:
        quote = quote_get(user=user, pk=payload.quote_id)
        if "amount" in data:
            raise ValidationFailed(
                fields={"amount": ["The amount of a contract made from a quote is the quote's."]}
            )
        try:
            contract = services.contract_create_from_quote(actor=user, quote=quote, data=data)
        except QuoteAlreadyConverted as exc:
            return Status(200, _detail(request, exc.params["existing_id"]))
    else:
        if payload.customer_id is None:
            raise ValidationFailed(fields={"customer_id": ["Give a customer or a quote."]})
        missing = {
            name: ["This field is required."] for name in ("title", "amount") if name not in data
        }
        if missing:
            raise ValidationFailed(fields=missing)
        customer = customer_get(user=user, pk=payload.customer_id)
        contract = services.contract_create(actor=user, customer=customer, data=data)
    return Status(201, _detail(request, contract.pk))


@router.patch("/{int:pk}", response=ContractOut, summary="Change a draft or active contract")
@api_permission("sales.change_contract")
def contract_update(request: HttpRequest, pk: int, payload: ContractPatch) -> Any:
    services.contract_update(
        actor=request_user(request),
        contract=_detail(request, pk),
        data=payload.dict(exclude_unset=True),
    )
    return _detail(request, pk)


@router.post("/{int:pk}/activate", response=ContractOut, summary="Put a signed contract in force")
@api_permission("sales.change_contract")
def contract_activate(request: HttpRequest, pk: int, payload: ActivateIn | None = None) -> Any:
    services.contract_activate(
        actor=request_user(request),
        contract=_detail(request, pk),
        signed_on=payload.signed_on if payload else None,
    )
    return _detail(request, pk)


@router.post("/{int:pk}/complete", response=ContractOut, summary="Mark a contract completed")
@api_permission("sales.change_contract")
def contract_complete(request: HttpRequest, pk: int) -> Any:
    services.contract_complete(actor=request_user(request), contract=_detail(request, pk))
    return _detail(request, pk)


@router.post("/{int:pk}/terminate", response=ContractOut, summary="Terminate a contract")
@api_permission("sales.change_contract")
def contract_terminate(request: HttpRequest, pk: int, payload: TerminateIn) -> Any:
    services.contract_terminate(
        actor=request_user(request), contract=_detail(request, pk), reason=payload.reason
    )
    return _detail(request, pk)


@router.put("/{int:pk}/plan", response=list[InstalmentOut], summary="Replace the payment plan")
@api_permission("sales.change_contract")
def contract_plan_set(request: HttpRequest, pk: int, payload: PlanIn) -> Any:
    return services.contract_plan_set(
        actor=request_user(request),
        contract=_detail(request, pk),
        instalments=[
            InstalmentInput(
                due_on=i.due_on,
                percentage=None if i.percentage is None else i.percentage / HUNDRED,
                amount=i.amount,
                description=i.description,
            )
            for i in payload.instalments
        ],
    )


@router.get(
    "/{int:pk}/attachments", response=list[AttachmentOut], summary="List a contract's attachments"
)
def attachment_list(request: HttpRequest, pk: int) -> Any:
    return list(_detail(request, pk).attachments.all())


@router.post(
    "/{int:pk}/attachments",
    response={201: AttachmentOut},
    summary="Attach a file (pdf, jpg, png, docx, xlsx or zip; at most 20 MB)",
)
@api_permission("sales.change_contract")
def attachment_upload(request: HttpRequest, pk: int, file: File[UploadedFile]) -> Any:
    attachment = services.contract_attachment_add(
        actor=request_user(request), contract=_detail(request, pk), upload=file
    )
    return Status(201, attachment)


@router.get(
    "/{int:pk}/attachments/{int:attachment_pk}",
    summary="Download an attachment",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "The file as uploaded",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
@api_permission("sales.view_contract")
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = selectors.attachment_get(
        user=request_user(request), contract_pk=pk, pk=attachment_pk
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


@router.delete(
    "/{int:pk}/attachments/{int:attachment_pk}",
    response={204: None},
    summary="Delete an attachment",
)
@api_permission("sales.change_contract")
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> Any:
    attachment = selectors.attachment_get(
        user=request_user(request), contract_pk=pk, pk=attachment_pk
    )
    services.contract_attachment_delete(actor=request_user(request), attachment=attachment)
    return Status(204, None)
