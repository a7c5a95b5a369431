"""/api/v1/customers: the same services, selectors and permission rules as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from suanpan.core.errors import ValidationFailed
from suanpan.customers import selectors, services
from suanpan.customers.choices import (
    AddressKind,
    CustomerGrade,
    CustomerKind,
    CustomerSource,
    CustomerStatus,
    FollowUpWay,
)
from suanpan.customers.models import MAX_CREDIT_LIMIT, Customer
from suanpan.users.http import request_permission_require, request_user
from suanpan.users.models import User

router = Router(tags=["customers"])


class ContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str
    email: str
    is_primary: bool


class ContactIn(Schema):
    name: str = Field(min_length=1, max_length=60)
    title: str = Field("", max_length=60)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    is_primary: bool = False


class AddressOut(Schema):
    id: int
    kind: AddressKind
    region: str
    address: str
    postcode: str
    receiver: str
    phone: str


class FollowUpOut(Schema):
    id: int
    followed_on: date
    way: FollowUpWay
    content: str
    next_step: str
    next_on: date | None
    author: str

    @staticmethod
    def resolve_author(obj: Any) -> str:
        return str(obj.author)


class FollowUpIn(Schema):
    followed_on: date
    way: FollowUpWay
    content: str = Field(min_length=1)
    next_step: str = Field("", max_length=300)
    next_on: date | None = None


class CustomerListOut(Schema):
    id: int
    number: str
    name: str
    short_name: str
    credit_code: str
    kind: CustomerKind
    status: CustomerStatus
    grade: str
    region: str
    owner_id: int
    owner: str
    payment_terms_days: int
    credit_limit_amount: Decimal
    created_at: datetime

    @staticmethod
    def resolve_owner(obj: Customer) -> str:
        return str(obj.owner)


class CustomerOut(CustomerListOut):
    industry: str
    source: str
    address: str
    notes: str
    invoice_title: str
    invoice_tax_number: str
    invoice_address_phone: str
    invoice_bank_account: str
    tags: list[str]
    shared_with: list[int]
    merged_into_id: int | None
    contacts: list[ContactOut]
    addresses: list[AddressOut]
    updated_at: datetime

    @staticmethod
    def resolve_tags(obj: Customer) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_shared_with(obj: Customer) -> list[int]:
        return [u.pk for u in obj.shared_with.all()]

    @staticmethod
    def resolve_contacts(obj: Customer) -> list[Any]:
        return list(obj.contacts.all())

    @staticmethod
    def resolve_addresses(obj: Customer) -> list[Any]:
        return list(obj.addresses.all())


class CustomerIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    short_name: str = Field("", max_length=60)
    credit_code: str = Field("", max_length=30)
    kind: CustomerKind = CustomerKind.ENTERPRISE
    industry: str = Field("", max_length=60)
    grade: CustomerGrade | None = None
    source: CustomerSource | None = None
    region: str = Field("", max_length=60)
    address: str = Field("", max_length=300)
    owner_id: int | None = None
    payment_terms_days: int = Field(30, ge=0, le=3650)
    credit_limit_amount: Decimal = Field(Decimal("0"), ge=0, le=MAX_CREDIT_LIMIT, decimal_places=2)
    status: CustomerStatus = CustomerStatus.ACTIVE
    notes: str = ""
    invoice_title: str = Field("", max_length=200)
    invoice_tax_number: str = Field("", max_length=20)
    invoice_address_phone: str = Field("", max_length=300)
    invoice_bank_account: str = Field("", max_length=300)
    tags: list[str] = []
    shared_with: list[int] = []
    contacts: list[ContactIn] = []


class CustomerPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    short_name: str | None = Field(None, max_length=60)
    credit_code: str | None = Field(None, max_length=30)
    kind: CustomerKind | None = None
    industry: str | None = Field(None, max_length=60)
    grade: CustomerGrade | None = None
    source: CustomerSource | None = None
    region: str | None = Field(None, max_length=60)
    address: str | None = Field(None, max_length=300)
    owner_id: int | None = None
    payment_terms_days: int | None = Field(None, ge=0, le=3650)
    credit_limit_amount: Decimal | None = Field(None, ge=0, le=MAX_CREDIT_LIMIT, decimal_places=2)
    status: CustomerStatus | None = None
    notes: str | None = None
    invoice_title: str | None = Field(None, max_length=200)
    invoice_tax_number: str | None = Field(None, max_length=20)
    invoice_address_phone: str | None = Field(None, max_length=300)
    invoice_bank_account: str | None = Field(None, max_length=300)
    tags: list[str] | None = None
    shared_with: list[int] | None = None


class CustomerFilters(FilterSchema):
    q: str | None = Field(
        None, description="Name, pinyin or initials, credit code, number, contact name or phone"
    )
    status: CustomerStatus | None = None
    kind: CustomerKind | None = None
    grade: CustomerGrade | None = None
    source: CustomerSource | None = None
    owner: int | None = None
    region: str | None = None
    industry: str | None = None
    tag: str | None = None
    created_after: date | None = None
    created_before: date | None = None
    ordering: str | None = Field(
        None,
        description="number, name, created, credit_limit, payment_terms, status or grade; "
        "prefix - for descending",
    )


class DeactivateIn(Schema):
    reason: str = Field("", max_length=200)


def _service_data(payload: Schema, *, exclude_unset: bool) -> dict[str, Any]:
    data = payload.dict(exclude_unset=exclude_unset, exclude={"contacts"})
    for name in ("grade", "source"):
        if name in data and data[name] is None:
            data[name] = ""
    if "owner_id" in data:
        owner_id = data.pop("owner_id")
        if owner_id is not None:
            data["owner"] = _active_user(owner_id, field="owner_id")
    if "shared_with" in data:
        data["shared_with"] = [
            _active_user(pk, field="shared_with") for pk in data["shared_with"] or []
        ]
    return data


def _active_user(pk: int, *, field: str) -> User:
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise ValidationFailed(fields={field: [f"No active user with id {pk}."]})
    return user


def _detail(request: HttpRequest, pk: int) -> Customer:
    return selectors.customer_get(user=request_user(request), pk=pk)


@router.get("", response=list[CustomerListOut], summary="List customers")
@paginate(PageNumberPagination, page_size=50)
def customer_list(request: HttpRequest, filters: Query[CustomerFilters]) -> Any:
    request_permission_require(request, "customers.view_customer")
    params = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    queryset, filterset = selectors.customer_list(user=request_user(request), filters=params)
    if not filterset.is_valid():
        # An unknown owner or ordering is a mistake to report, not an empty list.
        raise ValidationFailed(
            fields={name: [str(m) for m in messages] for name, messages in filterset.errors.items()}
        )
    return queryset


@router.get("/{int:pk}", response=CustomerOut, summary="Retrieve a customer")
def customer_get(request: HttpRequest, pk: int) -> Any:
    request_permission_require(request, "customers.view_customer")
    return _detail(request, pk)


@router.post("", response={201: CustomerOut}, summary="Create a customer")
def customer_create(request: HttpRequest, payload: CustomerIn) -> Any:
    customer = services.customer_create(
        actor=request_user(request),
        data=_service_data(payload, exclude_unset=False),
        contacts=[c.dict() for c in payload.contacts],
    )
    return Status(201, _detail(request, customer.pk))


@router.patch("/{int:pk}", response=CustomerOut, summary="Update a customer")
def customer_update(request: HttpRequest, pk: int, payload: CustomerPatch) -> Any:
    customer = _detail(request, pk)
    services.customer_update(
        actor=request_user(request),
        customer=customer,
        data=_service_data(payload, exclude_unset=True),
    )
    return _detail(request, pk)


@router.post("/{int:pk}/deactivate", response=CustomerOut, summary="Deactivate a customer")
def customer_deactivate(request: HttpRequest, pk: int, payload: DeactivateIn | None = None) -> Any:
    customer = _detail(request, pk)
    services.customer_deactivate(
        actor=request_user(request), customer=customer, reason=payload.reason if payload else ""
    )
    return _detail(request, pk)


@router.post("/{int:pk}/reactivate", response=CustomerOut, summary="Reactivate a customer")
def customer_reactivate(request: HttpRequest, pk: int) -> Any:
    services.customer_reactivate(actor=request_user(request), customer=_detail(request, pk))
    return _detail(request, pk)


@router.post("/{int:pk}/contacts", response={201: ContactOut}, summary="Add a contact")
def contact_create(request: HttpRequest, pk: int, payload: ContactIn) -> Any:
    contact = services.contact_create(
        actor=request_user(request), customer=_detail(request, pk), data=payload.dict()
    )
    return Status(201, contact)


@router.get("/{int:pk}/followups", response=list[FollowUpOut], summary="List follow-up records")
@paginate(PageNumberPagination, page_size=50)
def followup_list(request: HttpRequest, pk: int) -> Any:
    return selectors.followup_list(customer=_detail(request, pk))


@router.post("/{int:pk}/followups", response={201: FollowUpOut}, summary="Record a follow-up")
def followup_create(request: HttpRequest, pk: int, payload: FollowUpIn) -> Any:
    followup = services.followup_create(
        actor=request_user(request), customer=_detail(request, pk), data=payload.dict()
    )
    return Status(201, followup)
