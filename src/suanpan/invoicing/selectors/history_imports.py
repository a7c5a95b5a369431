"""History import batches: the one a page or the API polls, and the recent ones."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from suanpan.invoicing.choices import BatchKind
from suanpan.invoicing.models import InvoiceBatch
from suanpan.users.models import User


def history_batches(*, user: User) -> QuerySet[InvoiceBatch]:
    """History imports, newest first; an accountant sees every one (they share the books)."""
    return InvoiceBatch.objects.filter(kind=BatchKind.HISTORY).select_related("created_by")


def history_batch_get(*, user: User, pk: int | str) -> InvoiceBatch:
    batch = history_batches(user=user).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch
