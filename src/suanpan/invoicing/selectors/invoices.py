"""Reads of invoices, scoped by customer like the requests; any other id answers 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from suanpan.customers.selectors import customer_scoped
from suanpan.invoicing.models import Invoice
from suanpan.users.models import User


def invoice_visible(*, user: User) -> QuerySet[Invoice]:
    return customer_scoped(Invoice.objects.all(), user=user, perm="invoicing.view_invoice")


def invoice_get(*, user: User, pk: int | str) -> Invoice:
    """One invoice with its customer, request, original (red) and lines; 404 unless visible."""
    try:
        return (
            invoice_visible(user=user)
            .select_related("customer", "request", "original", "batch", "created_by")
            .prefetch_related("lines", "red_invoices")
            .get(pk=pk)
        )
    except (Invoice.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
