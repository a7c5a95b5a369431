"""Reads for the tax-platform page: requests that may go out in a workbook, and the batches."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from suanpan.core.errors import PermissionDeniedError
from suanpan.invoicing.choices import RequestStatus
from suanpan.invoicing.models import InvoiceBatch, InvoiceRequest
from suanpan.invoicing.selectors.requests import request_visible
from suanpan.users.models import User

EXPORTABLE_STATUSES = (RequestStatus.APPROVED, RequestStatus.FAILED)


def exportable_requests(*, user: User) -> QuerySet[InvoiceRequest]:
    """Approved requests, and failed ones to send again, that the user sees; oldest first."""
    return (
        request_visible(user=user)
        .filter(status__in=EXPORTABLE_STATUSES)
        .select_related("customer", "batch")
        .order_by("requested_on", "pk")
    )


def requests_by_number(*, user: User, numbers: Iterable[str]) -> QuerySet[InvoiceRequest]:
    return request_visible(user=user).filter(number__in=list(numbers)).order_by("pk")


def batch_list(*, user: User) -> QuerySet[InvoiceBatch]:
    """Every file exchanged with the tax platform, newest first."""
    if not user.has_perm("invoicing.view_invoicebatch"):
        raise PermissionDeniedError()
    return InvoiceBatch.objects.select_related("created_by").order_by("-created_at", "-id")
