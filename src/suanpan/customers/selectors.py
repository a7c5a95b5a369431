"""Every read of customers, scoped by who is asking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from suanpan.customers.choices import CustomerStatus
from suanpan.customers.filters import CustomerFilter
from suanpan.customers.models import Contact, Customer, FollowUp
from suanpan.users.models import User


def customer_visible(*, user: User) -> QuerySet[Customer]:
    """Customers the user may see: all for managers and accounting, else own and shared ones."""
    queryset = Customer.objects.all()
    if user.has_perm("customers.view_all_customers"):
        return queryset
    if not user.has_perm("customers.view_customer"):
        return queryset.none()
    shared = Customer.shared_with.through.objects.filter(user_id=user.pk).values("customer_id")
    return queryset.filter(Q(owner_id=user.pk) | Q(pk__in=shared))


def customer_is_visible(*, user: User, customer_id: int) -> bool:
    """Whether the user may see this customer: the check every document service makes before
    acting for a customer (someone else's customer answers as if it did not exist)."""
    return customer_visible(user=user).filter(pk=customer_id).exists()


def customer_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[Customer], CustomerFilter]:
    """The filtered, sorted list a user sees; the FilterSet comes back for forms and errors."""
    base = customer_visible(user=user).select_related("owner")
    filterset = CustomerFilter(data=filters or {}, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    if not (filters or {}).get("ordering"):
        queryset = queryset.order_by("-created_at", "-id")
    return queryset, filterset


def customer_get(*, user: User, pk: int | str) -> Customer:
    """One customer the user may see; any other id answers 404, never 403."""
    try:
        return (
            customer_visible(user=user)
            .select_related("owner", "merged_into")
            .prefetch_related("tags", "shared_with")
            .get(pk=pk)
        )
    except (Customer.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def contact_list(*, customer: Customer) -> QuerySet[Contact]:
    return customer.contacts.all()


def followup_list(*, customer: Customer) -> QuerySet[FollowUp]:
    return customer.followups.select_related("author")


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


def customer_search(*, user: User, q: str, limit: int = 10) -> list[dict[str, Any]]:
    """Open customers the user sees matching `q` like the list's search box, for pickers:
    id, number and name of at most `limit` (1–50), best-known names first. One query."""
    limit = max(1, min(limit, 50))
    base = customer_visible(user=user).exclude(status=CustomerStatus.CLOSED)
    filterset = CustomerFilter(data={"q": q} if q.strip() else {}, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    return list(queryset.order_by("name_pinyin", "id").values("id", "number", "name")[:limit])
