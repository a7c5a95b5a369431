"""/api/v1/ledger/vouchers: drafts, review, posting and reversal. Lines name accounts by code and
customers by number."""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.errors import DomainError, ValidationFailed
from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import query_field
from suanpan.core.listing import PageNumbers
from suanpan.ledger import selectors, services
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.choices import (
    VoucherStatus,
    VoucherWord,
)
from suanpan.ledger.models import Voucher, VoucherLine
from suanpan.ledger.services import LineInput
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["ledger"])


# As many digits as the voucher page's debit and credit fields take (16, two of them decimals);
# a negative amount is a red-ink entry.
MAX_LINE_AMOUNT = Decimal("99999999999999.99")


class VoucherLineIn(Schema):
    account: str = Field(min_length=1, max_length=30, description="Account code, e.g. 1122.01")
    customer: str | None = Field(None, max_length=30, description="Customer number")
    debit: Decimal = Field(Decimal("0"), ge=-MAX_LINE_AMOUNT, le=MAX_LINE_AMOUNT, decimal_places=2)
    credit: Decimal = Field(Decimal("0"), ge=-MAX_LINE_AMOUNT, le=MAX_LINE_AMOUNT, decimal_places=2)
    summary: str = Field("", max_length=200)
    due_on: date | None = None
    cash_flow_item: str | None = Field(
        None,
        max_length=20,
        description="Cash-flow item code (CF101 …), cash and bank lines only; left out, posting "
        "fills in the item of the counter-account",
    )


class VoucherIn(Schema):
    date: date
    summary: str = Field(min_length=1, max_length=200)
    word: VoucherWord | None = None
    attachments: int = Field(0, ge=0, le=999)
    lines: list[VoucherLineIn] = Field(min_length=2, max_length=200)


class AccountLineOut(Schema):
    """A numbered line on an account (a voucher's, a transfer template's): the account by code
    and name."""

    line_no: int
    account: str
    account_name: str

    @staticmethod
    def resolve_account(obj: Any) -> str:
        return str(obj.account.code)

    @staticmethod
    def resolve_account_name(obj: Any) -> str:
        return str(obj.account.name)


class VoucherLineOut(AccountLineOut):
    customer: str | None
    customer_name: str | None
    summary: str
    debit: Decimal
    credit: Decimal
    due_on: date | None
    cash_flow_item: str | None

    @staticmethod
    def resolve_cash_flow_item(obj: VoucherLine) -> str | None:
        tag = getattr(obj, "cash_flow_tag", None)
        return tag.item.code if tag is not None else None

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
    lines: list[VoucherLineOut]

    @staticmethod
    def resolve_lines(obj: Voucher) -> list[VoucherLine]:
        return selectors.voucher_lines(voucher=obj)


class VoucherFilters(Schema):
    period: str | None = query_field(description="YYYYMM")
    status: VoucherStatus | None = None
    word: VoucherWord | None = None
    account: str | None = query_field(description="Account code; sub-accounts included")
    customer: str | None = query_field(description="Customer number")
    q: str | None = query_field(description="Text in the voucher or line summaries")
    date_from: date | None = None
    date_to: date | None = None
    ordering: str | None = query_field(
        description="date, number, word, summary, status or created; prefix - for descending"
    )


class ReverseIn(Schema):
    on: date | None = Field(None, description="Date of the red voucher; today by default")
    summary: str = Field("", max_length=200)


def _lines(lines: list[VoucherLineIn]) -> list[LineInput]:
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
        item = None
        if line.cash_flow_item:
            item = selectors.cash_flow_item_by_code(code=line.cash_flow_item)
            if item is None:
                errors[f"lines.{index}.cash_flow_item"] = [
                    _("No cash-flow item %(code)s.") % {"code": line.cash_flow_item}
                ]
        if account is not None:
            result.append(
                LineInput(
                    account,
                    line.debit,
                    line.credit,
                    dimension,
                    line.summary,
                    line.due_on,
                    cash_flow_item=item,
                )
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


def _voucher_write(
    request: HttpRequest, payload: VoucherIn, write: Callable[..., Voucher], **target: Any
) -> Voucher:
    """Create or replace a draft (`write`) from the payload's header and lines."""
    try:
        return write(
            actor=request_user(request),
            date=payload.date,
            summary=payload.summary,
            word=payload.word,
            attachments=payload.attachments,
            lines=_lines(payload.lines),
            **target,
        )
    except DomainError as exc:
        raise _api_fields(exc) from None


def _voucher(pk: int) -> Voucher:
    return selectors.voucher_get(pk=pk)


@router.get(
    "/vouchers",
    response=list[VoucherListOut],
    summary="List vouchers",
    operation_id="suanpan_ledger_api_voucher_list",
)
@paginate(PageNumbers, page_size=50)
@api_permission("ledger.view_voucher")
def voucher_list(request: HttpRequest, filters: Query[VoucherFilters]) -> Any:
    return filtered_rows(selectors.voucher_list(filters=filter_params(filters)))


@router.post(
    "/vouchers",
    response={201: VoucherOut},
    summary="Create a draft voucher",
    operation_id="suanpan_ledger_api_voucher_create",
)
@api_permission("ledger.add_voucher")
def voucher_create(request: HttpRequest, payload: VoucherIn) -> Any:
    services.company_get()  # no books: say so, rather than that no account exists
    voucher = _voucher_write(request, payload, services.voucher_create)
    return Status(201, _voucher(voucher.pk))


@router.get(
    "/vouchers/{int:pk}",
    response=VoucherOut,
    summary="Retrieve a voucher",
    operation_id="suanpan_ledger_api_voucher_get",
)
@api_permission("ledger.view_voucher")
def voucher_get(request: HttpRequest, pk: int) -> Any:
    return _voucher(pk)


@router.put(
    "/vouchers/{int:pk}",
    response=VoucherOut,
    summary="Replace a draft voucher",
    operation_id="suanpan_ledger_api_voucher_update",
)
@api_permission("ledger.change_voucher")
def voucher_update(request: HttpRequest, pk: int, payload: VoucherIn) -> Any:
    _voucher_write(request, payload, services.voucher_update, voucher=_voucher(pk))
    return _voucher(pk)


@router.delete(
    "/vouchers/{int:pk}",
    response={204: None},
    summary="Delete a draft voucher",
    operation_id="suanpan_ledger_api_voucher_delete",
)
@api_permission("ledger.delete_voucher")
def voucher_delete(request: HttpRequest, pk: int) -> Any:
    services.voucher_delete(actor=request_user(request), voucher=_voucher(pk))
    return Status(204, None)


@router.post(
    "/vouchers/{int:pk}/review",
    response=VoucherOut,
    summary="Review a draft",
    operation_id="suanpan_ledger_api_voucher_review",
)
@api_permission("ledger.review_voucher")
def voucher_review(request: HttpRequest, pk: int) -> Any:
    services.voucher_review(actor=request_user(request), voucher=_voucher(pk))
    return _voucher(pk)


@router.post(
    "/vouchers/{int:pk}/unreview",
    response=VoucherOut,
    summary="Withdraw a review",
    operation_id="suanpan_ledger_api_voucher_unreview",
)
@api_permission("ledger.review_voucher")
def voucher_unreview(request: HttpRequest, pk: int) -> Any:
    services.voucher_unreview(actor=request_user(request), voucher=_voucher(pk))
    return _voucher(pk)


@router.post(
    "/vouchers/{int:pk}/post",
    response=VoucherOut,
    summary="Post a reviewed voucher",
    operation_id="suanpan_ledger_api_voucher_post",
)
@api_permission("ledger.post_voucher")
def voucher_post(request: HttpRequest, pk: int) -> Any:
    services.voucher_post(actor=request_user(request), voucher=_voucher(pk))
    return _voucher(pk)


@router.post(
    "/vouchers/{int:pk}/reverse",
    response={201: VoucherOut},
    summary="Reverse a posted voucher with a red one",
    operation_id="suanpan_ledger_api_voucher_reverse",
)
@api_permission("ledger.reverse_voucher")
def voucher_reverse(request: HttpRequest, pk: int, payload: ReverseIn | None = None) -> Any:
    red = services.voucher_reverse(
        actor=request_user(request),
        voucher=_voucher(pk),
        on=payload.on if payload else None,
        summary=payload.summary if payload else "",
    )
    return Status(201, _voucher(red.pk))
