"""/api/v1/receivables/provisions: the bad-debt provision matrix, individual provisions, the
period-end preview (required against existing) and posting the difference."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.limits import MAX_AMOUNT, MAX_ITEMS, column_field, query_field
from suanpan.core.listing import PageNumbers
from suanpan.customers.choices import CustomerGrade
from suanpan.receivables import selectors, services
from suanpan.receivables.choices import ProvisionBucket
from suanpan.receivables.models import IndividualProvision, ProvisionRun
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["bad debts"])


class ProvisionRateOut(Schema):
    bucket: ProvisionBucket
    grade: str = Field(..., description='A customer grade, or "" for every customer.')
    rate: Decimal


class ProvisionRateIn(Schema):
    bucket: ProvisionBucket
    grade: CustomerGrade | None = Field(None, description="Left out: the default rates.")
    rate: Decimal | None = Field(
        ...,
        ge=0,
        le=1,
        decimal_places=4,
        description="A fraction: 0.05 is 5%. null removes the cell (a grade's then follows "
        "the default rate).",
    )


class ProvisionRatesIn(Schema):
    rates: list[ProvisionRateIn] = Field(..., max_length=MAX_ITEMS)


class IndividualProvisionOut(Schema):
    id: int
    customer_id: int
    customer_name: str
    amount: Decimal | None
    rate: Decimal | None
    reason: str
    is_active: bool

    @staticmethod
    def resolve_customer_name(obj: IndividualProvision) -> str:
        return obj.customer.name


class IndividualProvisionIn(Schema):
    customer_id: int
    reason: str = column_field(IndividualProvision, "reason")
    amount: Decimal | None = Field(None, gt=0, le=MAX_AMOUNT, decimal_places=2)
    rate: Decimal | None = Field(None, ge=0, le=1, decimal_places=4)
    is_active: bool = True


class ProvisionCellOut(Schema):
    grade: str
    bucket: ProvisionBucket
    balance: Decimal
    rate: Decimal
    provision: Decimal


class ProvisionNamedOut(Schema):
    customer_id: int
    number: str
    name: str
    balance: Decimal
    amount: Decimal | None
    rate: Decimal | None
    provision: Decimal
    reason: str


class ProvisionPreviewOut(Schema):
    period: str
    as_of: date
    cells: list[ProvisionCellOut]
    named: list[ProvisionNamedOut]
    matrix_total: Decimal
    individual_total: Decimal
    required: Decimal
    existing: Decimal = Field(..., description="The provision account's balance, credit positive.")
    change: Decimal = Field(..., description="What posting would post: negative releases.")


class ProvisionRunOut(Schema):
    id: int
    period: str
    as_of: date
    required_amount: Decimal
    existing_amount: Decimal
    change_amount: Decimal
    created_by: str
    created_at: datetime

    @staticmethod
    def resolve_created_by(obj: ProvisionRun) -> str:
        return str(obj.created_by)


class ProvisionPostIn(Schema):
    period: str = Field(..., pattern=r"^\d{4}-?\d{2}$", description="YYYY-MM")


class IndividualProvisionFilters(Schema):
    q: str | None = query_field(description="Customer or reason")


class ProvisionPeriodQuery(Schema):
    period: str = query_field(..., pattern=r"^\d{4}-?\d{2}$", description="YYYY-MM")


@router.get("", response=list[ProvisionRunOut], summary="List provision runs")
@paginate(PageNumbers, page_size=50)
@api_permission("receivables.view_provisionrun")
def provision_run_list(request: HttpRequest) -> Any:
    return selectors.provision_run_list()


@router.get("/rates", response=list[ProvisionRateOut], summary="The provision matrix")
@api_permission("receivables.view_provisionrate")
def provision_rates(request: HttpRequest) -> Any:
    return [
        {"grade": row.grade, "bucket": bucket, "rate": rate}
        for row in selectors.provision_matrix()
        for bucket, rate in enumerate(row.rates)
        if rate is not None
    ]


@router.put("/rates", response=list[ProvisionRateOut], summary="Set provision rates")
@api_permission("receivables.change_provisionrate")
def provision_rates_save(request: HttpRequest, payload: ProvisionRatesIn) -> Any:
    services.provision_rates_save(
        rates=[
            services.RateInput(bucket=int(r.bucket), rate=r.rate, grade=r.grade or "")
            for r in payload.rates
        ],
        actor=request_user(request),
    )
    return provision_rates(request)


@router.get(
    "/individual", response=list[IndividualProvisionOut], summary="List individual provisions"
)
@paginate(PageNumbers, page_size=50)
@api_permission("receivables.view_individualprovision")
def individual_provision_list(
    request: HttpRequest, query: Query[IndividualProvisionFilters]
) -> Any:
    return selectors.individual_provision_list(user=request_user(request), q=query.q or "")


@router.post(
    "/individual",
    response={200: IndividualProvisionOut},
    summary="Provide for a named customer (单项计提), or change its provision",
)
@api_permission("receivables.add_individualprovision")
def individual_provision_save(request: HttpRequest, payload: IndividualProvisionIn) -> Any:
    saved = services.individual_provision_save(
        data=services.IndividualInput(
            customer_id=payload.customer_id,
            reason=payload.reason,
            amount=payload.amount,
            rate=payload.rate,
            is_active=payload.is_active,
        ),
        actor=request_user(request),
    )
    return selectors.individual_provision_get(user=request_user(request), pk=saved.pk)


@router.get(
    "/preview",
    response=ProvisionPreviewOut,
    summary="Required against existing provision as of a period's end",
)
@api_permission("receivables.view_provisionrun")
def provision_preview(request: HttpRequest, query: Query[ProvisionPeriodQuery]) -> Any:
    preview = selectors.provision_preview(period=query.period)
    return {
        "period": preview.period,
        "as_of": preview.as_of,
        "cells": [
            {
                "grade": c.grade,
                "bucket": c.bucket,
                "balance": c.balance,
                "rate": c.rate,
                "provision": c.provision,
            }
            for c in preview.cells
        ],
        "named": preview.named,
        "matrix_total": preview.required.matrix_total,
        "individual_total": preview.required.individual_total,
        "required": preview.required.total,
        "existing": preview.existing,
        "change": preview.change,
    }


@router.post(
    "/post",
    response={201: ProvisionRunOut, 204: None},
    summary="Post the period's provision difference (204: nothing to post)",
)
@api_permission("receivables.add_provisionrun")
def provision_post(request: HttpRequest, payload: ProvisionPostIn) -> Any:
    run = services.provision_post(period=payload.period, actor=request_user(request))
    if run is None:
        return Status(204, None)
    return Status(201, run)
