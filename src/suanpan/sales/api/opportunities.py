"""/api/v1/opportunities and /api/v1/opportunity-stages: the pages' services, selectors and
rules. Probabilities are fractions here (0.5 for 50 %), as stored."""

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.date_checks import report_dates_require
from suanpan.core.errors import ValidationFailed
from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import MAX_AMOUNT, PatchSchema, query_field, text_field
from suanpan.core.listing import PageNumbers
from suanpan.customers.selectors import customer_by_id
from suanpan.sales.choices import StageOutcome
from suanpan.sales.models import Opportunity, OpportunityLine, OpportunityStage
from suanpan.sales.selectors import opportunities as selectors
from suanpan.sales.selectors.common import row_by_id
from suanpan.sales.services import opportunities as services
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user
from suanpan.users.models import User

router = Router(tags=["opportunities"])

T = TypeVar("T")
# What the services call a field, and what the API calls it.
API_FIELD_NAMES = {"customer": "customer_id", "stage": "stage_id", "owner": "owner_id"}


class OpportunityLineOut(Schema):
    product_id: int
    product_code: str
    product_name: str
    quantity: Decimal

    @staticmethod
    def resolve_product_code(obj: OpportunityLine) -> str:
        return obj.product.code

    @staticmethod
    def resolve_product_name(obj: OpportunityLine) -> str:
        return obj.product.name


class OpportunityOut(Schema):
    id: int
    customer_id: int
    customer_name: str
    title: str
    amount: Decimal
    expected_close_on: date
    stage_id: int
    stage_name: str
    outcome: StageOutcome
    probability: Decimal = Field(description="Win probability of the stage, a fraction (0.5)")
    weighted_amount: Decimal = Field(description="amount × probability, rounded half up")
    owner_id: int
    owner: str
    competitor: str
    next_step: str
    loss_reason: str
    closed_on: date | None
    notes: str
    created_at: datetime
    updated_at: datetime
    lines: list[OpportunityLineOut] = Field(
        description="The products the opportunity is about (from the import), in line order"
    )

    @staticmethod
    def resolve_lines(obj: Opportunity) -> list[OpportunityLine]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_customer_name(obj: Opportunity) -> str:
        return obj.customer.name

    @staticmethod
    def resolve_stage_name(obj: Opportunity) -> str:
        return obj.stage.name

    @staticmethod
    def resolve_outcome(obj: Opportunity) -> str:
        return obj.stage.outcome

    @staticmethod
    def resolve_probability(obj: Opportunity) -> Decimal:
        return obj.stage.probability

    @staticmethod
    def resolve_weighted_amount(obj: Opportunity) -> Decimal:
        return selectors.weighted(obj.amount, obj.stage.probability)

    @staticmethod
    def resolve_owner(obj: Opportunity) -> str:
        return str(obj.owner)


class OpportunityIn(Schema):
    customer_id: int
    title: str = Field(min_length=1, max_length=200)
    amount: Decimal = Field(Decimal("0"), ge=0, le=MAX_AMOUNT, decimal_places=2)
    expected_close_on: date
    stage_id: int | None = Field(None, description="Default: the first active open stage")
    owner_id: int | None = Field(None, description="Default: you; others only for managers")
    competitor: str = Field("", max_length=200)
    next_step: str = Field("", max_length=300)
    loss_reason: str = Field("", max_length=300)
    closed_on: date | None = Field(
        None,
        description="For a won or lost stage: the day it was won or lost, not in the future "
        "(default: today); refused for an open stage",
    )
    notes: str = text_field()


class OpportunityPatch(PatchSchema):
    customer_id: int | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    amount: Decimal | None = Field(None, ge=0, le=MAX_AMOUNT, decimal_places=2)
    expected_close_on: date | None = None
    stage_id: int | None = None
    owner_id: int | None = None
    competitor: str | None = Field(None, max_length=200)
    next_step: str | None = Field(None, max_length=300)
    loss_reason: str | None = Field(None, max_length=300)
    closed_on: date | None = Field(
        None,
        description="For a won or lost stage: the day it was won or lost, not in the future "
        "(default: today); refused for an open stage",
    )
    notes: str | None = text_field(None)


class MoveIn(Schema):
    stage_id: int
    loss_reason: str = Field("", max_length=300, description="Required to move into a lost stage")


class OpportunityFilters(FilterSchema):
    q: str | None = query_field(description="Title, customer, competitor or next step")
    stage: int | None = None
    outcome: StageOutcome | None = None
    owner: int | None = None
    customer: int | None = None
    close_after: date | None = None
    close_before: date | None = None
    ordering: str | None = query_field(
        description="title, customer, amount, close, stage, owner or updated; "
        "prefix - for descending",
    )


class PipelineMonthOut(Schema):
    month: date = Field(description="First day of the month of expected close")
    count: int
    amount: Decimal
    weighted_amount: Decimal


class PipelineOut(Schema):
    months: list[PipelineMonthOut]
    total: PipelineMonthOut | None


class StageOut(Schema):
    id: int
    name: str
    probability: Decimal
    outcome: StageOutcome
    position: int
    is_active: bool
    opportunity_count: int


class StageIn(Schema):
    name: str = Field(min_length=1, max_length=40)
    probability: Decimal = Field(ge=0, le=1, decimal_places=4)
    outcome: StageOutcome = StageOutcome.OPEN
    is_active: bool = True


class StagePatch(PatchSchema):
    name: str | None = Field(None, min_length=1, max_length=40)
    probability: Decimal | None = Field(None, ge=0, le=1, decimal_places=4)
    outcome: StageOutcome | None = None
    is_active: bool | None = None


def _api_fields(call: Callable[[], T]) -> T:
    """Run a service; its field errors come back under the API's field names."""
    try:
        return call()
    except ValidationFailed as exc:
        exc.fields = {API_FIELD_NAMES.get(k, k): v for k, v in exc.fields.items()}
        raise


def _found(row: Any, pk: int, field: str) -> Any:
    if row is None:
        raise ValidationFailed(fields={field: [_("No such id: %(pk)s.") % {"pk": pk}]})
    return row


def _resolve(model: type[Any], pk: int, field: str, **lookups: Any) -> Any:
    return _found(row_by_id(model, pk, **lookups), pk, field)


def _service_data(payload: Schema, *, exclude_unset: bool) -> dict[str, Any]:
    data = payload.dict(exclude_unset=exclude_unset)
    if "customer_id" in data:
        customer_id = data.pop("customer_id")
        if customer_id is not None:
            data["customer"] = _found(customer_by_id(customer_id), customer_id, "customer_id")
    if "stage_id" in data:
        stage_id = data.pop("stage_id")
        if stage_id is not None:
            data["stage"] = _resolve(OpportunityStage, stage_id, "stage_id")
    if "owner_id" in data:
        owner_id = data.pop("owner_id")
        if owner_id is not None:
            data["owner"] = _resolve(User, owner_id, "owner_id", is_active=True)
    return {k: v for k, v in data.items() if v is not None or not exclude_unset}


def _detail(request: HttpRequest, pk: int) -> Opportunity:
    return selectors.opportunity_get(user=request_user(request), pk=pk)


@router.get("/opportunities", response=list[OpportunityOut], summary="List opportunities")
@paginate(PageNumbers, page_size=50)
@api_permission("sales.view_opportunity")
def opportunity_list(request: HttpRequest, filters: Query[OpportunityFilters]) -> Any:
    return filtered_rows(
        selectors.opportunity_list(user=request_user(request), filters=filter_params(filters))
    )


@router.get(
    "/opportunities/pipeline",
    response=PipelineOut,
    summary="Weighted pipeline by month of expected close",
)
@api_permission("sales.view_opportunity")
def pipeline(
    request: HttpRequest,
    start: date | None = None,
    months: int = Query(12, ge=1, le=60),
    owner: int | None = None,
) -> Any:
    """Open opportunities you see, by month of expected close from `start`'s month (default:
    this month) for `months` months; weighted amounts are rounded per month and stage. A start
    outside the window of dates (year 1, year 9999) is refused with 422."""
    if start is not None:
        report_dates_require({}, {"start": start})
    rows = selectors.pipeline_by_month(
        user=request_user(request),
        start=start or timezone.localdate(),
        months=months,
        owner=owner,
    )
    return {"months": rows, "total": selectors.pipeline_total(rows)}


@router.get("/opportunities/{int:pk}", response=OpportunityOut, summary="Retrieve an opportunity")
@api_permission("sales.view_opportunity")
def opportunity_get(request: HttpRequest, pk: int) -> Any:
    return _detail(request, pk)


@router.post("/opportunities", response={201: OpportunityOut}, summary="Create an opportunity")
def opportunity_create(request: HttpRequest, payload: OpportunityIn) -> Any:
    data = _service_data(payload, exclude_unset=False)
    opportunity = _api_fields(
        lambda: services.opportunity_create(actor=request_user(request), data=data)
    )
    return Status(201, _detail(request, opportunity.pk))


@router.patch("/opportunities/{int:pk}", response=OpportunityOut, summary="Update an opportunity")
@api_permission("sales.change_opportunity")
def opportunity_update(request: HttpRequest, pk: int, payload: OpportunityPatch) -> Any:
    opportunity = _detail(request, pk)
    data = _service_data(payload, exclude_unset=True)
    _api_fields(
        lambda: services.opportunity_update(
            actor=request_user(request), opportunity=opportunity, data=data
        )
    )
    return _detail(request, pk)


@router.post(
    "/opportunities/{int:pk}/move",
    response=OpportunityOut,
    summary="Move an opportunity to another stage (won and lost close it)",
)
@api_permission("sales.change_opportunity")
def opportunity_move(request: HttpRequest, pk: int, payload: MoveIn) -> Any:
    opportunity = _detail(request, pk)
    stage = _resolve(OpportunityStage, payload.stage_id, "stage_id")
    _api_fields(
        lambda: services.opportunity_stage_move(
            actor=request_user(request),
            opportunity=opportunity,
            stage=stage,
            loss_reason=payload.loss_reason,
        )
    )
    return _detail(request, pk)


@router.delete("/opportunities/{int:pk}", response={204: None}, summary="Delete an opportunity")
@api_permission("sales.delete_opportunity")
def opportunity_delete(request: HttpRequest, pk: int) -> Any:
    services.opportunity_delete(actor=request_user(request), opportunity=_detail(request, pk))
    return Status(204, None)


@router.get(
    "/opportunity-stages", response=list[StageOut], summary="List the pipeline's stages in order"
)
@api_permission("sales.view_opportunity")
def stage_list(request: HttpRequest, active: bool | None = None) -> Any:
    return list(selectors.stage_list(active_only=bool(active)))


def _stage_out(pk: int) -> OpportunityStage:
    return selectors.stage_list().get(pk=pk)


@router.post("/opportunity-stages", response={201: StageOut}, summary="Add a stage at the end")
@api_permission("sales.change_opportunitystage")
def stage_create(request: HttpRequest, payload: StageIn) -> Any:
    stage = services.stage_create(actor=request_user(request), data=payload.dict())
    return Status(201, _stage_out(stage.pk))


@router.patch("/opportunity-stages/{int:pk}", response=StageOut, summary="Update a stage")
@api_permission("sales.change_opportunitystage")
def stage_update(request: HttpRequest, pk: int, payload: StagePatch) -> Any:
    stage = selectors.stage_get(pk=pk)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    services.stage_update(actor=request_user(request), stage=stage, data=data)
    return _stage_out(pk)
