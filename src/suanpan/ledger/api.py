"""/api/v1/ledger: the books for people through the API; the same services, selectors and
permission rules as the pages. Lines name accounts by code and customers by number."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from suanpan.core.errors import DomainError, PermissionDeniedError, ValidationFailed
from suanpan.ledger import selectors, services
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.choices import (
    AccountCategory,
    AccountingStandard,
    AccountRole,
    Direction,
    PeriodStatus,
    RevenuePolicy,
    VoucherStatus,
    VoucherWord,
)
from suanpan.ledger.models import Account, Period, Voucher, VoucherLine
from suanpan.ledger.services import LineInput
from suanpan.users.http import request_permission_require, request_user

router = Router(tags=["ledger"])


# ---------------------------------------------------------------------------- schemas


class LineIn(Schema):
    account: str = Field(min_length=1, max_length=30, description="Account code, e.g. 1122.01")
    customer: str | None = Field(None, max_length=30, description="Customer number")
    debit: Decimal = Field(Decimal("0"), max_digits=16, decimal_places=2)
    credit: Decimal = Field(Decimal("0"), max_digits=16, decimal_places=2)
    summary: str = Field("", max_length=200)
    due_on: date | None = None


class VoucherIn(Schema):
    date: date
    summary: str = Field(min_length=1, max_length=200)
    word: VoucherWord | None = None
    attachments: int = Field(0, ge=0, le=999)
    lines: list[LineIn] = Field(min_length=2, max_length=200)


class LineOut(Schema):
    line_no: int
    account: str
    account_name: str
    customer: str | None
    customer_name: str | None
    summary: str
    debit: Decimal
    credit: Decimal
    due_on: date | None

    @staticmethod
    def resolve_account(obj: VoucherLine) -> str:
        return obj.account.code

    @staticmethod
    def resolve_account_name(obj: VoucherLine) -> str:
        return obj.account.name

    @staticmethod
    def resolve_customer(obj: VoucherLine) -> str | None:
        return obj.dimension.code if obj.dimension else None

    @staticmethod
    def resolve_customer_name(obj: VoucherLine) -> str | None:
        return obj.dimension.name if obj.dimension else None

    @staticmethod
    def resolve_debit(obj: VoucherLine) -> Decimal:
        return obj.debit_amount

    @staticmethod
    def resolve_credit(obj: VoucherLine) -> Decimal:
        return obj.credit_amount


class VoucherListOut(Schema):
    id: int
    number: str | None = Field(description="e.g. 记-202611-0001; null until posted")
    word: VoucherWord
    period: str
    date: date
    summary: str
    attachments: int
    status: VoucherStatus
    amount: Decimal = Field(description="Total of the debit column")
    maker: str
    reviewer: str | None
    poster: str | None
    posted_at: datetime | None
    reverses_id: int | None
    source_type: str
    source_id: str

    @staticmethod
    def resolve_number(obj: Voucher) -> str | None:
        return obj.display_number if obj.number is not None else None

    @staticmethod
    def resolve_period(obj: Voucher) -> str:
        return obj.period.key

    @staticmethod
    def resolve_amount(obj: Voucher) -> Decimal:
        if hasattr(obj, "debit_fen"):
            return selectors.voucher_debit_total(obj)
        return sum((line.debit_amount for line in obj.lines.all()), ZERO)

    @staticmethod
    def resolve_maker(obj: Voucher) -> str:
        return str(obj.maker)

    @staticmethod
    def resolve_reviewer(obj: Voucher) -> str | None:
        return str(obj.reviewer) if obj.reviewer_id else None

    @staticmethod
    def resolve_poster(obj: Voucher) -> str | None:
        return str(obj.poster) if obj.poster_id else None


class VoucherOut(VoucherListOut):
    hash: str
    lines: list[LineOut]

    @staticmethod
    def resolve_lines(obj: Voucher) -> list[VoucherLine]:
        return selectors.voucher_lines(voucher=obj)


class VoucherFilters(Schema):
    period: str | None = Field(None, description="YYYYMM")
    status: VoucherStatus | None = None
    word: VoucherWord | None = None
    account: str | None = Field(None, description="Account code; sub-accounts included")
    customer: str | None = Field(None, description="Customer number")
    q: str | None = Field(None, description="Text in the voucher or line summaries")
    date_from: date | None = None
    date_to: date | None = None
    ordering: str | None = Field(
        None, description="date, number, word, summary, status or created; prefix - for descending"
    )


class ReverseIn(Schema):
    on: date | None = Field(None, description="Date of the red voucher; today by default")
    summary: str = Field("", max_length=200)


class AccountOut(Schema):
    id: int
    code: str
    name: str
    parent: str | None
    level: int
    direction: Direction
    category: AccountCategory
    requires_customer: bool
    is_open_item: bool
    is_active: bool

    @staticmethod
    def resolve_parent(obj: Account) -> str | None:
        return obj.parent.code if obj.parent else None


class AccountIn(Schema):
    parent: str = Field(min_length=1, max_length=30, description="The parent account's code")
    code: str = Field(min_length=1, max_length=30, description="e.g. 1122.03")
    name: str = Field(min_length=1, max_length=100)
    requires_customer: bool = False
    is_open_item: bool = False


class PeriodOut(Schema):
    key: str
    year: int
    month: int
    status: PeriodStatus
    closed_at: datetime | None
    voucher_count: int
    posted_count: int


class ReopenIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class CompanyOut(Schema):
    name: str
    tax_number: str
    standard: AccountingStandard
    revenue_policy: RevenuePolicy
    first_period: str
    voucher_words: str
    default_word: VoucherWord
    roles: dict[str, str]

    @staticmethod
    def resolve_first_period(obj: Any) -> str:
        return str(obj.first_period.strftime("%Y%m"))

    @staticmethod
    def resolve_roles(obj: Any) -> dict[str, str]:
        return {role: account.code for role, account in selectors.role_mappings().items()}


# ---------------------------------------------------------------------------- helpers


def _lines(lines: list[LineIn]) -> list[LineInput]:
    """Codes to accounts and customers, every unknown one named by its line."""
    errors: dict[str, list[str]] = {}
    result = []
    for index, line in enumerate(lines):
        account = selectors.account_by_code(code=line.account)
        if account is None:
            errors[f"lines.{index}.account"] = [
                _("No account with the code %(code)s.") % {"code": line.account}
            ]
        dimension = None
        if line.customer:
            dimension = selectors.dimension_by_code(code=line.customer)
            if dimension is None:
                errors[f"lines.{index}.customer"] = [
                    _("No customer with the number %(code)s.") % {"code": line.customer}
                ]
        if account is not None:
            result.append(
                LineInput(account, line.debit, line.credit, dimension, line.summary, line.due_on)
            )
    if errors:
        raise ValidationFailed(fields=errors)
    return result


def _api_fields(exc: DomainError) -> DomainError:
    """The services call a line's customer its dimension; the API calls it customer."""
    exc.fields = {
        name.replace(".dimension", ".customer"): msgs for name, msgs in exc.fields.items()
    }
    return exc


def _voucher(pk: int) -> Voucher:
    return selectors.voucher_get(pk=pk)


# ---------------------------------------------------------------------------- vouchers


@router.get("/vouchers", response=list[VoucherListOut], summary="List vouchers")
@paginate(PageNumberPagination, page_size=50)
def voucher_list(request: HttpRequest, filters: Query[VoucherFilters]) -> Any:
    request_permission_require(request, "ledger.view_voucher")
    params = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    queryset, filterset = selectors.voucher_list(filters=params)
    if not filterset.is_valid():
        raise ValidationFailed(
            fields={name: [str(m) for m in messages] for name, messages in filterset.errors.items()}
        )
    return queryset


@router.post("/vouchers", response={201: VoucherOut}, summary="Create a draft voucher")
def voucher_create(request: HttpRequest, payload: VoucherIn) -> Any:
    request_permission_require(request, "ledger.add_voucher")
    services.company_get()  # no books: say so, rather than that no account exists
    try:
        voucher = services.voucher_create(
            actor=request_user(request),
            date=payload.date,
            summary=payload.summary,
            word=payload.word,
            attachments=payload.attachments,
            lines=_lines(payload.lines),
        )
    except DomainError as exc:
        raise _api_fields(exc) from None
    return Status(201, _voucher(voucher.pk))


@router.get("/vouchers/{int:pk}", response=VoucherOut, summary="Retrieve a voucher")
def voucher_get(request: HttpRequest, pk: int) -> Any:
    request_permission_require(request, "ledger.view_voucher")
    return _voucher(pk)


@router.put("/vouchers/{int:pk}", response=VoucherOut, summary="Replace a draft voucher")
def voucher_update(request: HttpRequest, pk: int, payload: VoucherIn) -> Any:
    request_permission_require(request, "ledger.change_voucher")
    voucher = _voucher(pk)
    try:
        services.voucher_update(
            actor=request_user(request),
            voucher=voucher,
            date=payload.date,
            summary=payload.summary,
            word=payload.word,
            attachments=payload.attachments,
            lines=_lines(payload.lines),
        )
    except DomainError as exc:
        raise _api_fields(exc) from None
    return _voucher(pk)


@router.delete("/vouchers/{int:pk}", response={204: None}, summary="Delete a draft voucher")
def voucher_delete(request: HttpRequest, pk: int) -> Any:
    request_permission_require(request, "ledger.delete_voucher")
    services.voucher_delete(actor=request_user(request), voucher=_voucher(pk))
    return Status(204, None)


@router.post("/vouchers/{int:pk}/review", response=VoucherOut, summary="Review a draft")
def voucher_review(request: HttpRequest, pk: int) -> Any:
    request_permission_require(request, "ledger.review_voucher")
    services.voucher_review(actor=request_user(request), voucher=_voucher(pk))
    return _voucher(pk)


@router.post("/vouchers/{int:pk}/unreview", response=VoucherOut, summary="Withdraw a review")
def voucher_unreview(request: HttpRequest, pk: int) -> Any:
    request_permission_require(request, "ledger.review_voucher")
    services.voucher_unreview(actor=request_user(request), voucher=_voucher(pk))
    return _voucher(pk)


@router.post("/vouchers/{int:pk}/post", response=VoucherOut, summary="Post a reviewed voucher")
def voucher_post(request: HttpRequest, pk: int) -> Any:
    request_permission_require(request, "ledger.post_voucher")
    services.voucher_post(actor=request_user(request), voucher=_voucher(pk))
    return _voucher(pk)


@router.post(
    "/vouchers/{int:pk}/reverse",
    response={201: VoucherOut},
    summary="Reverse a posted voucher with a red one",
)
def voucher_reverse(request: HttpRequest, pk: int, payload: ReverseIn | None = None) -> Any:
    request_permission_require(request, "ledger.reverse_voucher")
    red = services.voucher_reverse(
        actor=request_user(request),
        voucher=_voucher(pk),
        on=payload.on if payload else None,
        summary=payload.summary if payload else "",
    )
    return Status(201, _voucher(red.pk))


# ---------------------------------------------------------------------------- accounts


@router.get("/accounts", response=list[AccountOut], summary="List the chart of accounts")
def account_list(request: HttpRequest) -> Any:
    request_permission_require(request, "ledger.view_account")
    services.company_get()
    return selectors.account_list()


@router.post("/accounts", response={201: AccountOut}, summary="Add a sub-account")
def account_create(request: HttpRequest, payload: AccountIn) -> Any:
    request_permission_require(request, "ledger.add_account")
    parent = selectors.account_by_code(code=payload.parent)
    if parent is None:
        raise ValidationFailed(
            fields={"parent": [_("No account with the code %(code)s.") % {"code": payload.parent}]}
        )
    account = services.account_create(
        actor=request_user(request),
        parent=parent,
        code=payload.code,
        name=payload.name,
        requires_customer=payload.requires_customer,
        is_open_item=payload.is_open_item,
    )
    return Status(201, account)


# ---------------------------------------------------------------------------- periods


@router.get("/periods", response=list[PeriodOut], summary="List accounting periods")
def period_list(request: HttpRequest) -> Any:
    request_permission_require(request, "ledger.view_period")
    services.company_get()
    return selectors.period_list()


def _period_out(period: Period) -> Period:
    return next(p for p in selectors.period_list() if p.pk == period.pk)


@router.post("/periods/{key}/close", response=PeriodOut, summary="Close a period")
def period_close(request: HttpRequest, key: str) -> Any:
    request_permission_require(request, "ledger.close_period")
    period = services.period_close(
        actor=request_user(request), period=selectors.period_get(key=key)
    )
    return _period_out(period)


@router.post("/periods/{key}/reopen", response=PeriodOut, summary="Re-open a closed period")
def period_reopen(request: HttpRequest, key: str, payload: ReopenIn) -> Any:
    request_permission_require(request, "ledger.reopen_period")
    period = services.period_reopen(
        actor=request_user(request), period=selectors.period_get(key=key), reason=payload.reason
    )
    return _period_out(period)


# ---------------------------------------------------------------------------- company


@router.get("/company", response=CompanyOut, summary="The company's ledger settings")
def company_get(request: HttpRequest) -> Any:
    if not request_user(request).has_module_perms("ledger"):
        raise PermissionDeniedError()
    return services.company_get()


class CompanySetupIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    tax_number: str = Field("", max_length=20)
    standard: AccountingStandard
    revenue_policy: RevenuePolicy = RevenuePolicy.ON_DELIVERY
    first_period: str = Field(pattern=r"^\d{6}$", description="The first open month, YYYYMM")
    voucher_words: str = Field("记", pattern=r"^(记|收付转)$")


class CompanyPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    tax_number: str | None = Field(None, max_length=20)
    revenue_policy: RevenuePolicy | None = None
    voucher_words: str | None = Field(None, pattern=r"^(记|收付转)$")
    default_word: VoucherWord | None = None


class RoleIn(Schema):
    account: str = Field(min_length=1, max_length=30, description="The leaf account's code")


def _month(value: str) -> date:
    year, month = int(value[:4]), int(value[4:])
    if not 1 <= month <= 12:
        raise ValidationFailed(fields={"first_period": [_("Write the month as YYYYMM.")]})
    return date(year, month, 1)


@router.post("/company", response={201: CompanyOut}, summary="Set up the books (once)")
def company_setup(request: HttpRequest, payload: CompanySetupIn) -> Any:
    company = services.company_setup(
        actor=request_user(request),
        name=payload.name,
        tax_number=payload.tax_number,
        standard=payload.standard,
        revenue_policy=payload.revenue_policy,
        first_period=_month(payload.first_period),
        voucher_words=payload.voucher_words,
    )
    return Status(201, company)


@router.patch("/company", response=CompanyOut, summary="Change the company's ledger settings")
def company_update(request: HttpRequest, payload: CompanyPatch) -> Any:
    return services.company_update(
        actor=request_user(request), data=payload.dict(exclude_none=True)
    )


@router.put("/company/roles/{role}", response=CompanyOut, summary="Map an account role")
def company_role_set(request: HttpRequest, role: AccountRole, payload: RoleIn) -> Any:
    services.company_get()
    account = Account.objects.filter(code=payload.account).first()
    if account is None:
        raise ValidationFailed(fields={"account": [_("No account with this code.")]})
    services.account_role_set(actor=request_user(request), role=role, account=account)
    return services.company_get()
