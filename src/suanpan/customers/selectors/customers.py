"""Every read of customers, scoped by who is asking."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.query import ModelIterable
from django.http import Http404

from suanpan.core.bulk import ids_in
from suanpan.core.filtering import filterset_qs
from suanpan.core.locks import for_update
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.filters import CustomerFilter
from suanpan.customers.models import Contact, Customer
from suanpan.customers.types import CustomerRef
from suanpan.ledger import selectors as ledger_selectors
from suanpan.ledger.choices import DimensionKind
from suanpan.ledger.selectors import CustomerFigures
from suanpan.ledger.types import Role
from suanpan.users.models import User

# Who may see what customers owe, beside the customers they see (see users/roles.py).
BALANCE_PERMISSION = "customers.view_customer_balance"

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
    """`customer_list` as the list page shows it: only its columns, and each customer's first
    contact (the primary one, else the first by name) in `primary_contact_name` and
    `primary_contact_phone`, read in the same query for the page's rows only."""
    queryset, filterset = customer_list(user=user, filters=filters)
    # Contact's own order: the primary contact first.
    first_contact = Contact.objects.filter(customer=OuterRef("pk")).order_by(
        "-is_primary", "name", "id"
    )
    queryset = queryset.only(*LIST_PAGE_FIELDS).annotate(
        primary_contact_name=Subquery(first_contact.values("name")[:1]),
        primary_contact_phone=Subquery(first_contact.values("phone")[:1]),
    )
    return customers_with_figures(queryset, user=user), filterset


def customer_figures_visible(*, user: User) -> bool:
    """Whether the user sees balance, overdue and days to pay of the customers it sees."""
    return user.has_perm(BALANCE_PERMISSION)


class _WithFigures(ModelIterable):
    """Customers as the queryset yields them, each with its ledger figures in `figures`: read
    for all the rows fetched at once (a page, once sliced), in one query."""

    def __iter__(self) -> Iterator[Customer]:
        customers: list[Customer] = list(super().__iter__())
        figures = ledger_selectors.customer_figures(
            codes=[c.number for c in customers], kind=DimensionKind.CUSTOMER
        )
        for customer in customers:
            customer.figures = figures[customer.number]  # type: ignore[attr-defined]
        yield from customers


def customers_with_figures(queryset: QuerySet[Customer], *, user: User) -> QuerySet[Customer]:
    """The queryset, still a QuerySet (it counts, slices and pages), whose customers come with
    `figures` (`ledger.selectors.CustomerFigures`) when the user may see them; without the
    permission the customers come as they are, with no `figures`.

    The figures are read after the page's rows, in one query whatever their number: sorting by
    them would read them for every customer the filters let through, so lists do not sort by
    them.
    """
    if not customer_figures_visible(user=user):
        return queryset
    queryset = queryset.all()
    queryset._iterable_class = _WithFigures
    return queryset


def customer_figures(*, user: User, customer: Customer) -> CustomerFigures | None:
    """One customer's figures for its page and the API, in one query; None when the user may
    not see them. The caller has fetched the customer through the user's scope."""
    if not customer_figures_visible(user=user):
        return None
    return ledger_selectors.customer_figures(codes=[customer.number], kind=DimensionKind.CUSTOMER)[
        customer.number
    ]


def customer_advance(*, user: User, customer: Customer) -> Decimal | None:
    """What the customer has paid in advance (预收) and not yet had applied, positive, beside
    its receivable figures; None when the user may not see those. One query."""
    if not customer_figures_visible(user=user):
        return None
    balance = ledger_selectors.dimension_balance(
        kind=DimensionKind.CUSTOMER, code=customer.number, roles=[Role.CUSTOMER_ADVANCE]
    )
    return -balance


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


def customers_locked(*, pks: Iterable[int]) -> dict[int, CustomerRef]:
    """Many customers, locked in id order (so two batches never deadlock) until the caller's
    transaction ends: what a batch over thousands of customers takes one chunk at a time, as
    plain rows (a model instance each would cost more than the batch's own work)."""
    rows = (
        for_update(Customer.objects.all())
        .filter(pk__in=ids_in(set(pks)))
        .order_by("pk")
        .values_list("pk", "number", "name")
    )
    return {pk: CustomerRef(pk, number, name) for pk, number, name in rows}


def customer_by_id(pk: int) -> Customer | None:
    """The customer with this id, or None: for ids an API caller sends, which the document
    services then check for visibility and status."""
    return Customer.objects.filter(pk=pk).first()
