"""Reads of invoice requests, scoped like every sales document: a user sees a request iff they
see its customer; any other id answers 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from suanpan.customers.selectors import customer_scoped
from suanpan.invoicing.models import InvoiceRequest
from suanpan.users.models import User


def request_visible(*, user: User) -> QuerySet[InvoiceRequest]:
    return customer_scoped(
        InvoiceRequest.objects.all(), user=user, perm="invoicing.view_invoicerequest"
    )


def request_get(*, user: User, pk: int | str) -> InvoiceRequest:
    """One request with its customer, source documents and lines; 404 unless the user sees it."""
    try:
        return (
            request_visible(user=user)
            .select_related(
                "customer", "order", "instalment__contract", "requested_by", "reviewed_by", "batch"
            )
            .prefetch_related("lines")
            .get(pk=pk)
        )
    except (InvoiceRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
