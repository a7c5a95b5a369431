"""Every read of customers, scoped by who is asking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db.models import Model, Prefetch, Q, QuerySet
from django.http import Http404

from suanpan.core.filtering import filterset_qs
from suanpan.core.locks import for_update
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.filters import CustomerFilter
from suanpan.customers.models import Contact, Customer
from suanpan.users.models import User

M = TypeVar("M", bound=Model)


def customer_visible(*, user: User) -> QuerySet[Customer]:
    """Customers the user may see: all for managers and accounting, else own and shared ones."""
    queryset = Customer.objects.all()
    if user.has_perm("customers.view_all_customers"):
        return queryset
    if not user.has_perm("customers.view_customer"):
        return queryset.none()
    shared = Customer.shared_with.through.objects.filter(user_id=user.pk).values("customer_id")
    return queryset.filter(Q(owner_id=user.pk) | Q(pk__in=shared))


def customer_scoped(queryset: QuerySet[M], *, user: User, perm: str | None = None) -> QuerySet[M]:
    """The rows of `queryset` (any document with a `customer`) whose customer the user sees;
    none without `perm` when one is given. The one scoping every app's documents use."""
    if perm is not None and not user.has_perm(perm):
        return queryset.none()
    if user.has_perm("customers.view_all_customers"):
        return queryset
    return queryset.filter(customer_id__in=customer_visible(user=user).values("pk"))


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
    queryset = filterset_qs(filterset, base=base)
    if not (filters or {}).get("ordering"):
        queryset = queryset.order_by("-created_at", "-id")
    return queryset, filterset


# What the list page shows of each customer and its owner: reading only these columns keeps a
# page of the wide customer rows cheap (measured in docs/benchmarks.md, "List pages over HTTP").
LIST_PAGE_FIELDS = (
    "id",
    "number",
    "name",
    "short_name",
    "status",
    "grade",
    "payment_terms_days",
    "credit_limit_amount",
    "owner__id",
    "owner__display_name",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)


def customer_list_page(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[Customer], CustomerFilter]:
    """`customer_list` as the list page shows it: only its columns, and each customer's
    contacts (name and phone, primary first) in `contact_rows`, read in one more query."""
    queryset, filterset = customer_list(user=user, filters=filters)
    contacts = Prefetch(
        "contacts",
        queryset=Contact.objects.only("id", "customer_id", "name", "phone", "is_primary"),
        to_attr="contact_rows",
    )
    return queryset.only(*LIST_PAGE_FIELDS).prefetch_related(contacts), filterset


def customer_label(*, pk: int | str) -> str:
    """ "Name (number)" of a customer for a picker showing the chosen one; "" if there is none.
    The form field's queryset, not this label, decides what may be picked."""
    found = Customer.objects.filter(pk=pk).values_list("number", "name").first()
    return f"{found[1]} ({found[0]})" if found else ""


def customer_by_number(*, user: User, number: str) -> Customer | None:
    """The customer the user sees under this number (as typed: trimmed, any case), or None."""
    return customer_visible(user=user).filter(number=number.strip().upper()).first()


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


def customer_search(*, user: User, q: str, limit: int = 10) -> list[dict[str, Any]]:
    """Open customers the user sees matching `q` like the list's search box, for pickers:
    id, number and name of at most `limit` (1–50), best-known names first. One query."""
    limit = max(1, min(limit, 50))
    base = customer_visible(user=user).exclude(status=CustomerStatus.CLOSED)
    filterset = CustomerFilter(data={"q": q} if q.strip() else {}, queryset=base)
    queryset = filterset_qs(filterset, base=base)
    return list(queryset.order_by("name_pinyin", "id").values("id", "number", "name")[:limit])


def customer_ids_matching(query: str) -> QuerySet[Customer, Any]:
    """The ids of customers whose search text holds `query` (already normalised with
    `calculations.search_query_normalize`), as a subquery other apps filter documents by: the
    search text has a trigram index, so the customers are found first."""
    return Customer.objects.filter(search_text__contains=query).values("pk")


def customer_locked(*, pk: int) -> Customer:
    """The customer, locked until the caller's transaction ends: documents that check a
    customer's credit take this lock so two confirmations are judged one after the other."""
    return for_update(Customer.objects.all()).get(pk=pk)


def customer_by_id(pk: int) -> Customer | None:
    """The customer with this id, or None: for ids an API caller sends, which the document
    services then check for visibility and status."""
    return Customer.objects.filter(pk=pk).first()
