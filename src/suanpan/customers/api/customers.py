"""/api/v1/customers: the same services, selectors and permission rules as the pages."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Schema, Status
from ninja.pagination import paginate

from suanpan.core.errors import ValidationFailed
from suanpan.core.filtering import filterset_require_valid
from suanpan.core.listing import PageNumbers
from suanpan.customers import selectors, services
from suanpan.customers.api._common import (
    OPERATION_PREFIX,
    customer_answer,
    customer_detail,
    router,
)
from suanpan.customers.api.schemas import (
    CustomerDeactivateIn,
    CustomerFilters,
    CustomerIn,
    CustomerListOut,
    CustomerOut,
    CustomerPatch,
)
from suanpan.users.decorators import api_permission
from suanpan.users.http import request_user
from suanpan.users.models import User


def _service_data(payload: Schema, *, exclude_unset: bool) -> dict[str, Any]:
    data = payload.dict(exclude_unset=exclude_unset, exclude={"contacts"})
    for name in ("grade", "source"):
        if name in data and data[name] is None:
            data[name] = ""
    if "owner_id" in data:
        owner_id = data.pop("owner_id")
        if owner_id is not None:
            data["owner"] = _active_user(owner_id, field="owner_id")
    if "shared_with" in data:
        data["shared_with"] = [
            _active_user(pk, field="shared_with") for pk in data["shared_with"] or []
        ]
    return data


def _active_user(pk: int, *, field: str) -> User:
    user = selectors.owner_get(pk=pk)
    if user is None:
        raise ValidationFailed(fields={field: [f"No active user with id {pk}."]})
    return user


@router.get(
    "",
    response=list[CustomerListOut],
    summary="List customers",
    operation_id=f"{OPERATION_PREFIX}customer_list",
)
@api_permission("customers.view_customer")
@paginate(PageNumbers, page_size=50)
def customer_list(request: HttpRequest, filters: Query[CustomerFilters]) -> Any:
    params = {k: v for k, v in filters.dict().items() if v not in (None, "")}
    user = request_user(request)
    queryset, filterset = selectors.customer_list(user=user, filters=params)
    filterset_require_valid(filterset)
    return selectors.customers_with_figures(queryset, user=user)


@router.get(
    "/{int:pk}",
    response=CustomerOut,
    summary="Retrieve a customer",
    operation_id=f"{OPERATION_PREFIX}customer_get",
)
@api_permission("customers.view_customer")
def customer_get(request: HttpRequest, pk: int) -> Any:
    return customer_answer(request, pk)


@router.post(
    "",
    response={201: CustomerOut},
    summary="Create a customer",
    operation_id=f"{OPERATION_PREFIX}customer_create",
)
def customer_create(request: HttpRequest, payload: CustomerIn) -> Any:
    customer = services.customer_create(
        actor=request_user(request),
        data=_service_data(payload, exclude_unset=False),
        contacts=[c.dict() for c in payload.contacts],
    )
    return Status(201, customer_answer(request, customer.pk))


@router.patch(
    "/{int:pk}",
    response=CustomerOut,
    summary="Update a customer",
    operation_id=f"{OPERATION_PREFIX}customer_update",
)
def customer_update(request: HttpRequest, pk: int, payload: CustomerPatch) -> Any:
    customer = customer_detail(request, pk)
    services.customer_update(
        actor=request_user(request),
        customer=customer,
        data=_service_data(payload, exclude_unset=True),
    )
    return customer_answer(request, pk)


@router.post(
    "/{int:pk}/deactivate",
    response=CustomerOut,
    summary="Deactivate a customer",
    operation_id=f"{OPERATION_PREFIX}customer_deactivate",
)
def customer_deactivate(
    request: HttpRequest, pk: int, payload: CustomerDeactivateIn | None = None
) -> Any:
    customer = customer_detail(request, pk)
    services.customer_deactivate(
        actor=request_user(request), customer=customer, reason=payload.reason if payload else ""
    )
    return customer_answer(request, pk)


@router.post(
    "/{int:pk}/reactivate",
    response=CustomerOut,
    summary="Reactivate a customer",
    operation_id=f"{OPERATION_PREFIX}customer_reactivate",
)
def customer_reactivate(request: HttpRequest, pk: int) -> Any:
    services.customer_reactivate(actor=request_user(request), customer=customer_detail(request, pk))
    return customer_answer(request, pk)
