"""/api/v1/receivables/bank-statements: the company's bank accounts and how their statement
files are read, importing a file (dry run or commit), the lines and their queue, confirming
many lines as receipts at once and ignoring lines."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, FilterSchema, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import MAX_AMOUNT, MAX_ITEMS, column_field, query_field
from suanpan.core.listing import PageNumbers, capped_pagination
from suanpan.core.spreadsheets import ENCODINGS, MAX_BYTES
from suanpan.receivables import selectors, services
from suanpan.receivables.calculations.bank_layouts import PRESETS
from suanpan.receivables.choices import BankLineStatus, SuggestionReason
from suanpan.receivables.errors import StatementInvalid
from suanpan.receivables.models import BankAccount, BankLine
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["bank statements"])

HEADER = Field("", max_length=100)
HeaderText = Annotated[str, Field(max_length=100)]


class BankAccountOut(Schema):
    id: int
    name: str
    bank_name: str
    account_number: str
    is_active: bool
    notes: str
    has_mapping: bool

    @staticmethod
    def resolve_has_mapping(obj: BankAccount) -> bool:
        return bool(obj.statement_mapping)


class BankAccountIn(Schema):
    name: str = column_field(BankAccount, "name")
    account_number: str = column_field(BankAccount, "account_number")
    bank_name: str = column_field(BankAccount, "bank_name", "")
    notes: str = column_field(BankAccount, "notes", "")


class MappingSchema(Schema):
    """How a statement file is read: columns named by their header text."""

    date: str = Field(..., max_length=100, description="The date (and maybe time) column.")
    time: str = HEADER
    credit: str = Field("", max_length=100, description="Money received (贷方).")
    debit: str = Field("", max_length=100, description="Money paid out (借方).")
    amount: str = Field("", max_length=100, description="A signed amount, or with direction.")
    direction: str = Field("", max_length=100, description="借/贷 or 收/付 beside the amount.")
    balance: str = HEADER
    counterparty_name: str = HEADER
    counterparty_account: str = HEADER
    counterparty_bank: str = HEADER
    summary: list[HeaderText] = Field(
        [], max_length=10, description="Columns joined into the summary (摘要, 用途, 附言, 备注)."
    )
    serial: str = Field("", max_length=100, description="The bank serial (交易流水号).")
    header_row: int = Field(0, ge=0, le=1000, description="0: found by the headers.")
    skip_footer: int = Field(0, ge=0, le=1000)
    date_format: str = Field("", max_length=40, description="strptime, e.g. %Y%m%d; blank: any.")


class MappingOut(Schema):
    bank_account_id: int
    mapping: MappingSchema | None


class PresetOut(Schema):
    code: str
    bank: str
    mapping: MappingSchema


class StatementImportIn(Schema):
    bank_account_id: int
    preset: str = Field("", max_length=10, description="ccb, cmb, abc, icbc or cmbc.")
    encoding: str = Field("", max_length=40, description="A CSV's encoding; blank: detected.")
    commit: bool = False


class StatementReportOut(Schema):
    file_name: str
    preset: str
    header_row: int
    mapping: dict[str, Any]
    row_count: int
    incoming: int
    outgoing: int
    duplicates: int
    added: int
    suggested: int
    footer_rows: int
    errors: list[str]
    committed: bool
    import_id: int | None
    amount_received: Decimal


class BankLineOut(Schema):
    id: int
    bank_account_id: int
    statement_import_id: int
    row_number: int
    booked_on: date
    booked_at: time | None
    amount: Decimal
    balance: Decimal | None
    counterparty_name: str
    counterparty_account: str
    counterparty_bank: str
    summary: str
    serial: str
    status: BankLineStatus
    receipt_id: int | None
    receipt_number: str
    ignore_reason: str
    handled_at: datetime | None
    suggested_customer_id: int | None
    suggested_customer_name: str
    suggestion_reason: SuggestionReason | None
    suggestion_detail: str
    suggested_allocations: list[tuple[int, Decimal]]

    @staticmethod
    def resolve_receipt_number(obj: BankLine) -> str:
        return obj.receipt.number if obj.receipt else ""

    @staticmethod
    def resolve_suggested_customer_name(obj: BankLine) -> str:
        return obj.suggested_customer.name if obj.suggested_customer else ""

    @staticmethod
    def resolve_suggestion_reason(obj: BankLine) -> str | None:
        return obj.suggestion_reason or None


class BankLineFilters(FilterSchema):
    q: str | None = query_field(description="Counterparty, its account, summary or bank serial")
    status: BankLineStatus | None = None
    bank_account: int | None = None
    statement_import: int | None = None
    booked_from: date | None = None
    booked_to: date | None = None
    ordering: str | None = query_field(
        description="date, amount or counterparty; prefix - for descending"
    )


class AllocationIn(Schema):
    item_id: int = Field(..., description="An open item the customer owes (an invoice's).")
    amount: Decimal = Field(..., gt=0, le=MAX_AMOUNT, decimal_places=2)


class LineConfirmIn(Schema):
    line_id: int
    customer_id: int
    allocations: list[AllocationIn] = Field([], max_length=MAX_ITEMS)


class LinesConfirmIn(Schema):
    lines: list[LineConfirmIn] = Field(..., min_length=1, max_length=MAX_ITEMS)


class LineIgnoreIn(Schema):
    reason: str = column_field(BankLine, "ignore_reason")


def _account(pk: int) -> BankAccount:
    return selectors.bank_account_get(pk=pk)


@router.get("/accounts", response=list[BankAccountOut], summary="List the company's bank accounts")
@paginate(PageNumbers, page_size=50)
@api_permission("receivables.view_bankaccount")
def bank_account_list(request: HttpRequest, active: bool = True) -> Any:
    return selectors.bank_accounts(active_only=active)


@router.post("/accounts", response={201: BankAccountOut}, summary="Add a bank account")
@api_permission("receivables.add_bankaccount")
def bank_account_create(request: HttpRequest, payload: BankAccountIn) -> Any:
    account = services.bank_account_create(
        data=services.BankAccountInput(**payload.dict()), actor=request_user(request)
    )
    return Status(201, account)


@router.get("/presets", response=list[PresetOut], summary="The banks' layouts known")
@api_permission("receivables.add_statementimport")
def preset_list(request: HttpRequest) -> Any:
    return [
        {"code": p.code, "bank": p.bank, "mapping": p.mapping.as_dict()} for p in PRESETS.values()
    ]


@router.get(
    "/accounts/{int:pk}/mapping",
    response=MappingOut,
    summary="How the account's statement files are read (null: by the layout they match)",
)
@api_permission("receivables.view_bankaccount")
def mapping_get(request: HttpRequest, pk: int) -> Any:
    account = _account(pk)
    return {"bank_account_id": account.pk, "mapping": account.statement_mapping or None}


@router.put(
    "/accounts/{int:pk}/mapping", response=MappingOut, summary="Save the account's column mapping"
)
@api_permission("receivables.add_statementimport")
def mapping_put(request: HttpRequest, pk: int, payload: MappingSchema) -> Any:
    account = services.bank_account_mapping_save(
        bank_account=_account(pk), mapping=payload.dict(), actor=request_user(request)
    )
    return {"bank_account_id": account.pk, "mapping": account.statement_mapping or None}


@router.delete(
    "/accounts/{int:pk}/mapping",
    response=MappingOut,
    summary="Forget the account's column mapping",
)
@api_permission("receivables.add_statementimport")
def mapping_delete(request: HttpRequest, pk: int) -> Any:
    account = services.bank_account_mapping_save(
        bank_account=_account(pk), mapping={}, actor=request_user(request)
    )
    return {"bank_account_id": account.pk, "mapping": None}


@router.post(
    "/imports",
    response=StatementReportOut,
    summary="Check a statement file (dry run), or import its new lines with commit",
)
@api_permission("receivables.add_statementimport")
def statement_import(
    request: HttpRequest, file: File[UploadedFile], data: Form[StatementImportIn]
) -> Any:
    if data.encoding and data.encoding not in ENCODINGS:
        raise StatementInvalid(
            reason=_("unknown encoding"), fields={"encoding": [_("Choose a known encoding.")]}
        )
    if file.size is not None and file.size > MAX_BYTES:
        raise StatementInvalid(reason=_("the file is too large"))
    account = _account(data.bank_account_id)
    report = services.statement_import(
        bank_account=account,
        data=file.read(MAX_BYTES + 1),
        filename=file.name or "statement.xlsx",
        preset=data.preset,
        encoding=data.encoding or None,
        commit=data.commit,
        actor=request_user(request),
    )
    return report.as_dict()


@router.get("/lines", response=list[BankLineOut], summary="List statement lines (the queue)")
@paginate(capped_pagination("bank lines"))
@api_permission("receivables.view_bankline")
def bank_line_list(request: HttpRequest, filters: Query[BankLineFilters]) -> Any:
    return filtered_rows(
        selectors.bank_line_list(user=request_user(request), filters=filter_params(filters))
    )


@router.get("/lines/{int:pk}", response=BankLineOut, summary="Retrieve a statement line")
@api_permission("receivables.view_bankline")
def bank_line_get(request: HttpRequest, pk: int) -> Any:
    return selectors.bank_line_get(user=request_user(request), pk=pk)


@router.post(
    "/lines/confirm",
    response=list[BankLineOut],
    summary="Confirm lines as receipts, many at once (all or none)",
)
@api_permission("receivables.add_receipt")
def bank_lines_confirm(request: HttpRequest, payload: LinesConfirmIn) -> Any:
    actor = request_user(request)
    services.bank_lines_confirm(
        lines=[
            services.LineConfirm(
                line_id=entry.line_id,
                customer_id=entry.customer_id,
                allocations=tuple(
                    services.Allocation(item_id=a.item_id, amount=a.amount)
                    for a in entry.allocations
                ),
            )
            for entry in payload.lines
        ],
        actor=actor,
    )
    return selectors.bank_lines_get(user=actor, pks=[entry.line_id for entry in payload.lines])


@router.post("/lines/{int:pk}/ignore", response=BankLineOut, summary="Set a line aside")
@api_permission("receivables.add_receipt")
def bank_line_ignore(request: HttpRequest, pk: int, payload: LineIgnoreIn) -> Any:
    actor = request_user(request)
    services.bank_line_ignore(
        line=selectors.bank_line_get(user=actor, pk=pk), reason=payload.reason, actor=actor
    )
    return selectors.bank_line_get(user=actor, pk=pk)
