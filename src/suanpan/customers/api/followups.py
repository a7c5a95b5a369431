"""/api/v1/customers/{pk}/followups: follow-up records of a customer."""

from typing import Any

from django.http import HttpRequest
from ninja import Status
from ninja.pagination import paginate

from suanpan.core.listing import PageNumbers
from suanpan.customers import selectors, services
from suanpan.customers.api._common import OPERATION_PREFIX, customer_detail, router
from suanpan.customers.api.schemas import FollowUpIn, FollowUpOut
from suanpan.users.http import request_user


@router.get(
    "/{int:pk}/followups",
    response=list[FollowUpOut],
    summary="List follow-up records",
    operation_id=f"{OPERATION_PREFIX}followup_list",
)
@paginate(PageNumbers, page_size=50)
def followup_list(request: HttpRequest, pk: int) -> Any:
    return selectors.followup_list(customer=customer_detail(request, pk))


@router.post(
    "/{int:pk}/followups",
    response={201: FollowUpOut},
    summary="Record a follow-up",
    operation_id=f"{OPERATION_PREFIX}followup_create",
)
def followup_create(request: HttpRequest, pk: int, payload: FollowUpIn) -> Any:
    followup = services.followup_create(
        actor=request_user(request), customer=customer_detail(request, pk), data=payload.dict()
    )
    return Status(201, followup)
