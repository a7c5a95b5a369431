"""Every write of sales orders: entry, the status workflow, the credit check, the timeline.

Each service runs in one transaction with the order locked (`select_for_update`) before it is
changed, and writes an `OrderActivity` naming the actor, so the timeline shows every change.
A user acts only on orders of customers they see (`customers.selectors.customer_visible`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import PermissionDeniedError, ValidationFailed
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_next
from suanpan.customers.selectors import (
    customer_delivery_address,
)
from suanpan.ledger.services import business_dates_require
from suanpan.sales.choices import (
    QUOTE_CONVERTIBLE_STATUSES,
    ContractStatus,
    OrderActivityKind,
    OrderStatus,
    QuoteStatus,
)
from suanpan.sales.errors import (
    CreditHoldOverdue,
    CreditHoldPlaced,
    CreditLimitExceeded,
    InvalidOrderTransition,
    LinesMissing,
    OrderSourceNotUsable,
    QuoteAlreadyConverted,
)
from suanpan.sales.models import (
    Contract,
    OrderActivity,
    Quote,
    SalesOrder,
    SalesOrderLine,
)
from suanpan.sales.selectors.orders import CreditExposure, customer_exposure
from suanpan.sales.selectors.quotes import quote_order
from suanpan.sales.services.lines import (
    LineInput,
    PricedLine,
    lines_copied,
    lines_price,
    lines_replace,
)
from suanpan.sales.services.order_common import (
    CANCELLABLE,
    ORDER_SERIES,
    OrderInput,
    activity_add,
    changes_described,
    customer_check,
    header_check,
    header_set,
    line_key,
    money_text,
    number_period,
    order_and_customer_locked,
    order_locked,
    owner_check,
    sources_check,
    status_change,
    transition_refused,
)
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

__all__ = [
    "ORDER_SERIES",
    "OrderInput",
    "order_cancel",
    "order_complete",
    "order_confirm",
    "order_create",
    "order_create_from_contract",
    "order_create_from_quote",
    "order_note_add",
    "order_pick",
    "order_update",
]

# ---------------------------------------------------------------------------- entry


@transaction.atomic
def order_create(*, actor: User, data: OrderInput) -> SalesOrder:
    """A draft order of a customer the actor sees, numbered XS-YYYYMM-nnnn (gapless)."""
    permission_require(actor, "sales.add_salesorder")
    customer_check(actor=actor, customer=data.customer)
    owner = owner_check(actor=actor, owner=data.owner)
    sources_check(data=data)
    header_check(data)
    priced = lines_price(inputs=data.lines, price_includes_tax=data.price_includes_tax)
    order = SalesOrder(owner=owner, status=OrderStatus.DRAFT)
    header_set(order, data)
    # The goods go to the customer's address unless the order names another.
    order.delivery_address = order.delivery_address or customer_delivery_address(
        customer=data.customer
    )
    order.number = number_next(series=ORDER_SERIES, period=number_period(data.ordered_on))
    order.save()
    lines_replace(document=order, lines=priced, line_model=SalesOrderLine, parent_field="order")
    order.save(update_fields=["net_amount", "tax_amount", "gross_amount", "updated_at"])
    activity_add(order, actor=actor, kind=OrderActivityKind.CREATED, to_status=OrderStatus.DRAFT)
    return order


@transaction.atomic
def order_update(*, actor: User, order: SalesOrder, data: OrderInput) -> SalesOrder:
    """Replace a draft order's header and lines; the timeline lists what changed."""
    permission_require(actor, "sales.change_salesorder")
    order = order_locked(order, actor=actor)
    if order.status != OrderStatus.DRAFT:
        raise InvalidOrderTransition(
            _("Order %(number)s is %(status)s: only draft orders can be changed.")
            % {"number": order.number, "status": order.get_status_display()},
            number=order.number,
            from_status=order.get_status_display(),
            to_status=OrderStatus.DRAFT.label,
        )
    if data.customer.pk != order.customer_id:
        customer_check(actor=actor, customer=data.customer)
    sources_check(data=data)
    header_check(data, was=order)
    priced = lines_price(inputs=data.lines, price_includes_tax=data.price_includes_tax)
    old_lines = list(order.lines.order_by("position"))
    old_gross = order.gross_amount
    changes = changes_described(order, data)
    header_set(order, data)
    lines_replace(document=order, lines=priced, line_model=SalesOrderLine, parent_field="order")
    if [line_key(line) for line in old_lines] != [
        (line.product.pk, line.quantity, line.unit_price, line.discount_rate) for line in priced
    ]:
        changes.append(
            _("Lines: %(old)s → %(new)s, total ¥%(old_total)s → ¥%(new_total)s")
            % {
                "old": len(old_lines),
                "new": len(priced),
                "old_total": money_text(old_gross),
                "new_total": money_text(order.gross_amount),
            }
        )
    order.save()
    activity_add(
        order,
        actor=actor,
        kind=OrderActivityKind.CHANGED,
        note="\n".join(changes) if changes else _("Saved without changes."),
    )
    return order


def _order_from_copy(
    *,
    actor: User,
    customer: Customer,
    lines: list[PricedLine],
    price_includes_tax: bool,
    ordered_on: date | None,
    quote: Quote | None,
    contract: Contract | None,
    note: str,
) -> SalesOrder:
    ordered_on = ordered_on or timezone.localdate()
    business_dates_require({"ordered_on": ordered_on})
    order = SalesOrder(
        customer=customer,
        owner=actor,
        status=OrderStatus.DRAFT,
        ordered_on=ordered_on,
        price_includes_tax=price_includes_tax,
        quote=quote,
        contract=contract,
        delivery_address=customer_delivery_address(customer=customer),
    )
    order.number = number_next(series=ORDER_SERIES, period=number_period(ordered_on))
    order.save()
    lines_replace(document=order, lines=lines, line_model=SalesOrderLine, parent_field="order")
    order.save(update_fields=["net_amount", "tax_amount", "gross_amount", "updated_at"])
    activity_add(
        order, actor=actor, kind=OrderActivityKind.CREATED, to_status=OrderStatus.DRAFT, note=note
    )
    return order


@audited
@transaction.atomic
def order_create_from_quote(
    *, actor: User, quote: Quote, ordered_on: date | None = None
) -> SalesOrder:
    """A draft order with the lines of a sent or accepted quote, copied exactly (prices and
    amounts to the fen); the quote becomes accepted.

    One order per quote: a quote that has one (not cancelled) is refused with
    `QuoteAlreadyConverted` naming it. The quote's row lock makes a double submit wait for the
    first and then see its order. Another order from the same offer goes through a copy of
    the quote.
    """
    permission_require(actor, "sales.add_salesorder")
    quote = for_update(Quote.objects.all()).get(pk=quote.pk)
    customer_check(actor=actor, customer=quote.customer)
    existing = quote_order(quote)
    if existing is not None:
        raise QuoteAlreadyConverted(
            _("Quote %(number)s was already converted to order %(order)s."),
            number=quote.number,
            order=existing.number,
            existing_id=existing.pk,
        )
    if quote.status not in QUOTE_CONVERTIBLE_STATUSES:
        raise OrderSourceNotUsable(
            source=quote.number,
            reason=_("the quote is %(status)s; only sent or accepted quotes become orders.")
            % {"status": quote.get_status_display()},
        )
    lines = lines_copied(quote.lines.select_related("product").order_by("position"))
    if not lines:
        raise LinesMissing(fields={"lines": [LinesMissing.default_message]})
    order = _order_from_copy(
        actor=actor,
        customer=quote.customer,
        lines=lines,
        price_includes_tax=quote.price_includes_tax,
        ordered_on=ordered_on,
        quote=quote,
        contract=None,
        note=_("From quote %(number)s.") % {"number": quote.number},
    )
    if quote.status != QuoteStatus.ACCEPTED:
        quote.status = QuoteStatus.ACCEPTED
        quote.save(update_fields=["status", "updated_at"])
    return order


@transaction.atomic
def order_create_from_contract(
    *,
    actor: User,
    contract: Contract,
    lines: Sequence[LineInput] = (),
    price_includes_tax: bool = True,
    ordered_on: date | None = None,
) -> SalesOrder:
    """A draft order under a contract in force: the contract's quote lines copied exactly when
    it has a quote, else the `lines` entered."""
    permission_require(actor, "sales.add_salesorder")
    contract = Contract.objects.select_related("customer", "quote").get(pk=contract.pk)
    customer_check(actor=actor, customer=contract.customer)
    if contract.status != ContractStatus.ACTIVE:
        raise OrderSourceNotUsable(
            source=contract.number,
            reason=_("the contract is %(status)s; orders are placed under contracts in force.")
            % {"status": contract.get_status_display()},
        )
    note = _("Under contract %(number)s.") % {"number": contract.number}
    if contract.quote is not None:
        priced = lines_copied(contract.quote.lines.select_related("product").order_by("position"))
        price_includes_tax = contract.quote.price_includes_tax
    else:
        priced = lines_price(inputs=lines, price_includes_tax=price_includes_tax)
    if not priced:
        raise LinesMissing(fields={"lines": [LinesMissing.default_message]})
    return _order_from_copy(
        actor=actor,
        customer=contract.customer,
        lines=priced,
        price_includes_tax=price_includes_tax,
        ordered_on=ordered_on,
        quote=contract.quote,
        contract=contract,
        note=note,
    )


# ---------------------------------------------------------------------------- workflow


def _credit_refusal(customer: Customer, exposure: CreditExposure) -> CreditLimitExceeded:
    if exposure.excess <= 0 and exposure.on_hold:
        placed = CreditHoldPlaced(customer=customer.name, reason=exposure.hold_reason or "—")
        placed.exposure = exposure  # type: ignore[attr-defined]
        return placed
    if exposure.excess <= 0 and exposure.held:
        held = CreditHoldOverdue(
            customer=customer.name,
            overdue=money_text(exposure.overdue),
            days=exposure.hold_days,
            since=exposure.oldest_overdue_on.isoformat() if exposure.oldest_overdue_on else "",
        )
        held.exposure = exposure  # type: ignore[attr-defined]
        return held
    error = CreditLimitExceeded(
        customer=customer.name,
        limit=money_text(exposure.limit),
        exposure=money_text(exposure.total),
        receivables=money_text(exposure.receivables),
        open_orders=money_text(exposure.open_orders),
        order=money_text(exposure.order),
        excess=money_text(exposure.excess),
    )
    error.exposure = exposure  # type: ignore[attr-defined]
    return error


@transaction.atomic
def order_confirm(
    *, actor: User, order: SalesOrder, credit_approval_reason: str = ""
) -> SalesOrder:
    """Confirm a draft order after the credit check.

    Exposure = the customer's open receivables + its open orders + this order. Over a credit
    limit above 0 the order is refused (`CreditLimitExceeded`) unless the actor holds
    `sales.approve_credit` and gives a reason, which is stored and logged. A limit of 0 means
    the customer has no limit. The customer row is locked, so two orders of one customer
    confirmed at the same moment are checked one after the other.
    """
    permission_require(actor, "sales.confirm_salesorder", "sales.approve_credit")
    order, customer = order_and_customer_locked(order, actor=actor)
    if order.status != OrderStatus.DRAFT:
        raise transition_refused(order, OrderStatus.CONFIRMED)
    reason = credit_approval_reason.strip()
    exposure = customer_exposure(customer=customer, order=order)
    approved = False
    if exposure.excess > 0 or exposure.held:
        if not actor.has_perm("sales.approve_credit"):
            raise _credit_refusal(customer, exposure)
        if not reason:
            error = _credit_refusal(customer, exposure)
            error.fields = {"credit_approval_reason": [_("Give a reason to approve the excess.")]}
            raise error
        approved = True
    elif not actor.has_perm("sales.confirm_salesorder"):
        # Finance managers confirm only what needs their approval.
        raise PermissionDeniedError()
    order.confirmed_at = timezone.now()
    order.confirmed_by = actor
    fields = ["confirmed_at", "confirmed_by"]
    if approved:
        order.credit_approved_by = actor
        order.credit_approval_reason = reason
        fields += ["credit_approved_by", "credit_approval_reason"]
    order.save(update_fields=fields)
    if approved:
        notes = []
        if exposure.excess > 0:
            notes.append(
                _("Limit ¥%(limit)s, exposure ¥%(exposure)s, excess ¥%(excess)s.")
                % {
                    "limit": money_text(exposure.limit),
                    "exposure": money_text(exposure.total),
                    "excess": money_text(exposure.excess),
                }
            )
        if exposure.on_hold:
            notes.append(_("On credit hold: %(reason)s.") % {"reason": exposure.hold_reason or "—"})
        if exposure.overdue_held:
            notes.append(
                _("Overdue more than %(days)s days: ¥%(overdue)s.")
                % {"days": exposure.hold_days, "overdue": money_text(exposure.overdue)}
            )
        notes.append(_("Reason: %(reason)s") % {"reason": reason})
        activity_add(
            order, actor=actor, kind=OrderActivityKind.CREDIT_APPROVED, note=" ".join(notes)
        )
    status_change(order, actor=actor, to_status=OrderStatus.CONFIRMED)
    return order


@transaction.atomic
def order_pick(*, actor: User, order: SalesOrder) -> SalesOrder:
    """Confirmed → picking (备货): the warehouse is getting the goods ready."""
    permission_require(actor, "sales.change_salesorder", "inventory.add_delivery")
    order = order_locked(order, actor=actor)
    if order.status != OrderStatus.CONFIRMED:
        raise transition_refused(order, OrderStatus.PICKING)
    status_change(order, actor=actor, to_status=OrderStatus.PICKING)
    return order


@transaction.atomic
def order_complete(*, actor: User, order: SalesOrder) -> SalesOrder:
    """Shipped → completed: nothing more is expected on the order."""
    permission_require(actor, "sales.change_salesorder")
    order = order_locked(order, actor=actor)
    if order.status != OrderStatus.SHIPPED:
        raise transition_refused(order, OrderStatus.COMPLETED)
    status_change(order, actor=actor, to_status=OrderStatus.COMPLETED)
    return order


@transaction.atomic
def order_cancel(*, actor: User, order: SalesOrder, reason: str) -> SalesOrder:
    """Cancel an order that shipped nothing (draft, confirmed or picking); a reason is needed."""
    permission_require(actor, "sales.change_salesorder")
    order = order_locked(order, actor=actor)
    reason = reason.strip()
    if order.status not in CANCELLABLE:
        raise transition_refused(order, OrderStatus.CANCELLED)
    # Lines are locked too: a delivery shipping from the order right now waits for us.
    shipped = for_update(SalesOrderLine.objects.filter(order=order, shipped_quantity__gt=0))
    if shipped.exists():
        raise InvalidOrderTransition(
            _("Order %(number)s has shipped goods: return them before cancelling.")
            % {"number": order.number},
            number=order.number,
            from_status=order.get_status_display(),
            to_status=OrderStatus.CANCELLED.label,
        )
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say why the order is cancelled.")]})
    order.cancel_reason = reason[:300]
    order.save(update_fields=["cancel_reason"])
    status_change(order, actor=actor, to_status=OrderStatus.CANCELLED, note=reason)
    return order


@transaction.atomic
def order_note_add(*, actor: User, order: SalesOrder, note: str) -> OrderActivity:
    """A free note on the order's timeline."""
    permission_require(
        actor, "sales.change_salesorder", "sales.approve_credit", "inventory.add_delivery"
    )
    order = order_locked(order, actor=actor)
    note = note.strip()
    if not note:
        raise ValidationFailed(fields={"note": [_("Write a note.")]})
    return activity_add(order, actor=actor, kind=OrderActivityKind.NOTE, note=note)
