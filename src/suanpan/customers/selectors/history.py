"""The change history of a customer and its contacts, for the customer page's History tab."""

from __future__ import annotations

from typing import Any

from suanpan.customers.models import Contact, Customer


def customer_history(*, customer: Customer, limit: int = 100) -> list[dict[str, Any]]:
    """Who changed which field of the customer (and its contacts), when: newest first."""
    entries: list[dict[str, Any]] = []
    records = list(
        customer.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )
    for newer, older in zip(records, [*records[1:], None], strict=False):
        entries.append(_history_entry(newer, older, subject=None))
    contact_history = (
        Contact.history.filter(customer_id=customer.pk)
        .select_related("history_user")
        .order_by("-history_id")[:limit]
    )
    contact_records = list(contact_history)
    previous: dict[int, Any] = {}
    for record in reversed(contact_records):
        entries.append(_history_entry(record, previous.get(record.id), subject=record.name))
        previous[record.id] = record
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries[:limit]


def _history_entry(record: Any, older: Any, *, subject: str | None) -> dict[str, Any]:
    changes = []
    if older is not None and record.history_type == "~":
        delta = record.diff_against(older)
        model = record.instance_type
        for change in delta.changes:
            field = model._meta.get_field(change.field)
            changes.append(
                {
                    "field": str(field.verbose_name),
                    "old": _display(field, change.old),
                    "new": _display(field, change.new),
                }
            )
    return {
        "at": record.history_date,
        "user": record.history_user,
        "type": record.history_type,
        "subject": subject,
        "reason": record.history_change_reason or "",
        "changes": changes,
    }


def _display(field: Any, value: Any) -> str:
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    return str(value)
