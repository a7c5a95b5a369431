"""Input and output schemas of the customers API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, FilterSchema, Schema
from pydantic import StringConstraints

from suanpan.core.limits import (
    MAX_ITEMS,
    PatchSchema,
    column_field,
    column_length,
    query_field,
    text_field,
)
from suanpan.customers.choices import (
    AddressKind,
    CustomerGrade,
    CustomerKind,
    CustomerSource,
    CustomerStatus,
    FollowUpWay,
)
from suanpan.customers.models import MAX_CREDIT_LIMIT, Customer, Tag

# A tag as long as its column allows.
TagName = Annotated[str, StringConstraints(max_length=column_length(Tag, "name"))]


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
    content: str = text_field(..., min_length=1)
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
    # What the customer owes, from the ledger's open items; null for callers without
    # customers.view_customer_balance.
    balance: Decimal | None = Field(
        None,
        description="Open receivables in yuan, debit positive: invoices less receipts and "
        "credits; null without the permission to see what customers owe.",
    )
    overdue: Decimal | None = Field(
        None,
        description="The open part of receivables due before today, in yuan; null without "
        "the permission.",
    )
    average_days_to_pay: int | None = Field(
        None,
        description="Days from an invoice's posting to its settlement by a receipt or other "
        "credit (not a red invoice), weighted by the amount settled, over the last 365 days; "
        "null when nothing was settled then or without the permission.",
    )

    @staticmethod
    def resolve_owner(obj: Customer) -> str:
        return str(obj.owner)

    @staticmethod
    def resolve_balance(obj: Customer) -> Decimal | None:
        figures = getattr(obj, "figures", None)
        return None if figures is None else figures.balance

    @staticmethod
    def resolve_overdue(obj: Customer) -> Decimal | None:
        figures = getattr(obj, "figures", None)
        return None if figures is None else figures.overdue

    @staticmethod
    def resolve_average_days_to_pay(obj: Customer) -> int | None:
        figures = getattr(obj, "figures", None)
        return None if figures is None else figures.average_days_to_pay


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
    notes: str = text_field()
    invoice_title: str = Field("", max_length=200)
    invoice_tax_number: str = Field("", max_length=20)
    invoice_address_phone: str = Field("", max_length=300)
    invoice_bank_account: str = Field("", max_length=300)
    tags: list[TagName] = Field([], max_length=MAX_ITEMS)
    shared_with: list[int] = Field([], max_length=MAX_ITEMS)
    contacts: list[ContactIn] = Field([], max_length=MAX_ITEMS)


class CustomerPatch(PatchSchema):
    nullable = frozenset({"grade", "source"})

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
    notes: str | None = text_field(None)
    invoice_title: str | None = Field(None, max_length=200)
    invoice_tax_number: str | None = Field(None, max_length=20)
    invoice_address_phone: str | None = Field(None, max_length=300)
    invoice_bank_account: str | None = Field(None, max_length=300)
    tags: list[TagName] | None = Field(None, max_length=MAX_ITEMS)
    shared_with: list[int] | None = Field(None, max_length=MAX_ITEMS)


class CustomerFilters(FilterSchema):
    q: str | None = query_field(
        description="Name, pinyin or initials, credit code, number, contact name or phone"
    )
    status: CustomerStatus | None = None
    kind: CustomerKind | None = None
    grade: CustomerGrade | None = None
    source: CustomerSource | None = None
    owner: int | None = None
    region: str | None = query_field()
    industry: str | None = query_field()
    tag: str | None = query_field()
    created_after: date | None = None
    created_before: date | None = None
    ordering: str | None = query_field(
        description="number, name, created, credit_limit, payment_terms, status or grade; "
        "prefix - for descending",
    )


class CustomerDeactivateIn(Schema):
    # The reason is kept as the history entry's change reason: as long as that column.
    reason: str = column_field(Customer.history.model, "history_change_reason", "")
