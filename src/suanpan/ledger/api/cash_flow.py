"""/api/v1/ledger/statements/cash-flow: the cash-flow items (现金流量项目) of posted cash and
bank lines — the items, the item a line takes by default from its counter-account, the lines
with their items, tagging and defaults. Operation ids keep the names they were published under
when these routes lived in `statements`."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from suanpan.core.errors import ValidationFailed
from suanpan.core.limits import query_field
from suanpan.core.listing import PageNumbers
from suanpan.ledger import selectors, services
from suanpan.ledger.api.statements import VIEW, period_param
from suanpan.ledger.choices import CashFlowActivity, CashFlowDirection, CashFlowTagSource
from suanpan.ledger.models import VoucherLine
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["ledger statements"])


class CashFlowItemOut(Schema):
    code: str
    name: str
    activity: CashFlowActivity
    direction: CashFlowDirection
    is_active: bool


class CashFlowMappingRow(Schema):
    account: str = Field(min_length=1, max_length=30, description="Counter-account code")
    inflow: str = Field("", max_length=20, description="Item for money received")
    outflow: str = Field("", max_length=20, description="Item for money paid")


class CashFlowMappingIn(Schema):
    rows: list[CashFlowMappingRow] = Field(max_length=500)


class CashFlowMappingOut(Schema):
    stored: bool
    rows: list[CashFlowMappingRow]


class CashFlowLinesQuery(Schema):
    period_from: str | None = query_field(description="First month, e.g. 2026-01")
    period_to: str | None = query_field(description="Last month")
    untagged_only: bool = True


class CashFlowLineOut(Schema):
    id: int
    voucher_id: int
    voucher: str
    date: str
    summary: str
    account: str
    amount: Decimal = Field(description="Money in positive, out negative")
    item: str | None
    source: CashFlowTagSource | None

    @staticmethod
    def resolve_voucher(obj: VoucherLine) -> str:
        return obj.voucher.display_number

    @staticmethod
    def resolve_date(obj: VoucherLine) -> str:
        return obj.voucher.date.isoformat()

    @staticmethod
    def resolve_account(obj: VoucherLine) -> str:
        return obj.account.code

    @staticmethod
    def resolve_amount(obj: VoucherLine) -> Decimal:
        return Decimal(obj.debit_amount) - Decimal(obj.credit_amount)

    @staticmethod
    def resolve_item(obj: VoucherLine) -> str | None:
        tag = getattr(obj, "cash_flow_tag", None)
        return tag.item.code if tag else None

    @staticmethod
    def resolve_source(obj: VoucherLine) -> str | None:
        tag = getattr(obj, "cash_flow_tag", None)
        return tag.source if tag else None


class CashFlowTagsIn(Schema):
    lines: list[int] = Field(min_length=1, max_length=1000, description="Voucher line ids")
    item: str | None = Field(None, max_length=20, description="Item code; null takes tags off")


class CashFlowRangeIn(Schema):
    period_from: str = Field(max_length=7)
    period_to: str = Field(max_length=7)


class CashFlowCountOut(Schema):
    count: int


# ---------------------------------------------------------------------------- cash flow


@router.get(
    "/cash-flow/items",
    response=list[CashFlowItemOut],
    summary="The cash-flow items",
    operation_id="suanpan_ledger_api_statements_cash_flow_items",
)
@api_permission(VIEW)
def cash_flow_items(request: HttpRequest) -> Any:
    return selectors.cash_flow_items()


def _mapping_out() -> dict[str, Any]:
    rows, stored = selectors.cash_flow_mapping()
    return {
        "stored": stored,
        "rows": [
            {
                "account": r.account.code,
                "inflow": r.inflow.code if r.inflow else "",
                "outflow": r.outflow.code if r.outflow else "",
            }
            for r in rows
        ],
    }


@router.get(
    "/cash-flow/mapping",
    response=CashFlowMappingOut,
    summary="The item a cash line takes by default from its counter-account",
    operation_id="suanpan_ledger_api_statements_cash_flow_mapping_get",
)
@api_permission(VIEW)
def cash_flow_mapping_get(request: HttpRequest) -> Any:
    services.company_get()
    return _mapping_out()


@router.put(
    "/cash-flow/mapping",
    response=CashFlowMappingOut,
    summary="Replace the counter-account mapping",
    operation_id="suanpan_ledger_api_statements_cash_flow_mapping_put",
)
@api_permission("ledger.change_cashflowmapping")
def cash_flow_mapping_put(request: HttpRequest, payload: CashFlowMappingIn) -> Any:
    services.cash_flow_mapping_save(
        actor=request_user(request),
        rows=[services.MappingInput(r.account, r.inflow, r.outflow) for r in payload.rows],
    )
    return _mapping_out()


@router.get(
    "/cash-flow/lines",
    response=list[CashFlowLineOut],
    summary="Posted cash and bank lines with their cash-flow items",
    operation_id="suanpan_ledger_api_statements_cash_flow_lines",
)
@paginate(PageNumbers, page_size=50)
@api_permission(VIEW)
def cash_flow_lines(request: HttpRequest, query: Query[CashFlowLinesQuery]) -> Any:
    default = selectors.statement_month_default().key
    start = period_param(query.period_from or default, "period_from")
    end = period_param(query.period_to or query.period_from or default, "period_to")
    if (start.year, start.month) > (end.year, end.month):
        raise ValidationFailed(fields={"period_to": [_("The range ends before it starts.")]})
    return selectors.cash_flow_lines(
        period_from=start, period_to=end, untagged_only=query.untagged_only
    )


@router.post(
    "/cash-flow/tags",
    response=CashFlowCountOut,
    summary="Tag cash lines with an item",
    operation_id="suanpan_ledger_api_statements_cash_flow_tags",
)
@api_permission("ledger.change_cashflowtag")
def cash_flow_tags(request: HttpRequest, payload: CashFlowTagsIn) -> Any:
    item = None
    if payload.item:
        item = selectors.cash_flow_item_by_code(code=payload.item)
        if item is None:
            raise ValidationFailed(
                fields={"item": [_("No cash-flow item %(code)s.") % {"code": payload.item}]}
            )
    count = services.cash_flow_tags_set(
        actor=request_user(request), line_ids=payload.lines, item=item
    )
    return {"count": count}


@router.post(
    "/cash-flow/defaults",
    response=CashFlowCountOut,
    summary="Give untagged cash lines of a range their default items",
    operation_id="suanpan_ledger_api_statements_cash_flow_defaults",
)
@api_permission("ledger.change_cashflowtag")
def cash_flow_defaults(request: HttpRequest, payload: CashFlowRangeIn) -> Any:
    start = period_param(payload.period_from, "period_from")
    end = period_param(payload.period_to, "period_to")
    count = services.cash_flow_defaults_apply(
        actor=request_user(request), period_from=start, period_to=end
    )
    return {"count": count}
