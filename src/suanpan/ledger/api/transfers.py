"""/api/v1/ledger: period-end transfers (期末结转) per month — preview and post each — and the
transfer templates. The same services, selectors and permissions as the pages; accounts are
named by code."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from suanpan.core.errors import ValidationFailed
from suanpan.ledger import selectors, services
from suanpan.ledger.api.vouchers import AccountLineOut
from suanpan.ledger.choices import Direction, TransferBasis, TransferKind, VoucherStatus
from suanpan.ledger.models import Account, TransferTemplate, TransferTemplateLine, Voucher
from suanpan.ledger.services import TemplateInput, TemplateLineInput
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["ledger"])
# 202601 or 2026-01.
PERIOD_KEY_MAX_LENGTH = 7
MAX_TEMPLATE_LINES = 50


class StandardTransfer(StrEnum):
    """The transfers every company has; templates are addressed by id."""

    VAT = TransferKind.VAT.value
    PNL = TransferKind.PNL.value
    YEAR_END = TransferKind.YEAR_END.value


class TransferLineOut(Schema):
    account: str
    account_name: str
    customer: str | None
    customer_name: str | None
    summary: str
    debit: Decimal
    credit: Decimal


class TransferFigureOut(Schema):
    label: str
    amount: Decimal


class TransferVoucherOut(Schema):
    id: int
    number: str | None = Field(description="e.g. 转-202601-0002")
    date: date
    status: VoucherStatus
    reverses_id: int | None

    @staticmethod
    def resolve_number(obj: Voucher) -> str | None:
        return obj.display_number if obj.number is not None else None


class TransferPreviewOut(Schema):
    key: str = Field(description="vat, pnl, year-end or template:<id>")
    kind: TransferKind
    template_id: int | None
    label: str
    period: str
    date: date  # the voucher's date: the month's last day
    summary: str
    lines: list[TransferLineOut] = Field(description="What posting would add; empty: nothing")
    debit_total: Decimal
    credit_total: Decimal
    figures: list[TransferFigureOut]
    unavailable: str = Field(description="Why the transfer does not apply; empty when it does")
    error: str = Field(description="Why it cannot run (a template that does not balance)")
    blocked_by: list[str] = Field(description="Transfers to run first")
    can_post: bool
    vouchers: list[TransferVoucherOut] = Field(description="Vouchers earlier runs posted")


class TransferPostOut(Schema):
    posted: bool = Field(description="False: nothing was left to post")
    voucher: TransferVoucherOut | None


def _preview_out(preview: selectors.TransferPreview) -> dict[str, Any]:
    return {
        "key": preview.key,
        "kind": preview.kind,
        "template_id": preview.template.pk if preview.template else None,
        "label": preview.label,
        "period": preview.period.key,
        "date": selectors.period_last_day(preview.period),
        "summary": preview.summary,
        "lines": [
            {
                "account": line.account.code,
                "account_name": line.account.name,
                "customer": line.dimension.code if line.dimension else None,
                "customer_name": line.dimension.name if line.dimension else None,
                "summary": line.summary,
                "debit": line.debit,
                "credit": line.credit,
            }
            for line in preview.lines
        ],
        "debit_total": preview.debit_total,
        "credit_total": preview.credit_total,
        "figures": [{"label": f.label, "amount": f.amount} for f in preview.figures],
        "unavailable": preview.unavailable,
        "error": preview.error,
        "blocked_by": preview.blocked_by,
        "can_post": preview.can_post,
        "vouchers": preview.vouchers,
    }


def _post_out(voucher: Voucher | None) -> dict[str, Any]:
    return {"posted": voucher is not None, "voucher": voucher}


@router.get(
    "/periods/{key}/transfers",
    response=list[TransferPreviewOut],
    summary="Preview every period-end transfer of a month, in the order they run",
    operation_id="suanpan_ledger_api_transfer_overview",
)
@api_permission("ledger.view_transfertemplate")
def transfer_overview(
    request: HttpRequest, key: str = Path(..., max_length=PERIOD_KEY_MAX_LENGTH)
) -> Any:
    period = selectors.transfer_period(key=key)
    return [_preview_out(p) for p in selectors.transfer_overview(period=period)]


@router.get(
    "/periods/{key}/transfers/templates/{int:pk}",
    response=TransferPreviewOut,
    summary="Preview a transfer template's voucher for a month",
    operation_id="suanpan_ledger_api_transfer_template_preview",
)
@api_permission("ledger.view_transfertemplate")
def transfer_template_preview(
    request: HttpRequest, pk: int, key: str = Path(..., max_length=PERIOD_KEY_MAX_LENGTH)
) -> Any:
    period = selectors.transfer_period(key=key)
    template = selectors.transfer_template_get(pk=pk)
    return _preview_out(
        selectors.transfer_preview(period=period, kind=TransferKind.TEMPLATE, template=template)
    )


@router.post(
    "/periods/{key}/transfers/templates/{int:pk}/post",
    response=TransferPostOut,
    summary="Post a transfer template's voucher for a month (only the difference on a re-run)",
    operation_id="suanpan_ledger_api_transfer_template_post",
)
@api_permission("ledger.run_transfer")
def transfer_template_post(
    request: HttpRequest, pk: int, key: str = Path(..., max_length=PERIOD_KEY_MAX_LENGTH)
) -> Any:
    period = selectors.transfer_period(key=key)
    template = selectors.transfer_template_get(pk=pk)
    voucher = services.transfer_post(
        actor=request_user(request), period=period, kind=TransferKind.TEMPLATE, template=template
    )
    return _post_out(voucher)


@router.get(
    "/periods/{key}/transfers/{kind}",
    response=TransferPreviewOut,
    summary="Preview a month's VAT, profit-and-loss or year-end transfer",
    operation_id="suanpan_ledger_api_transfer_preview",
)
@api_permission("ledger.view_transfertemplate")
def transfer_preview(
    request: HttpRequest,
    kind: StandardTransfer,
    key: str = Path(..., max_length=PERIOD_KEY_MAX_LENGTH),
) -> Any:
    period = selectors.transfer_period(key=key)
    return _preview_out(selectors.transfer_preview(period=period, kind=kind.value))


@router.post(
    "/periods/{key}/transfers/{kind}/post",
    response=TransferPostOut,
    summary="Post a month's VAT, profit-and-loss or year-end transfer (only the difference "
    "on a re-run)",
    operation_id="suanpan_ledger_api_transfer_post",
)
@api_permission("ledger.run_transfer")
def transfer_post(
    request: HttpRequest,
    kind: StandardTransfer,
    key: str = Path(..., max_length=PERIOD_KEY_MAX_LENGTH),
) -> Any:
    period = selectors.transfer_period(key=key)
    voucher = services.transfer_post(actor=request_user(request), period=period, kind=kind.value)
    return _post_out(voucher)


# ------------------------------------------------------------------------------ templates


class TransferTemplateLineIn(Schema):
    account: str = Field(min_length=1, max_length=30, description="Leaf account code posted")
    direction: Direction
    basis: TransferBasis
    source_account: str | None = Field(
        None, max_length=30, description="The account a percentage reads (its sub-accounts too)"
    )
    rate: Decimal | None = Field(
        None, gt=0, le=1, decimal_places=6, description="A fraction: 0.07 for 7 %"
    )
    summary: str = Field("", max_length=200)


class TransferTemplateIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    summary: str = Field("", max_length=200, description="Voucher summary; empty: the name")
    sequence: int = Field(10, ge=0, le=32767, description="Templates run lowest first")
    is_active: bool = True
    lines: list[TransferTemplateLineIn] = Field(min_length=2, max_length=MAX_TEMPLATE_LINES)


class TransferTemplateLineOut(AccountLineOut):
    direction: Direction
    basis: TransferBasis
    source_account: str | None
    rate: Decimal | None
    summary: str

    @staticmethod
    def resolve_source_account(obj: TransferTemplateLine) -> str | None:
        return obj.source_account.code if obj.source_account else None


class TransferTemplateOut(Schema):
    id: int
    name: str
    summary: str
    sequence: int
    is_active: bool
    created_by: str
    created_at: datetime
    updated_at: datetime
    lines: list[TransferTemplateLineOut]

    @staticmethod
    def resolve_created_by(obj: TransferTemplate) -> str:
        return str(obj.created_by)

    @staticmethod
    def resolve_lines(obj: TransferTemplate) -> list[TransferTemplateLine]:
        return list(obj.lines.all())


class TransferHistoryChangeOut(Schema):
    field: str
    old: str
    new: str


class TransferHistoryEntryOut(Schema):
    at: datetime
    user: str | None
    type: str = Field(description="+ created, ~ changed, - deleted")
    subject: str | None = Field(description="Empty for the template, “Line 2” for a line")
    changes: list[TransferHistoryChangeOut]


def _account(code: str | None, errors: dict[str, list[str]], field: str) -> Account | None:
    if not code:
        return None
    account = selectors.account_by_code(code=code)
    if account is None:
        errors[field] = [_("No account with the code %(code)s.") % {"code": code}]
    return account


def _template_input(payload: TransferTemplateIn) -> TemplateInput:
    """Codes to accounts, every unknown one named by its line."""
    errors: dict[str, list[str]] = {}
    lines = []
    for index, line in enumerate(payload.lines):
        account = _account(line.account, errors, f"lines.{index}.account")
        source = _account(line.source_account, errors, f"lines.{index}.source_account")
        if account is not None:
            lines.append(
                TemplateLineInput(
                    account=account,
                    direction=line.direction,
                    basis=line.basis,
                    source_account=source,
                    rate=line.rate,
                    summary=line.summary,
                )
            )
    if errors:
        raise ValidationFailed(fields=errors)
    return TemplateInput(
        name=payload.name,
        summary=payload.summary,
        sequence=payload.sequence,
        is_active=payload.is_active,
        lines=lines,
    )


@router.get(
    "/transfer-templates",
    response=list[TransferTemplateOut],
    summary="List transfer templates in the order they run",
    operation_id="suanpan_ledger_api_transfer_template_list",
)
@api_permission("ledger.view_transfertemplate")
def transfer_template_list(request: HttpRequest, active: bool | None = None) -> Any:
    services.company_get()
    return selectors.transfer_template_list(active=active)


@router.post(
    "/transfer-templates",
    response={201: TransferTemplateOut},
    summary="Create a transfer template",
    operation_id="suanpan_ledger_api_transfer_template_create",
)
@api_permission("ledger.add_transfertemplate")
def transfer_template_create(request: HttpRequest, payload: TransferTemplateIn) -> Any:
    services.company_get()
    template = services.transfer_template_create(
        actor=request_user(request), data=_template_input(payload)
    )
    return Status(201, selectors.transfer_template_get(pk=template.pk))


@router.get(
    "/transfer-templates/{int:pk}",
    response=TransferTemplateOut,
    summary="Retrieve a transfer template",
    operation_id="suanpan_ledger_api_transfer_template_get",
)
@api_permission("ledger.view_transfertemplate")
def transfer_template_get(request: HttpRequest, pk: int) -> Any:
    return selectors.transfer_template_get(pk=pk)


@router.put(
    "/transfer-templates/{int:pk}",
    response=TransferTemplateOut,
    summary="Replace a transfer template and its lines",
    operation_id="suanpan_ledger_api_transfer_template_update",
)
@api_permission("ledger.change_transfertemplate")
def transfer_template_update(request: HttpRequest, pk: int, payload: TransferTemplateIn) -> Any:
    template = selectors.transfer_template_get(pk=pk)
    services.transfer_template_update(
        actor=request_user(request), template=template, data=_template_input(payload)
    )
    return selectors.transfer_template_get(pk=pk)


@router.delete(
    "/transfer-templates/{int:pk}",
    response={204: None},
    summary="Delete a transfer template that has not posted",
    operation_id="suanpan_ledger_api_transfer_template_delete",
)
@api_permission("ledger.delete_transfertemplate")
def transfer_template_delete(request: HttpRequest, pk: int) -> Any:
    services.transfer_template_delete(
        actor=request_user(request), template=selectors.transfer_template_get(pk=pk)
    )
    return Status(204, None)


@router.get(
    "/transfer-templates/{int:pk}/history",
    response=list[TransferHistoryEntryOut],
    summary="Who changed a transfer template and its lines, newest first",
    operation_id="suanpan_ledger_api_transfer_template_history",
)
@api_permission("ledger.view_transfertemplate")
def transfer_template_history(request: HttpRequest, pk: int) -> Any:
    template = selectors.transfer_template_get(pk=pk)
    return [
        {
            "at": entry["at"],
            "user": str(entry["user"]) if entry["user"] else None,
            "type": entry["type"],
            "subject": entry["subject"],
            "changes": [
                {"field": c["field"], "old": _text(c["old"]), "new": _text(c["new"])}
                for c in entry["changes"]
            ],
        }
        for entry in selectors.transfer_template_history(template=template)
    ]


def _text(value: Any) -> str:
    return "" if value is None else str(value)
