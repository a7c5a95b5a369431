"""/api/v1/receivables/dunning: the levels and their letters, who a run would write to, running
it, the letters written, promises to pay and collection tasks (催款)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from suanpan.core.filtering import filter_params, filtered_rows
from suanpan.core.limits import MAX_AMOUNT, column_field, query_field, text_field
from suanpan.core.listing import PageNumbers
from suanpan.receivables import selectors, services
from suanpan.receivables.choices import (
    DunningLanguage,
    LetterStatus,
    PromiseStatus,
    SkipReason,
)
from suanpan.receivables.models import DunningLevel, DunningProfile, PaymentPromise
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user

router = Router(tags=["dunning"])


class DunningLevelOut(Schema):
    id: int
    position: int
    name: str
    days: int
    subject_zh: str
    body_zh: str
    subject_en: str
    body_en: str
    sends_email: bool
    creates_task: bool
    holds_credit: bool
    attaches_statement: bool
    interest_rate: Decimal | None
    is_active: bool


class DunningLevelIn(Schema):
    position: int = Field(..., ge=1, le=100)
    name: str = column_field(DunningLevel, "name")
    days: int = Field(..., ge=-365, le=3650, description="Negative: before the due date.")
    subject_zh: str = column_field(DunningLevel, "subject_zh")
    body_zh: str = text_field(...)
    subject_en: str = column_field(DunningLevel, "subject_en")
    body_en: str = text_field(...)
    sends_email: bool = True
    creates_task: bool = False
    holds_credit: bool = False
    attaches_statement: bool = False
    interest_rate: Decimal | None = Field(
        None, ge=0, le=Decimal("0.01"), decimal_places=6, description="Per day: 0.0005 is 万分之五."
    )
    is_active: bool = True


class DunningPreviewItemOut(Schema):
    item_id: int
    label: str
    due_on: date
    open_amount: Decimal
    days_overdue: int
    level_id: int
    interest_amount: Decimal
    is_new: bool


class DunningPreviewOut(Schema):
    customer_id: int
    customer_name: str
    level_id: int
    level_name: str
    email: str
    language: DunningLanguage
    skip_reason: SkipReason | None
    total_amount: Decimal
    interest_amount: Decimal
    items: list[DunningPreviewItemOut]


class DunningRunIn(Schema):
    on: date | None = Field(None, description="Today when left out.")


class DunningRunOut(Schema):
    id: int
    run_on: date
    started_by_id: int | None
    created_at: datetime
    letters_sent: int
    letters_recorded: int
    letters_skipped: int
    letters_failed: int
    tasks_created: int
    holds_placed: int
    promises_kept: int
    promises_broken: int


class DunningLetterItemOut(Schema):
    item_id: int
    level_id: int
    label: str
    due_on: date
    open_amount: Decimal
    days_overdue: int
    interest_amount: Decimal


class DunningLetterOut(Schema):
    id: int
    run_on: date = Field(..., alias="run.run_on")
    customer_id: int
    customer_name: str = Field(..., alias="customer.name")
    level_id: int
    status: LetterStatus
    skip_reason: str
    language: DunningLanguage
    to_email: str
    subject: str
    total_amount: Decimal
    interest_amount: Decimal
    statement_requested: bool
    task_created: bool
    hold_placed: bool
    sent_at: datetime | None
    error: str


class DunningLetterDetailOut(DunningLetterOut):
    body: str
    items: list[DunningLetterItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return list(obj.items.all())


class DunningLetterFilters(FilterSchema):
    q: str | None = query_field(description="Customer, subject or address")
    status: LetterStatus | None = None
    customer: int | None = None
    run_on: date | None = None


class PaymentPromiseOut(Schema):
    id: int
    customer_id: int
    customer_name: str = Field(..., alias="customer.name")
    amount: Decimal
    promised_on: date
    notes: str
    status: PromiseStatus
    received: Decimal = Field(
        ...,
        description="Paid by the customer from the day the promise was made to the day promised.",
    )
    created_at: datetime


class PaymentPromiseIn(Schema):
    customer_id: int
    amount: Decimal = Field(..., gt=0, le=MAX_AMOUNT, decimal_places=2)
    promised_on: date
    notes: str = column_field(PaymentPromise, "notes", "")


class PaymentPromiseMarkIn(Schema):
    status: PromiseStatus


class PaymentPromiseFilters(FilterSchema):
    q: str | None = query_field(description="Customer")
    status: PromiseStatus | None = None
    customer: int | None = None
    due_by: date | None = None


class DunningProfileIn(Schema):
    is_excluded: bool = False
    excluded_reason: str = column_field(DunningProfile, "excluded_reason", "")
    email: str = Field("", max_length=254)
    language: DunningLanguage = DunningLanguage.ZH


class DunningProfileOut(Schema):
    customer_id: int
    is_excluded: bool
    excluded_reason: str
    email: str
    language: DunningLanguage


class CollectionTaskOut(Schema):
    id: int
    customer_id: int
    customer_name: str = Field(..., alias="customer.name")
    owner_id: int
    due_on: date
    text: str
    letter_id: int | None
    done_at: datetime | None


# ---------------------------------------------------------------------------- levels


@router.get("/levels", response=list[DunningLevelOut], summary="List dunning levels")
@api_permission("receivables.view_dunninglevel")
def level_list(request: HttpRequest) -> Any:
    return selectors.dunning_levels(active_only=False)


@router.post("/levels", response={201: DunningLevelOut}, summary="Create a dunning level")
@api_permission("receivables.add_dunninglevel")
def level_create(request: HttpRequest, payload: DunningLevelIn) -> Any:
    level = services.dunning_level_create(
        data=services.LevelInput(**payload.dict()), actor=request_user(request)
    )
    return Status(201, level)


@router.put("/levels/{int:pk}", response=DunningLevelOut, summary="Change a dunning level")
@api_permission("receivables.change_dunninglevel")
def level_update(request: HttpRequest, pk: int, payload: DunningLevelIn) -> Any:
    return services.dunning_level_update(
        level=selectors.dunning_level_get(pk=pk),
        data=services.LevelInput(**payload.dict()),
        actor=request_user(request),
    )


# ---------------------------------------------------------------------------- runs


@router.get(
    "/preview",
    response=list[DunningPreviewOut],
    summary="Who a dunning run on a day would write to, at which level, with which items",
)
@api_permission("receivables.view_dunningletter")
def preview(request: HttpRequest, on: date | None = None) -> Any:
    rows = selectors.dunning_preview(on=on or timezone.localdate(), user=request_user(request))
    return [
        {
            "customer_id": row.customer.pk,
            "customer_name": row.customer.name,
            "level_id": row.level.pk,
            "level_name": row.level.name,
            "email": row.email,
            "language": row.language,
            "skip_reason": row.skip_reason or None,
            "total_amount": row.total_amount,
            "interest_amount": row.interest_amount,
            "items": [{**item.__dict__, "level_id": item.level.pk} for item in row.items],
        }
        for row in rows
        if row.is_due
    ]


@router.post(
    "/runs",
    response={201: DunningRunOut},
    summary="Run dunning for a day: one letter per customer (409 when the day ran already)",
)
@api_permission("receivables.run_dunning")
def run(request: HttpRequest, payload: DunningRunIn) -> Any:
    done = services.dunning_run(on=payload.on or timezone.localdate(), actor=request_user(request))
    return Status(201, done)


@router.get("/runs", response=list[DunningRunOut], summary="List dunning runs")
@paginate(PageNumbers, page_size=50)
@api_permission("receivables.view_dunningletter")
def run_list(request: HttpRequest) -> Any:
    return selectors.dunning_run_list()


# ---------------------------------------------------------------------------- letters


@router.get("/letters", response=list[DunningLetterOut], summary="List dunning letters")
@paginate(PageNumbers, page_size=50)
@api_permission("receivables.view_dunningletter")
def letter_list(request: HttpRequest, filters: Query[DunningLetterFilters]) -> Any:
    return filtered_rows(
        selectors.letter_list(user=request_user(request), filters=filter_params(filters))
    )


@router.get(
    "/letters/{int:pk}", response=DunningLetterDetailOut, summary="Retrieve a dunning letter"
)
@api_permission("receivables.view_dunningletter")
def letter_get(request: HttpRequest, pk: int) -> Any:
    return selectors.letter_get(user=request_user(request), pk=pk)


# ---------------------------------------------------------------------------- promises


@router.get("/promises", response=list[PaymentPromiseOut], summary="List promises to pay")
@paginate(PageNumbers, page_size=50)
@api_permission("receivables.view_paymentpromise")
def promise_list(request: HttpRequest, filters: Query[PaymentPromiseFilters]) -> Any:
    return filtered_rows(
        selectors.promise_list(user=request_user(request), filters=filter_params(filters))
    )


@router.post("/promises", response={201: PaymentPromiseOut}, summary="Record a promise to pay")
@api_permission("receivables.add_paymentpromise")
def promise_create(request: HttpRequest, payload: PaymentPromiseIn) -> Any:
    promise = services.promise_create(
        customer_id=payload.customer_id,
        amount=payload.amount,
        promised_on=payload.promised_on,
        notes=payload.notes,
        actor=request_user(request),
    )
    return Status(201, selectors.promise_get(user=request_user(request), pk=promise.pk))


@router.post(
    "/promises/{int:pk}/mark",
    response=PaymentPromiseOut,
    summary="Mark a promise to pay kept or broken",
)
@api_permission("receivables.change_paymentpromise")
def promise_mark(request: HttpRequest, pk: int, payload: PaymentPromiseMarkIn) -> Any:
    user = request_user(request)
    services.promise_mark(
        promise=selectors.promise_get(user=user, pk=pk), status=payload.status, actor=user
    )
    return selectors.promise_get(user=user, pk=pk)


@router.put(
    "/customers/{int:customer_id}/settings",
    response=DunningProfileOut,
    summary="A customer's dunning settings: excluded, e-mail, language",
)
@api_permission("receivables.change_dunningprofile")
def profile_update(request: HttpRequest, customer_id: int, payload: DunningProfileIn) -> Any:
    return services.dunning_profile_update(
        customer_id=customer_id,
        data=services.ProfileInput(**payload.dict()),
        actor=request_user(request),
    )


# ---------------------------------------------------------------------------- tasks


@router.get("/tasks", response=list[CollectionTaskOut], summary="List my open collection tasks")
@paginate(PageNumbers, page_size=50)
@api_permission("receivables.view_collectiontask")
def task_list(request: HttpRequest, everyone: bool = False, done: bool = False) -> Any:
    user = request_user(request)
    return selectors.task_list(
        user=user,
        mine=not (everyone and user.has_perm("receivables.change_collectiontask")),
        open_only=not done,
    )


@router.post("/tasks/{int:pk}/done", response=CollectionTaskOut, summary="Tick off a task")
@api_permission("receivables.view_collectiontask")
def task_done(request: HttpRequest, pk: int) -> Any:
    user = request_user(request)
    return services.task_done(task=selectors.task_get(user=user, pk=pk), actor=user)
