"""/api/v1/receivables/ageing: the ageing by customer, salesperson or region, a page of rows at
a time with the totals of all, and on request (`reconcile=true`) the reconciliation with the
control accounts — a pass over every open item and posted line of those accounts, seconds at a
million items, so not on every page."""

from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from suanpan.core.errors import ValidationFailed
from suanpan.core.limits import query_field
from suanpan.ledger.calculations import buckets_from_days
from suanpan.receivables.calculations.ageing import RECEIVABLES_BOUNDS
from suanpan.receivables.selectors.ageing import ageing_grouped, reconciliation
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["receivables ageing"])
MAX_PAGE_SIZE = 200


class GroupedAgeingQuery(Schema):
    as_of: date | None = None
    basis: Literal["due", "posting"] = "due"
    group: Literal["customer", "salesperson", "region"] = "customer"
    bounds: str | None = query_field(description="Bucket upper bounds in days, e.g. 30,60,90")
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)
    reconcile: bool = Field(
        False, description="Also compare the open items with their accounts, per customer"
    )


class AgeingBucketOut(Schema):
    low: int
    high: int | None


class AgeingGroupOut(Schema):
    key: str
    label: str
    customer_id: int | None
    customers: int
    amounts: list[Decimal]
    total: Decimal


class ReconciliationProblemOut(Schema):
    account_id: int
    dimension_id: int | None
    items: Decimal
    balance: Decimal


class GroupedAgeingOut(Schema):
    as_of: date
    basis: str
    group: str
    buckets: list[AgeingBucketOut]
    items: list[AgeingGroupOut]
    count: int
    page: int
    pages: int
    totals: list[Decimal]
    total: Decimal
    hidden_customers: int
    # None unless asked for (reconcile=true); then the customers whose open items differ
    # from their accounts, expected empty.
    reconciliation: list[ReconciliationProblemOut] | None


def _bounds(text: str | None) -> tuple[int, ...]:
    if not text:
        return RECEIVABLES_BOUNDS
    try:
        bounds = tuple(int(part) for part in text.split(",") if part.strip())
        buckets_from_days(bounds)
    except ValueError as exc:
        raise ValidationFailed(
            fields={"bounds": [_("Enter increasing whole numbers of days, e.g. 30,60,90.")]}
        ) from exc
    return bounds


@router.get(
    "", response=GroupedAgeingOut, summary="Receivables ageing by customer, salesperson or region"
)
@api_permission("ledger.view_ledger_reports")
def ageing_grouped_get(request: HttpRequest, query: Query[GroupedAgeingQuery]) -> Any:
    as_of = query.as_of or timezone.localdate()
    report = ageing_grouped(
        user=request_user(request),
        as_of=as_of,
        group=query.group,
        basis=query.basis,
        bounds=_bounds(query.bounds),
    )
    if report is None:
        raise ValidationFailed(_("The books have no receivable account."))
    start = (query.page - 1) * query.page_size
    count = len(report.rows)
    return {
        "as_of": report.as_of,
        "basis": report.basis,
        "group": report.group,
        "buckets": [{"low": b.low, "high": b.high} for b in report.buckets],
        "items": report.rows[start : start + query.page_size],
        "count": count,
        "page": query.page,
        "pages": max(1, -(-count // query.page_size)),
        "totals": report.totals,
        "total": report.total,
        "hidden_customers": report.hidden,
        "reconciliation": (
            [p._asdict() for p in reconciliation(as_of=as_of).problems] if query.reconcile else None
        ),
    }
