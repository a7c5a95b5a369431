"""/api/v1/receivables/statements: customer statements (对账单) and balance confirmations
(询证函), with the same services, selectors and rules as the pages."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import column_field, query_field
from suanpan.core.listing import PageNumbers
from suanpan.core.transfer_pages import xlsx_response
from suanpan.receivables import selectors, services
from suanpan.receivables.choices import StatementAnswer, StatementKind, StatementStatus
from suanpan.receivables.models import Statement
from suanpan.receivables.services.statement_sheet import (
    statement_sheet_header,
    statement_sheet_rows,
)
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["statements"])


class CustomerStatementOut(Schema):
    id: int
    number: str
    customer_id: int
    customer_name: str
    kind: StatementKind
    start_on: date
    end_on: date
    opening_amount: Decimal = Field(..., description="Debit positive: what the customer owed.")
    closing_amount: Decimal = Field(..., description="As the books stood when it was made.")
    status: StatementStatus
    sent_at: datetime | None
    sent_to: str
    answered_at: datetime | None
    answered_online: bool
    answer_notes: str
    created_at: datetime

    @staticmethod
    def resolve_customer_name(obj: Statement) -> str:
        return obj.customer.name


class CustomerStatementIn(Schema):
    customer_id: int
    start_on: date
    end_on: date
    kind: StatementKind = StatementKind.STATEMENT


class CustomerStatementSendIn(Schema):
    email: str = column_field(Statement, "sent_to")


class CustomerStatementMarkIn(Schema):
    answer: StatementAnswer
    notes: str = column_field(Statement, "answer_notes", "")


class CustomerStatementFilters(FilterSchema):
    q: str | None = query_field(description="Statement number or customer")
    status: StatementStatus | None = None
    kind: StatementKind | None = None
    customer: int | None = None
    ordering: str | None = query_field(
        description="created, number, customer, end or closing; prefix - for descending"
    )


FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "The statement as a file",
            "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        }
    }
}


def _get(request: HttpRequest, pk: int) -> Statement:
    return selectors.statement_get(user=request_user(request), pk=pk)


@router.get("", response=list[CustomerStatementOut], summary="List statements")
@paginate(PageNumbers, page_size=50)
@api_permission("receivables.view_statement")
def statement_list(request: HttpRequest, filters: Query[CustomerStatementFilters]) -> Any:
    return filtered_rows(
        selectors.statement_list(user=request_user(request), filters=filter_params(filters))
    )


@router.get("/{int:pk}", response=CustomerStatementOut, summary="Retrieve a statement")
@api_permission("receivables.view_statement")
def statement_get(request: HttpRequest, pk: int) -> Any:
    return _get(request, pk)


@router.post(
    "",
    response={201: CustomerStatementOut},
    summary="Make a statement or balance confirmation of a customer's account over a period",
)
@api_permission("receivables.add_statement")
def statement_create(request: HttpRequest, payload: CustomerStatementIn) -> Any:
    statement = services.statement_create(
        data=services.StatementInput(**payload.dict()), actor=request_user(request)
    )
    return Status(201, _get(request, statement.pk))


@router.get(
    "/{int:pk}/pdf",
    summary="The statement as an A4 PDF",
    response={200: None},
    openapi_extra=FILE_RESPONSE,
)
@api_permission("receivables.view_statement")
def statement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _get(request, pk)
    response = HttpResponse(services.statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{statement.number}.pdf"'
    return response


@router.get(
    "/{int:pk}/xlsx",
    summary="The statement's lines as an xlsx workbook",
    response={200: None},
    openapi_extra=FILE_RESPONSE,
)
@api_permission("receivables.view_statement")
def statement_xlsx(request: HttpRequest, pk: int) -> HttpResponseBase:
    statement = _get(request, pk)
    return xlsx_response(
        filename=statement.number,
        title=statement.number,
        header=statement_sheet_header(),
        rows=statement_sheet_rows(statement),
    )


@router.post(
    "/{int:pk}/send",
    response=CustomerStatementOut,
    summary="E-mail the statement with its PDF and the customer's answer link",
)
@api_permission("receivables.add_statement")
def statement_send(request: HttpRequest, pk: int, payload: CustomerStatementSendIn) -> Any:
    services.statement_send(
        statement=_get(request, pk),
        email=payload.email,
        actor=request_user(request),
        site_url=request.build_absolute_uri("/"),
    )
    return _get(request, pk)


@router.post(
    "/{int:pk}/mark",
    response=CustomerStatementOut,
    summary="Record the customer's answer: confirmed, or disputed with notes",
)
@api_permission("receivables.change_statement")
def statement_mark(request: HttpRequest, pk: int, payload: CustomerStatementMarkIn) -> Any:
    services.statement_mark(
        statement=_get(request, pk),
        answer=payload.answer,
        notes=payload.notes,
        actor=request_user(request),
    )
    return _get(request, pk)
