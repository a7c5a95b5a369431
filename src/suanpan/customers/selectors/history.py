"""The change history of a customer and its contacts, for the customer page's History tab."""

from __future__ import annotations

from typing import Any

from suanpan.core.history import history_entries, history_entries_by_object
from suanpan.customers.models import Contact, Customer


def customer_history(*, customer: Customer, limit: int = 100) -> list[dict[str, Any]]:
    """Who changed which field of the customer (and its contacts), when: newest first."""
    own = customer.history.select_related("history_user").order_by("-history_id")
    contacts = (
        Contact.history.filter(customer_id=customer.pk)
        .select_related("history_user")
        .order_by("-history_id")
    )
    entries = [
        *history_entries(list(own[: limit + 1]), limit=limit),
        *history_entries_by_object(list(contacts[:limit]), subject_field="name"),
    ]
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries[:limit]
