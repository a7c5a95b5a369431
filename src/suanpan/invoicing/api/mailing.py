"""/api/v1/invoicing/mailings: the mailing register, with the same services, selectors and
rules as the pages. The customer's confirmation link is a page only."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import PatchSchema, column_field, query_field
from suanpan.core.listing import PageNumbers
from suanpan.invoicing.choices import MailingStatus
from suanpan.invoicing.models import InvoiceMailing
from suanpan.invoicing.selectors import mailing as selectors
from suanpan.invoicing.services import mailing as services
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["invoice mailings"])


class MailingOut(Schema):
    id: int
    invoice_id: int
    invoice_number: str
    customer_id: int
    customer_name: str
    gross_amount: Decimal
    sent_on: date
    courier: str
    tracking_number: str
    recipient: str
    phone: str
    address: str
    status: MailingStatus
    received_on: date | None
    confirmed_by_customer: bool
    notes: str
    created_at: datetime

    @staticmethod
    def resolve_invoice_number(obj: InvoiceMailing) -> str:
        return str(obj.invoice)

    @staticmethod
    def resolve_customer_id(obj: InvoiceMailing) -> int:
        return obj.invoice.customer_id

    @staticmethod
    def resolve_customer_name(obj: InvoiceMailing) -> str:
        return obj.invoice.customer.name

    @staticmethod
    def resolve_gross_amount(obj: InvoiceMailing) -> Decimal:
        return obj.invoice.gross_amount


class MailingIn(Schema):
    invoice_ids: list[int] = Field(
        ...,
        min_length=1,
        max_length=services.MAX_INVOICES,
        description="Invoices of one customer sent in one parcel.",
    )
    sent_on: date
    courier: str = column_field(InvoiceMailing, "courier", "")
    tracking_number: str = column_field(InvoiceMailing, "tracking_number", "")
    recipient: str = column_field(
        InvoiceMailing, "recipient", "", description="Blank: from the customer."
    )
    phone: str = column_field(InvoiceMailing, "phone", "", description="Blank: from the customer.")
    address: str = column_field(
        InvoiceMailing, "address", "", description="Blank: from the customer."
    )
    notes: str = column_field(InvoiceMailing, "notes", "")


class MailingPatch(PatchSchema):
    courier: str | None = column_field(InvoiceMailing, "courier", None)
    tracking_number: str | None = column_field(InvoiceMailing, "tracking_number", None)
    notes: str | None = column_field(InvoiceMailing, "notes", None)


class MailingReceiveIn(Schema):
    received_on: date
    confirmed_by_customer: bool = False


class MailingReturnedIn(Schema):
    notes: str = column_field(InvoiceMailing, "notes", "", description="Why it came back.")


class InvoicingSettingsOut(Schema):
    due_from_received: bool
    unconfirmed_after_days: int


class InvoicingSettingsIn(Schema):
    due_from_received: bool
    unconfirmed_after_days: int = Field(..., ge=1, le=services.UNCONFIRMED_DAYS_MAX)


class MailingFilters(FilterSchema):
    q: str | None = query_field(description="Tracking number, invoice number or recipient")
    status: MailingStatus | None = None
    customer: int | None = None
    invoice: int | None = None
    courier: str | None = query_field()
    sent_from: date | None = None
    sent_to: date | None = None
    ordering: str | None = query_field(
        description="sent, received, number, customer, status or courier; prefix - for descending",
    )


def _mailing(request: HttpRequest, pk: int) -> InvoiceMailing:
    return selectors.mailing_get(user=request_user(request), pk=pk)


@router.get("", response=list[MailingOut], summary="List the mailing register")
@paginate(PageNumbers, page_size=50)
@api_permission("invoicing.view_invoicemailing")
def mailing_list(request: HttpRequest, filters: Query[MailingFilters]) -> Any:
    return filtered_rows(
        selectors.mailing_list(user=request_user(request), filters=filter_params(filters))
    )


@router.get(
    "/unconfirmed",
    response=list[MailingOut],
    summary="Mailings sent and not confirmed after the set number of days, oldest first",
)
@paginate(PageNumbers, page_size=50)
@api_permission("invoicing.view_invoicemailing")
def mailing_unconfirmed(
    request: HttpRequest,
    days: int | None = Query(None, ge=0, le=services.UNCONFIRMED_DAYS_MAX),
) -> Any:
    return selectors.mailings_unconfirmed(user=request_user(request), days=days)


@router.get("/settings", response=InvoicingSettingsOut, summary="The invoicing settings")
@api_permission("invoicing.view_invoicemailing")
def mailing_settings_get(request: HttpRequest) -> Any:
    return selectors.settings_get()


@router.put("/settings", response=InvoicingSettingsOut, summary="Change the invoicing settings")
@api_permission("invoicing.change_invoicingsettings")
def mailing_settings_update(request: HttpRequest, payload: InvoicingSettingsIn) -> Any:
    return services.settings_update(
        due_from_received=payload.due_from_received,
        unconfirmed_after_days=payload.unconfirmed_after_days,
        actor=request_user(request),
    )


@router.get("/{int:pk}", response=MailingOut, summary="Retrieve a mailing")
@api_permission("invoicing.view_invoicemailing")
def mailing_get(request: HttpRequest, pk: int) -> Any:
    return _mailing(request, pk)


@router.post(
    "",
    response={201: list[MailingOut]},
    summary="Register a parcel: one mailing per invoice, all of one customer",
)
@api_permission("invoicing.add_invoicemailing")
def mailing_create(request: HttpRequest, payload: MailingIn) -> Any:
    user = request_user(request)
    mailings = services.mailing_create(
        invoice_ids=payload.invoice_ids,
        sent_on=payload.sent_on,
        courier=payload.courier,
        tracking_number=payload.tracking_number,
        recipient=payload.recipient,
        phone=payload.phone,
        address=payload.address,
        notes=payload.notes,
        actor=user,
    )
    return Status(201, [_mailing(request, m.pk) for m in mailings])


@router.patch("/{int:pk}", response=MailingOut, summary="Correct courier, tracking or notes")
@api_permission("invoicing.change_invoicemailing")
def mailing_update(request: HttpRequest, pk: int, payload: MailingPatch) -> Any:
    services.mailing_update(
        mailing=_mailing(request, pk),
        actor=request_user(request),
        **payload.dict(exclude_unset=True),
    )
    return _mailing(request, pk)


@router.post("/{int:pk}/receive", response=MailingOut, summary="Record that it arrived")
@api_permission("invoicing.change_invoicemailing")
def mailing_receive(request: HttpRequest, pk: int, payload: MailingReceiveIn) -> Any:
    services.mailing_receive(
        mailing=_mailing(request, pk),
        received_on=payload.received_on,
        confirmed_by_customer=payload.confirmed_by_customer,
        actor=request_user(request),
    )
    return _mailing(request, pk)


@router.post("/{int:pk}/returned", response=MailingOut, summary="Record that it came back")
@api_permission("invoicing.change_invoicemailing")
def mailing_returned(request: HttpRequest, pk: int, payload: MailingReturnedIn) -> Any:
    services.mailing_returned(
        mailing=_mailing(request, pk), notes=payload.notes, actor=request_user(request)
    )
    return _mailing(request, pk)
