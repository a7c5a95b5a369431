"""What the order services share: the order as entered, its checks, the lock, the timeline.

Kept apart from `orders` (entry, workflow, batch) so that module stays readable; other apps
use `sales.services` and never import this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from suanpan.core.errors import NotFound, ValidationFailed
from suanpan.core.locks import for_update
from suanpan.customers.selectors import customer_is_visible, customer_locked
from suanpan.ledger.services import business_dates_require
from suanpan.sales.choices import OrderActivityKind, OrderStatus
from suanpan.sales.errors import InvalidOrderTransition, OrderSourceNotUsable
from suanpan.sales.models import Contract, OrderActivity, Quote, SalesOrder
from suanpan.sales.services.lines import LineInput
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

ORDER_SERIES = "XS"

# The header fields a person sets; the rest (number, status, totals, approvals) services keep.
HEADER_FIELDS = (
    "customer",
    "ordered_on",
    "delivery_due_on",
    "price_includes_tax",
    "customer_reference",
    "delivery_address",
    "contact_name",
    "contact_phone",
    "notes",
)

# Cancelling is allowed until goods leave: afterwards a return has to bring them back first.
CANCELLABLE = (OrderStatus.DRAFT, OrderStatus.CONFIRMED, OrderStatus.PICKING)


@dataclass(frozen=True)
class OrderInput:
    """An order as entered: header and lines (prices in the order's tax basis)."""

    customer: Customer
    ordered_on: date
    lines: Sequence[LineInput]
    price_includes_tax: bool = True
    delivery_due_on: date | None = None
    customer_reference: str = ""
    delivery_address: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    notes: str = ""
    # None: the actor owns the order.
    owner: User | None = None
    quote: Quote | None = None
    contract: Contract | None = None


# ---------------------------------------------------------------------------- helpers


def customer_check(*, actor: User, customer: Customer) -> None:
    # Someone else's customer answers as if it did not exist, like every page does.
    if not customer_is_visible(user=actor, customer_id=customer.pk):
        raise NotFound(_("No such customer."))


def owner_check(*, actor: User, owner: User | None) -> User:
    if owner is None or owner == actor:
        return actor
    if not actor.has_perm("customers.view_all_customers"):
        raise ValidationFailed(
            fields={"owner": [_("Only a manager can enter orders for someone else.")]}
        )
    if not owner.is_active:
        raise ValidationFailed(fields={"owner": [_("This user is deactivated.")]})
    return owner


def sources_check(*, data: OrderInput) -> None:
    """A linked quote or contract must belong to the order's customer."""
    for source in (data.quote, data.contract):
        if source is not None and source.customer_id != data.customer.pk:
            raise OrderSourceNotUsable(
                fields={
                    "quote" if isinstance(source, Quote) else "contract": [
                        _("It belongs to another customer.")
                    ]
                },
                source=str(source),
                reason=_("it belongs to another customer."),
            )


def header_check(data: OrderInput, *, was: SalesOrder | None = None, checked: bool = False) -> None:
    """The order's dates within the window (those unchanged since `was` are not checked again;
    `checked`: a batch checked them all at once), delivery not before the order."""
    if not checked:
        business_dates_require(
            {"ordered_on": data.ordered_on},
            {"delivery_due_on": data.delivery_due_on},
            was=None
            if was is None
            else {"ordered_on": was.ordered_on, "delivery_due_on": was.delivery_due_on},
        )
    if data.delivery_due_on is not None and data.delivery_due_on < data.ordered_on:
        raise ValidationFailed(
            fields={"delivery_due_on": [_("The delivery date cannot be before the order date.")]}
        )


def header_set(order: SalesOrder, data: OrderInput) -> None:
    for name in HEADER_FIELDS:
        setattr(order, name, getattr(data, name))
    order.quote = data.quote
    order.contract = data.contract


def activity_add(
    order: SalesOrder,
    *,
    actor: User,
    kind: str,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
) -> OrderActivity:
    return OrderActivity.objects.create(
        order=order,
        kind=kind,
        note=note,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
    )


def order_locked(order: SalesOrder, *, actor: User) -> SalesOrder:
    """The order, locked for `actor`'s change; someone else's customer's is not found."""
    order = for_update(SalesOrder.objects.select_related("customer")).get(pk=order.pk)
    customer_check(actor=actor, customer=order.customer)
    return order


def _customer_id_of(order: SalesOrder) -> int:
    customer_id: int = SalesOrder.objects.values_list("customer_id", flat=True).get(pk=order.pk)
    return customer_id


def order_and_customer_locked(order: SalesOrder, *, actor: User) -> tuple[SalesOrder, Customer]:
    """The order's customer, then the order, locked in that order — a customer before its
    documents, as a customer merge takes them (docs/locking.md). An order that a merge moved
    to another customer meanwhile is followed to the customer that stays."""
    customer_id = _customer_id_of(order)
    while True:
        customer = customer_locked(pk=customer_id)
        # A merge locks the customer it closes, so under this lock the order stays with it.
        moved_to = _customer_id_of(order)
        if moved_to == customer_id:
            return order_locked(order, actor=actor), customer
        customer_id = moved_to


def transition_refused(order: SalesOrder, to_status: str) -> InvalidOrderTransition:
    return InvalidOrderTransition(
        number=order.number,
        from_status=order.get_status_display(),
        to_status=OrderStatus(to_status).label,
    )


def status_change(order: SalesOrder, *, actor: User, to_status: str, note: str = "") -> None:
    from_status = order.status
    order.status = to_status
    order.save(update_fields=["status", "updated_at"])
    activity_add(
        order,
        actor=actor,
        kind=OrderActivityKind.STATUS,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def number_period(on: date) -> str:
    return f"{on:%Y%m}"


def money_text(value: Decimal) -> str:
    return f"{value:,.2f}"


def changes_described(order: SalesOrder, data: OrderInput) -> list[str]:
    """What an update changes, in words for the timeline."""
    changes = []
    for name in HEADER_FIELDS:
        old, new = getattr(order, name), getattr(data, name)
        if old != new:
            label = getattr(SalesOrder._meta.get_field(name), "verbose_name", name)
            changes.append(f"{label}: {value_shown(old)} → {value_shown(new)}")
    return changes


def value_shown(value: Any) -> str:
    if value in (None, ""):
        return "—"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def line_key(line: Any) -> tuple[Any, ...]:
    return (line.product_id, line.quantity, line.unit_price, line.discount_rate)
