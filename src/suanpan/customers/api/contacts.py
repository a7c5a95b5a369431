"""/api/v1/customers/{pk}/contacts: a customer's contacts."""

from typing import Any

from django.http import HttpRequest
from ninja import Status

from suanpan.customers import services
from suanpan.customers.api._common import OPERATION_PREFIX, customer_detail, router
from suanpan.customers.api.schemas import ContactIn, ContactOut
from suanpan.users.http import request_user


@router.post(
    "/{int:pk}/contacts",
    response={201: ContactOut},
    summary="Add a contact",
    operation_id=f"{OPERATION_PREFIX}contact_create",
)
def contact_create(request: HttpRequest, pk: int, payload: ContactIn) -> Any:
    contact = services.contact_create(
        actor=request_user(request), customer=customer_detail(request, pk), data=payload.dict()
    )
    return Status(201, contact)
