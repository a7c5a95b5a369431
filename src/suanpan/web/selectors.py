"""What the dashboard shows, each figure scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from suanpan.customers.choices import CustomerStatus
from suanpan.customers.selectors import customer_visible, followup_due_list
from suanpan.users.models import User


def dashboard(*, user: User) -> dict[str, Any]:
    customers = customer_visible(user=user)
    counts = customers.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status=CustomerStatus.ACTIVE)),
        prospect=Count("pk", filter=Q(status=CustomerStatus.PROSPECT)),
        on_hold=Count("pk", filter=Q(status=CustomerStatus.ON_HOLD)),
        mine=Count("pk", filter=Q(owner_id=user.pk)),
    )
    today = timezone.localdate()
    due_followups = followup_due_list(customers=customers, on=today, limit=10)
    recent = customers.select_related("owner").order_by("-created_at", "-id")[:8]
    return {"counts": counts, "due_followups": due_followups, "recent_customers": recent}
