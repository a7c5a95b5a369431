"""/api/v1/ledger/periods: accounting periods, closing and reopening."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from suanpan.ledger import selectors, services
from suanpan.ledger.choices import (
    PeriodStatus,
)
from suanpan.ledger.models import Period
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["ledger"])
# A period key is YYYYMM; a longer one names no period.
PERIOD_KEY_MAX_LENGTH = 6


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


@router.get(
    "/periods",
    response=list[PeriodOut],
    summary="List accounting periods",
    operation_id="suanpan_ledger_api_period_list",
)
@api_permission("ledger.view_period")
def period_list(request: HttpRequest) -> Any:
    services.company_get()
    return selectors.period_list()


def _period_out(period: Period) -> Period:
    return next(p for p in selectors.period_list() if p.pk == period.pk)


@router.post(
    "/periods/{key}/close",
    response=PeriodOut,
    summary="Close a period",
    operation_id="suanpan_ledger_api_period_close",
)
@api_permission("ledger.close_period")
def period_close(
    request: HttpRequest, key: str = Path(..., max_length=PERIOD_KEY_MAX_LENGTH)
) -> Any:
    period = services.period_close(
        actor=request_user(request), period=selectors.period_get(key=key)
    )
    return _period_out(period)


@router.post(
    "/periods/{key}/reopen",
    response=PeriodOut,
    summary="Re-open a closed period",
    operation_id="suanpan_ledger_api_period_reopen",
)
@api_permission("ledger.reopen_period")
def period_reopen(
    request: HttpRequest,
    payload: ReopenIn,
    key: str = Path(..., max_length=PERIOD_KEY_MAX_LENGTH),
) -> Any:
    period = services.period_reopen(
        actor=request_user(request), period=selectors.period_get(key=key), reason=payload.reason
    )
    return _period_out(period)
