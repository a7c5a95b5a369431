"""Every read of sales orders, scoped by who is asking, and the credit exposure of a customer.

A user sees an order iff they see its customer; any other id answers 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from suanpan.core.money import divide
from suanpan.core.sums import fen_sum, yuan
from suanpan.customers.selectors import customer_scoped
from suanpan.ledger import selectors as ledger_selectors
from suanpan.ledger.choices import AccountRole, DimensionKind
from suanpan.ledger.errors import LedgerNotSetUp
from suanpan.sales.choices import ORDER_OPEN_STATUSES
from suanpan.sales.filters.orders import OrderFilter
from suanpan.sales.models import Contract, OrderActivity, Quote, SalesOrder, SalesOrderLine
from suanpan.sales.selectors.common import filtered_list
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

ZERO = Decimal("0.00")
# The list's default order; an index on it lets the first page stop after 25 rows.
LIST_ORDER = ("-ordered_on", "-id")
# The columns of the order list page: the order's, its customer's name and its owner's name.
LIST_PAGE_FIELDS = (
    "id",
    "number",
    "customer_id",
    "customer__id",
    "customer__name",
    "customer_reference",
    "ordered_on",
    "delivery_due_on",
    "status",
    "gross_amount",
    "owner_id",
    "owner__id",
    "owner__display_name",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
)
# What a customer owes us in the ledger: invoiced (open items) and delivered but not invoiced.
RECEIVABLE_ROLES = (AccountRole.RECEIVABLE, AccountRole.RECEIVABLE_UNBILLED)


def order_visible(*, user: User) -> QuerySet[SalesOrder]:
    """Orders of the customers the user sees."""
    return customer_scoped(SalesOrder.objects.all(), user=user, perm="sales.view_salesorder")


def order_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[SalesOrder], OrderFilter]:
    """The filtered, sorted list a user sees; the FilterSet comes back for forms and errors."""
    return filtered_list(
        order_visible(user=user).select_related("customer", "owner"),
        filterset_class=OrderFilter,
        filters=filters,
        default_order=LIST_ORDER,
        tie_breakers=_tie_breakers,
    )


def order_list_page(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[SalesOrder], OrderFilter]:
    """`order_list` reading only the columns the list page shows (the API's schema reads more):
    a narrow row is cheaper to fetch and to build, 25 times a page."""
    queryset, filterset = order_list(user=user, filters=filters)
    return queryset.only(*LIST_PAGE_FIELDS), filterset


def _tie_breakers(last: str) -> tuple[str, ...]:
    """Keys after the chosen sort: a unique last one keeps pages stable when many orders share
    a value, in the direction that reads an index — (ordered_on, id) and (amount, id) forwards
    or backwards, and status within by date as its index (status, -ordered_on) holds it."""
    descending = last.startswith("-")
    if last.lstrip("-") == "status":
        return ("ordered_on", "id") if descending else ("-ordered_on", "-id")
    return ("-id",) if descending else ("id",)


def order_get(*, user: User, pk: int | str) -> SalesOrder:
    """One order the user may see, with its lines; any other id answers 404, never 403."""
    try:
        return (
            order_visible(user=user)
            .select_related(
                "customer",
                "owner",
                "quote",
                "contract",
                "confirmed_by",
                "credit_approved_by",
            )
            .prefetch_related(
                Prefetch("lines", queryset=SalesOrderLine.objects.order_by("position"))
            )
            .get(pk=pk)
        )
    except (SalesOrder.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def order_source_quote(*, user: User, pk: int | str) -> Quote:
    """A quote to make an order from: any quote of a customer the user sees (someone who may
    enter orders need not see the quote list); else 404. Its lines come prefetched."""
    quote = (
        customer_scoped(Quote.objects.all(), user=user)
        .select_related("customer")
        .filter(pk=pk)
        .prefetch_related("lines")
        .first()
    )
    if quote is None:
        raise Http404
    return quote


def order_source_contract(*, user: User, pk: int | str) -> Contract:
    """A contract to place an order under: any contract of a customer the user sees; else 404."""
    contract = (
        customer_scoped(Contract.objects.all(), user=user)
        .select_related("customer", "quote")
        .filter(pk=pk)
        .first()
    )
    if contract is None:
        raise Http404
    return contract


def order_activities(*, order: SalesOrder) -> QuerySet[OrderActivity]:
    """The order's timeline, oldest first."""
    return order.activities.select_related("actor").order_by("at", "id")


def customer_orders(*, customer: Customer, limit: int = 50) -> QuerySet[SalesOrder]:
    """A customer's latest orders (the customer page's tab); the caller checked visibility."""
    return customer.sales_orders.select_related("owner").order_by(*LIST_ORDER)[:limit]


def customer_tab_context(user: User, customer: Customer, params: Any) -> dict[str, Any]:
    """The customer page's Orders tab: the latest orders, how many there are, and what is open."""
    orders = customer.sales_orders.all()
    return {
        "orders": list(customer_orders(customer=customer)),
        "orders_count": orders.count(),
        "orders_open_amount": customer_open_orders(customer=customer),
    }


# ---------------------------------------------------------------------------- credit exposure


@dataclass(frozen=True)
class CreditExposure:
    """What a customer would owe if an order were confirmed, against its credit limit.

    A limit of 0 means no limit (the customer form's default), so nothing is ever in excess.
    """

    limit: Decimal
    receivables: Decimal
    open_orders: Decimal
    order: Decimal
    # Credit control by age: what the customer owes more than `hold_days` past due (the
    # company's setting; 0 turns it off), and since when.
    hold_days: int = 0
    overdue: Decimal = ZERO
    oldest_overdue_on: date | None = None
    # Put on hold by dunning (催款) or by finance, with its reason: held whatever it owes.
    on_hold: bool = False
    hold_reason: str = ""

    @property
    def overdue_held(self) -> bool:
        return self.hold_days > 0 and self.overdue > 0

    @property
    def held(self) -> bool:
        return self.on_hold or self.overdue_held

    @property
    def has_limit(self) -> bool:
        return self.limit > 0

    @property
    def total(self) -> Decimal:
        return self.receivables + self.open_orders + self.order

    @property
    def excess(self) -> Decimal:
        if not self.has_limit:
            return ZERO
        return max(self.total - self.limit, ZERO)


def customer_receivables(*, customer: Customer) -> Decimal:
    """The customer's balance on the receivable and receivable-unbilled accounts, debit
    positive, from posted voucher lines: one query, 0 when no books are set up.

    The ledger reads it (`dimension_balance`) from the customer's own posted lines.
    """
    return ledger_selectors.dimension_balance(
        kind=DimensionKind.CUSTOMER, code=customer.number, roles=RECEIVABLE_ROLES
    )


def customer_open_orders(*, customer: Customer, exclude: SalesOrder | None = None) -> Decimal:
    """The not yet shipped part of the customer's confirmed, picking and partly shipped orders.

    A line counts with gross × (quantity − shipped) / quantity. Lines with nothing shipped are
    summed in SQL in fen; partly shipped lines (few) are read in a second query and worked out
    like a delivery does, so the open part plus what shipped is exactly the line's amount.
    """
    lines = SalesOrderLine.objects.filter(
        order__customer=customer, order__status__in=ORDER_OPEN_STATUSES
    )
    if exclude is not None and exclude.pk:
        lines = lines.exclude(order_id=exclude.pk)
    unshipped = yuan(
        lines.filter(shipped_quantity=0).aggregate(total=fen_sum("gross_amount"))["total"]
    )
    partly = lines.filter(shipped_quantity__gt=0, shipped_quantity__lt=F("quantity"))
    rest = sum(
        (
            gross - divide(gross * shipped, quantity)
            for gross, quantity, shipped in partly.values_list(
                "gross_amount", "quantity", "shipped_quantity"
            )
        ),
        ZERO,
    )
    return unshipped + rest


def customer_overdue(
    *, customer: Customer, today: date | None = None
) -> tuple[int, Decimal, date | None]:
    """The company's hold setting in days, what the customer owes more than that many days past
    due, and the oldest such due date; nothing when the setting is 0 or there are no books."""
    try:
        days = ledger_selectors.company_get().credit_hold_overdue_days
    except LedgerNotSetUp:
        return 0, ZERO, None
    account = ledger_selectors.account_for_role(AccountRole.RECEIVABLE) if days else None
    if not days or account is None:
        return days, ZERO, None
    today = today or timezone.localdate()
    amount, oldest = ledger_selectors.dimension_overdue(
        account=account, code=customer.number, before=today - timedelta(days=days)
    )
    return days, amount, oldest


def customer_exposure(*, customer: Customer, order: SalesOrder | None = None) -> CreditExposure:
    """The credit check's figures for confirming `order` (or none): receivables + open orders
    + the order's gross amount, against the customer's credit limit; and what the customer
    owes past the company's hold days. Up to five queries."""
    hold_days, overdue, oldest = customer_overdue(customer=customer)
    return CreditExposure(
        limit=customer.credit_limit_amount,
        receivables=customer_receivables(customer=customer),
        open_orders=customer_open_orders(customer=customer, exclude=order),
        order=order.gross_amount if order is not None else ZERO,
        hold_days=hold_days,
        overdue=overdue,
        oldest_overdue_on=oldest,
        on_hold=customer.credit_hold,
        hold_reason=customer.credit_hold_reason,
    )
