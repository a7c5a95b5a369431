"""Follow-up records of a customer the caller already may see."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from suanpan.customers.models import Customer, FollowUp


def followup_list(*, customer: Customer) -> QuerySet[FollowUp]:
    return customer.followups.select_related("author")


def followup_due_list(
    *, customers: QuerySet[Customer], on: datetime.date, limit: int = 10
) -> QuerySet[FollowUp]:
    """Follow-ups of these customers whose next step is due by `on`, soonest first."""
    return (
        FollowUp.objects.filter(customer__in=customers, next_on__isnull=False, next_on__lte=on)
        .exclude(next_step="")
        .select_related("customer", "author")
        .order_by("next_on")[:limit]
    )
