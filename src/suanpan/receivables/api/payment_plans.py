"""/api/v1/receivables/payment-plans: contracts' instalments with what was invoiced and received
of each (filtered, a page at a time), one contract's plan, and the reminder setting."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import query_field
from suanpan.core.listing import API_MAX_PAGE_SIZE, API_PAGE_SIZE, MAX_PAGE
from suanpan.receivables import selectors, services
from suanpan.receivables.choices import PlanStatus
from suanpan.receivables.models.payment_plans import REMIND_DAYS_MAX
from suanpan.receivables.selectors import PlanRow
from suanpan.sales.selectors import contract_get
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["payment plans"])


class PaymentPlanInstalmentOut(Schema):
    instalment_id: int
    contract_id: int
    contract_number: str
    customer_id: int
    customer_name: str
    owner_id: int | None
    position: int
    description: str
    due_on: date
    planned_amount: Decimal
    invoiced_amount: Decimal = Field(..., description="Issued invoices, net of red letters.")
    received_amount: Decimal = Field(..., description="Settled against those invoices.")
    open_amount: Decimal = Field(..., description="Planned less received.")
    status: PlanStatus
    days_overdue: int


class PaymentPlanPageOut(Schema):
    items: list[PaymentPlanInstalmentOut]
    count: int


class PaymentPlanContractOut(Schema):
    contract_id: int
    contract_number: str
    customer_id: int
    planned_amount: Decimal
    invoiced_amount: Decimal
    received_amount: Decimal
    open_amount: Decimal
    instalments: list[PaymentPlanInstalmentOut]


class PaymentPlanFilters(Schema):
    q: str | None = query_field(description="Contract number or title, customer")
    customer: int | None = None
    contract: int | None = None
    owner: int | None = None
    status: PlanStatus | None = None
    due_from: date | None = None
    due_to: date | None = None
    ordering: str | None = query_field(
        description="due, contract, customer or amount; prefix - for descending"
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(API_PAGE_SIZE, ge=1, le=API_MAX_PAGE_SIZE)


class ReceivablesSettingsOut(Schema):
    remind_days_before: int


class ReceivablesSettingsIn(Schema):
    remind_days_before: int = Field(..., ge=0, le=REMIND_DAYS_MAX)


def _out(row: PlanRow) -> dict[str, Any]:
    instalment = row.instalment
    contract = instalment.contract
    return {
        "instalment_id": instalment.pk,
        "contract_id": contract.pk,
        "contract_number": contract.number,
        "customer_id": contract.customer_id,
        "customer_name": contract.customer.name,
        "owner_id": contract.owner_id,
        "position": instalment.position,
        "description": instalment.description,
        "due_on": instalment.due_on,
        "planned_amount": row.figures.planned,
        "invoiced_amount": row.figures.invoiced,
        "received_amount": row.figures.received,
        "open_amount": row.figures.open,
        "status": row.figures.status,
        "days_overdue": row.figures.days_overdue,
    }


@router.get("", response=PaymentPlanPageOut, summary="List payment plan instalments")
@api_permission("receivables.view_receipt")
def payment_plan_list(request: HttpRequest, filters: Query[PaymentPlanFilters]) -> Any:
    params = filter_params(filters)
    page, size = params.pop("page"), params.pop("page_size")
    rows = filtered_rows(selectors.payment_plans(user=request_user(request), filters=params))
    offset = (page - 1) * size
    return {
        "items": [_out(row) for row in selectors.plan_rows(list(rows[offset : offset + size]))],
        "count": rows.count(),
    }


@router.get(
    "/contracts/{int:pk}", response=PaymentPlanContractOut, summary="Retrieve a contract's plan"
)
@api_permission("receivables.view_receipt")
def payment_plan_get(request: HttpRequest, pk: int) -> Any:
    contract = contract_get(user=request_user(request), pk=pk)
    plan = selectors.payment_plan(contract=contract)
    return {
        "contract_id": contract.pk,
        "contract_number": contract.number,
        "customer_id": contract.customer_id,
        "planned_amount": plan.planned,
        "invoiced_amount": plan.invoiced,
        "received_amount": plan.received,
        "open_amount": plan.open,
        "instalments": [_out(row) for row in plan.rows],
    }


@router.get("/settings", response=ReceivablesSettingsOut, summary="The reminder setting")
@api_permission("receivables.view_receipt")
def plan_settings_get(request: HttpRequest) -> Any:
    return selectors.receivables_settings_get()


@router.put("/settings", response=ReceivablesSettingsOut, summary="Change the reminder setting")
@api_permission("receivables.change_receivablessettings")
def plan_settings_update(request: HttpRequest, payload: ReceivablesSettingsIn) -> Any:
    return services.receivables_settings_update(
        remind_days_before=payload.remind_days_before, actor=request_user(request)
    )
