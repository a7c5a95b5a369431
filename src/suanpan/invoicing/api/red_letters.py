"""/api/v1/invoicing/red-letters: red-letter forms, their actions and red invoices; voiding an
invoice and the buyer's deduction flag — the same services and selectors as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import MAX_QUANTITY, query_field
from suanpan.core.listing import PageNumbers
from suanpan.inventory.selectors.warehouses import warehouse_by_id
from suanpan.invoicing.choices import InvoiceStatus, RedFormStatus, RedInitiator, RedReason
from suanpan.invoicing.errors import RedLetterInvalid
from suanpan.invoicing.models import Invoice, RedLetterForm
from suanpan.invoicing.selectors import invoice_get, red_form_get, red_form_list
from suanpan.invoicing.services import red_invoices, voids
from suanpan.invoicing.services import red_letters as services
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["red-letters"])
MAX_LINES = 2000


class RedLineOut(Schema):
    id: int
    blue_line_id: int
    item_name: str
    quantity: Decimal | None
    net_amount: Decimal
    tax_amount: Decimal

    @staticmethod
    def resolve_item_name(obj: Any) -> str:
        return str(obj.blue_line.item_name)


class RedFormListOut(Schema):
    id: int
    number: str
    platform_number: str
    blue_invoice_id: int
    blue_invoice_number: str
    customer_id: int
    customer_name: str
    initiator: RedInitiator
    reason: RedReason
    status: RedFormStatus
    is_full: bool
    entered_at: datetime
    expires_at: datetime | None
    decided_at: datetime | None
    warehouse_id: int | None
    net_amount: Decimal
    tax_amount: Decimal
    red_invoice_id: int | None
    notes: str

    @staticmethod
    def resolve_blue_invoice_number(obj: RedLetterForm) -> str:
        return str(obj.blue_invoice)

    @staticmethod
    def resolve_customer_id(obj: RedLetterForm) -> int:
        return obj.blue_invoice.customer_id

    @staticmethod
    def resolve_customer_name(obj: RedLetterForm) -> str:
        return obj.blue_invoice.customer.name


class RedFormOut(RedFormListOut):
    lines: list[RedLineOut]

    @staticmethod
    def resolve_lines(obj: RedLetterForm) -> list[Any]:
        return list(obj.lines.all())


class RedLineIn(Schema):
    blue_line_id: int
    quantity: Decimal | None = Field(None, gt=0, le=MAX_QUANTITY, decimal_places=4)
    amount: Decimal | None = Field(
        None,
        gt=0,
        le=Decimal("999999999999"),
        decimal_places=2,
        description="In the invoice's basis.",
    )


class RedFormIn(Schema):
    invoice_id: int
    initiator: RedInitiator
    reason: RedReason
    lines: list[RedLineIn] | None = Field(
        None, max_length=MAX_LINES, description="Omit to reverse all that is left."
    )
    warehouse_id: int | None = Field(
        None, description="Goods returned: where they go; the delivery's by default."
    )
    notes: str = Field("", max_length=300)


class RedIssueIn(Schema):
    number: str = Field(max_length=30)
    code: str = Field("", max_length=20)
    issued_on: date


class InvoiceStateOut(Schema):
    id: int
    number: str
    status: InvoiceStatus
    deducted: bool
    voided_on: date | None
    void_reason: str

    @staticmethod
    def resolve_number(obj: Invoice) -> str:
        return str(obj)


class VoidIn(Schema):
    reason: str = Field(min_length=1, max_length=300)
    on: date | None = Field(None, description="The void date; today by default.")


class DeductedIn(Schema):
    deducted: bool = True


class RedFormFilters(FilterSchema):
    q: str | None = query_field(description="Form or invoice number, customer name")
    status: RedFormStatus | None = None
    reason: RedReason | None = None
    invoice: int | None = None
    ordering: str | None = query_field(
        description="number, entered, status, customer or amount; prefix - for descending"
    )


def _form(request: HttpRequest, pk: int) -> RedLetterForm:
    return red_form_get(user=request_user(request), pk=pk)


@router.get("", response=list[RedFormListOut], summary="List red-letter forms")
@paginate(PageNumbers, page_size=50)
@api_permission("invoicing.view_redletterform")
def red_form_list_api(request: HttpRequest, filters: Query[RedFormFilters]) -> Any:
    return filtered_rows(red_form_list(user=request_user(request), filters=filter_params(filters)))


@router.get("/{int:pk}", response=RedFormOut, summary="Retrieve a red-letter form")
@api_permission("invoicing.view_redletterform")
def red_form_get_api(request: HttpRequest, pk: int) -> Any:
    return _form(request, pk)


@router.post("", response={201: RedFormOut}, summary="Enter a red-letter form for an invoice")
@api_permission("invoicing.add_redletterform")
def red_form_create_api(request: HttpRequest, payload: RedFormIn) -> Any:
    user = request_user(request)
    invoice = invoice_get(user=user, pk=payload.invoice_id)
    warehouse = None
    if payload.warehouse_id is not None:
        warehouse = warehouse_by_id(payload.warehouse_id)
        if warehouse is None:
            raise RedLetterInvalid(fields={"warehouse_id": [_("There is no such warehouse.")]})
    form = services.red_form_create(
        blue_invoice=invoice,
        initiator=payload.initiator,
        reason=payload.reason,
        lines=None
        if payload.lines is None
        else [
            services.RedLineInput(
                blue_line_id=line.blue_line_id, quantity=line.quantity, amount=line.amount
            )
            for line in payload.lines
        ],
        warehouse=warehouse,
        notes=payload.notes,
        actor=user,
    )
    return Status(201, _form(request, form.pk))


@router.post("/{int:pk}/confirm", response=RedFormOut, summary="The other party confirmed")
@api_permission("invoicing.change_redletterform")
def red_form_confirm_api(request: HttpRequest, pk: int) -> Any:
    services.red_form_confirm(form=_form(request, pk), actor=request_user(request))
    return _form(request, pk)


@router.post("/{int:pk}/deny", response=RedFormOut, summary="The other party refused")
@api_permission("invoicing.change_redletterform")
def red_form_deny_api(request: HttpRequest, pk: int) -> Any:
    services.red_form_deny(form=_form(request, pk), actor=request_user(request))
    return _form(request, pk)


@router.post("/{int:pk}/withdraw", response=RedFormOut, summary="The initiator withdrew it")
@api_permission("invoicing.change_redletterform")
def red_form_withdraw_api(request: HttpRequest, pk: int) -> Any:
    services.red_form_withdraw(form=_form(request, pk), actor=request_user(request))
    return _form(request, pk)


@router.post("/{int:pk}/cancel", response=RedFormOut, summary="Cancel a confirmed form")
@api_permission("invoicing.change_redletterform")
def red_form_cancel_api(request: HttpRequest, pk: int) -> Any:
    services.red_form_cancel(form=_form(request, pk), actor=request_user(request))
    return _form(request, pk)


@router.post("/{int:pk}/issue", response=RedFormOut, summary="Record the red invoice issued")
@api_permission("invoicing.issue_redletter")
def red_invoice_issue_api(request: HttpRequest, pk: int, payload: RedIssueIn) -> Any:
    red_invoices.red_invoice_issue(
        form=_form(request, pk),
        number=payload.number,
        code=payload.code,
        issued_on=payload.issued_on,
        actor=request_user(request),
    )
    return _form(request, pk)


@router.post("/void/{int:invoice_id}", response=InvoiceStateOut, summary="Void a paper invoice")
@api_permission("invoicing.void_invoice")
def invoice_void_api(request: HttpRequest, invoice_id: int, payload: VoidIn) -> Any:
    user = request_user(request)
    invoice = voids.invoice_void(
        invoice=invoice_get(user=user, pk=invoice_id),
        reason=payload.reason,
        on=payload.on,
        actor=user,
    )
    return invoice


@router.post(
    "/deducted/{int:invoice_id}",
    response=InvoiceStateOut,
    summary="Record whether the buyer used an invoice",
)
@api_permission("invoicing.change_invoice")
def invoice_deducted_api(request: HttpRequest, invoice_id: int, payload: DeductedIn) -> Any:
    user = request_user(request)
    return voids.invoice_mark_deducted(
        invoice=invoice_get(user=user, pk=invoice_id), actor=user, deducted=payload.deducted
    )
