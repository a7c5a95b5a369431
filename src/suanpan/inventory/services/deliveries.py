"""Deliveries (发货单): draft, ship, sign for, cancel — with stock, the order and the ledger.

Shipping is one transaction: the delivery is locked, then the order and its lines
(`order_lines_ship` re-checks the remaining quantity under that lock), then the stock levels and
product costs (`stock_moves_apply` refuses negative stock), then the ledger. Every writer takes
the locks in that order — delivery, order, order lines, stock — so concurrent deliveries queue
instead of deadlocking, and a failure anywhere leaves nothing written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import NotFound, ValidationFailed
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_next
from suanpan.customers.selectors import customer_is_visible
from suanpan.inventory.calculations import postings
from suanpan.inventory.choices import DeliveryStatus, MoveKind
from suanpan.inventory.errors import (
    DeliveryDateInvalid,
    DeliveryLinesInvalid,
    DocumentNotInStatus,
)
from suanpan.inventory.models import Delivery, DeliveryLine, DeliveryReturnLine, Warehouse
from suanpan.inventory.services.stock import MoveInput, stock_moves_apply, voucher_book
from suanpan.inventory.services.warehouses import warehouse_active_require
from suanpan.ledger.choices import RevenuePolicy
from suanpan.ledger.selectors import vouchers_for_source
from suanpan.ledger.services import business_dates_require, company_get
from suanpan.sales.calculations import share_of_line
from suanpan.sales.choices import ORDER_SHIPPABLE_STATUSES
from suanpan.sales.errors import OrderNotShippable
from suanpan.sales.selectors import order_lines_by_id, order_with_customer
from suanpan.sales.services.shipments import order_lines_ship, order_lines_unship
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.sales.models import SalesOrder, SalesOrderLine

SERIES = "FH"
DRAFT_FIELDS = ("warehouse", "courier", "tracking_number", "delivery_address", "notes")
# What may still change once the goods are on their way: the courier's details.
TRACKING_FIELDS = ("courier", "tracking_number", "signed_on")
ZERO = Decimal(0)


@dataclass(frozen=True)
class DeliveryLineInput:
    order_line_id: int
    quantity: Decimal


def _locked(delivery: Delivery) -> Delivery:
    return for_update(Delivery.objects.select_related("order", "customer", "warehouse")).get(
        pk=delivery.pk
    )


def _status_require(delivery: Delivery, *statuses: str) -> None:
    if delivery.status not in statuses:
        raise DocumentNotInStatus(number=delivery.number, status=delivery.get_status_display())


def _lines_checked(
    order: SalesOrder, lines: Sequence[DeliveryLineInput] | None
) -> list[tuple[SalesOrderLine, Decimal]]:
    """The order lines to deliver with their quantities; by default all that remains.

    A draft is checked against what remains now; shipping checks again under the order's lock.
    """
    order_lines = {line.pk: line for line in order.lines.select_related("product")}
    if lines is None:
        chosen = [
            (line, line.open_quantity)
            for line in sorted(order_lines.values(), key=lambda x: x.position)
            if line.open_quantity > 0
        ]
        if not chosen:
            raise DeliveryLinesInvalid(
                _("Everything on order %(number)s has been shipped.") % {"number": order.number},
                fields={"lines": [_("Nothing remains to ship.")]},
            )
        return chosen
    errors: dict[str, list[str]] = {}
    chosen = []
    seen: set[int] = set()
    for index, entry in enumerate(lines):
        key = f"lines.{index}.quantity"
        line = order_lines.get(entry.order_line_id)
        if line is None:
            errors[f"lines.{index}.order_line_id"] = [
                _("Line %(id)s is not a line of order %(number)s.")
                % {"id": entry.order_line_id, "number": order.number}
            ]
            continue
        if line.pk in seen:
            errors[f"lines.{index}.order_line_id"] = [
                _("Line %(position)s appears twice.") % {"position": line.position}
            ]
            continue
        seen.add(line.pk)
        if entry.quantity <= 0:
            errors[key] = [_("Enter a quantity above zero.")]
        elif entry.quantity != entry.quantity.quantize(Decimal("0.0001")):
            errors[key] = [_("Quantities have at most four decimals.")]
        elif entry.quantity > line.open_quantity:
            errors[key] = [
                _("Only %(remaining)s of %(product)s remain to ship.")
                % {"remaining": line.open_quantity.normalize(), "product": line.product_name}
            ]
        else:
            chosen.append((line, entry.quantity))
    if not errors and not chosen:
        errors["lines"] = [_("Deliver at least one line.")]
    if errors:
        raise DeliveryLinesInvalid(fields=errors)
    return sorted(chosen, key=lambda pair: pair[0].position)


def _lines_write(delivery: Delivery, chosen: list[tuple[SalesOrderLine, Decimal]]) -> None:
    DeliveryLine.objects.bulk_create(
        DeliveryLine(delivery=delivery, order_line=line, product=line.product, quantity=quantity)
        for line, quantity in chosen
    )


@audited
@transaction.atomic
def delivery_create(
    *,
    order: SalesOrder,
    warehouse: Warehouse,
    actor: User,
    lines: Sequence[DeliveryLineInput] | None = None,
    courier: str = "",
    tracking_number: str = "",
    delivery_address: str | None = None,
    notes: str = "",
) -> Delivery:
    """A draft delivery of `lines` (all that remains by default) from `warehouse`.

    The actor must see the order's customer; the order must be confirmed, picking or partly
    shipped; each quantity is above zero and at most what remains on its line. The address
    defaults to the order's.
    """
    permission_require(actor, "inventory.add_delivery")
    if not customer_is_visible(user=actor, customer_id=order.customer_id):
        raise NotFound()
    order = order_with_customer(pk=order.pk)
    if order.status not in ORDER_SHIPPABLE_STATUSES:
        raise OrderNotShippable(number=order.number, status=order.get_status_display())
    warehouse_active_require(warehouse)
    chosen = _lines_checked(order, lines)
    delivery = Delivery.objects.create(
        number=number_next(series=SERIES, period=timezone.localdate().strftime("%Y%m")),
        order=order,
        customer=order.customer,
        warehouse=warehouse,
        courier=courier.strip(),
        tracking_number=tracking_number.strip(),
        delivery_address=(
            order.delivery_address if delivery_address is None else delivery_address.strip()
        ),
        notes=notes.strip(),
        created_by=actor,
    )
    _lines_write(delivery, chosen)
    return delivery


@audited
@transaction.atomic
def delivery_update(
    *,
    delivery: Delivery,
    data: Mapping[str, Any],
    actor: User,
    lines: Sequence[DeliveryLineInput] | None = None,
) -> Delivery:
    """Change a draft (warehouse, courier, address, notes, lines), or the tracking details of
    a shipped or signed delivery (courier, tracking number, signed-for date); history records
    who changed what.

    A signed-for date posted to the ledger (revenue on delivery) stays as posted.
    """
    permission_require(actor, "inventory.change_delivery")
    delivery = _locked(delivery)
    if delivery.status == DeliveryStatus.DRAFT:
        allowed: tuple[str, ...] = DRAFT_FIELDS
    elif delivery.status in (DeliveryStatus.SHIPPED, DeliveryStatus.SIGNED):
        allowed = TRACKING_FIELDS
    else:
        raise DocumentNotInStatus(number=delivery.number, status=delivery.get_status_display())
    unknown = sorted(set(data) - set(allowed))
    if unknown or (lines is not None and delivery.status != DeliveryStatus.DRAFT):
        message = _("Only a draft's lines and details change; once shipped, only tracking does.")
        names = unknown or ["lines"]
        raise DocumentNotInStatus(
            fields={name: [message] for name in names},
            number=delivery.number,
            status=delivery.get_status_display(),
        )
    for name, value in data.items():
        if name == "warehouse":
            warehouse_active_require(value)
        if name == "signed_on":
            _signed_on_check(delivery, value)
            business_dates_require({"signed_on": value}, was={"signed_on": delivery.signed_on})
        setattr(delivery, name, value.strip() if isinstance(value, str) else value)
    delivery.save()
    if lines is not None:
        chosen = _lines_checked(delivery.order, lines)
        delivery.lines.all().delete()
        _lines_write(delivery, chosen)
    return delivery


def _signed_after_shipping(delivery: Delivery, signed_on: date) -> None:
    if delivery.shipped_on and signed_on < delivery.shipped_on:
        raise DeliveryDateInvalid(
            fields={"signed_on": [_("The goods cannot be signed for before they shipped.")]},
            date=signed_on,
            shipped_on=delivery.shipped_on,
            number=delivery.number,
        )


def _signed_on_check(delivery: Delivery, value: date | None) -> None:
    if delivery.status != DeliveryStatus.SIGNED or value is None:
        raise ValidationFailed(
            fields={"signed_on": [_("Sign the delivery for to set its signed-for date.")]}
        )
    _signed_after_shipping(delivery, value)
    if value != delivery.signed_on and _posted(delivery, postings.EVENT_SIGN):
        raise ValidationFailed(
            fields={
                "signed_on": [
                    _("The signing is posted on %(date)s; the voucher's date stays as posted.")
                    % {"date": delivery.signed_on}
                ]
            }
        )


def _posted(delivery: Delivery, event: str) -> bool:
    return vouchers_for_source(
        source_type=postings.SOURCE_DELIVERY, source_ids=[delivery.pk], event=event
    ).exists()


def _amounts(
    delivery: Delivery, *, cost: Decimal, net: Decimal, tax: Decimal
) -> postings.DeliveryAmounts:
    return postings.DeliveryAmounts(
        cost=cost, net=net, tax=tax, customer_code=delivery.customer.number
    )


def _post(
    delivery: Delivery, *, event: str, on: date, summary: str, lines: Any, red: bool, actor: User
) -> None:
    # No lines: nothing of value moved (services only, or everything already returned).
    voucher_book(
        source_type=postings.SOURCE_DELIVERY,
        source_id=delivery.pk,
        event=event,
        on=on,
        summary=summary,
        lines=lines,
        red=red,
        actor=actor,
    )


@audited
@transaction.atomic
def delivery_ship(*, delivery: Delivery, shipped_on: date, actor: User) -> Delivery:
    """Ship a draft: order lines shipped, goods out of stock at moving-average cost, each line's
    revenue share of its order line, and Dr goods_shipped / Cr inventory posted.

    Refuses quantities beyond what remains on the order (`ShipmentExceedsOrder`) and beyond
    stock on hand (`NegativeStock`), both checked under row locks.
    """
    permission_require(actor, "inventory.change_delivery")
    business_dates_require({"shipped_on": shipped_on})
    delivery = _locked(delivery)
    _status_require(delivery, DeliveryStatus.DRAFT)
    lines = list(delivery.lines.select_related("product", "order_line").order_by("pk"))
    if not lines:
        raise DeliveryLinesInvalid(fields={"lines": [_("Deliver at least one line.")]})
    shipping = {line.order_line_id: line.quantity for line in lines}
    order_lines_ship(
        order=delivery.order, quantities=shipping, actor=actor, reference=delivery.number
    )
    # Read after the order's lines were locked and moved on: they hold what is shipped now,
    # this delivery included.
    order_lines = order_lines_by_id(shipping)
    carried = _carried(delivery, list(shipping))
    goods = [line for line in lines if line.product.is_stocked]
    moves = (
        stock_moves_apply(
            moves=[
                MoveInput(
                    product=line.product,
                    warehouse=delivery.warehouse,
                    quantity=-line.quantity,
                    kind=MoveKind.DELIVERY,
                    moved_on=shipped_on,
                    source_type=postings.SOURCE_DELIVERY,
                    source_id=str(delivery.pk),
                    reference=delivery.number,
                )
                for line in goods
            ],
            actor=actor,
        )
        if goods
        else []
    )
    costs = {line.pk: -move.value_amount for line, move in zip(goods, moves, strict=True)}
    for line in lines:
        order_line = order_lines[line.order_line_id]
        # The share of the line up to what is shipped now, less what the deliveries still out
        # carry: without returns that is share_of_line from the quantity shipped before; after
        # a return it also takes up the fen the returned share rounded away, so once the line
        # is all shipped its deliveries always add up to it exactly.
        upto = {
            "ordered": order_line.quantity,
            "before": ZERO,
            "quantity": order_line.shipped_quantity,
        }
        net_carried, tax_carried = carried.get(order_line.pk, (ZERO, ZERO))
        line.net_amount = share_of_line(order_line.net_amount, **upto) - net_carried
        line.tax_amount = share_of_line(order_line.tax_amount, **upto) - tax_carried
        line.cost_amount = costs.get(line.pk, ZERO)
    DeliveryLine.objects.bulk_update(lines, ["net_amount", "tax_amount", "cost_amount"])
    delivery.net_amount = sum((line.net_amount for line in lines), ZERO)
    delivery.tax_amount = sum((line.tax_amount for line in lines), ZERO)
    delivery.cost_amount = sum((line.cost_amount for line in lines), ZERO)
    delivery.status = DeliveryStatus.SHIPPED
    delivery.shipped_on = shipped_on
    delivery.save()
    amounts = _amounts(delivery, cost=delivery.cost_amount, net=ZERO, tax=ZERO)
    _post(
        delivery,
        event=postings.EVENT_SHIP,
        on=shipped_on,
        summary=_("Delivery %(number)s shipped, %(customer)s")
        % {"number": delivery.number, "customer": delivery.customer.name},
        lines=postings.delivery_ship_lines(amounts),
        red=False,
        actor=actor,
    )
    return delivery


def _carried(delivery: Delivery, order_line_ids: list[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """Per order line, the net and tax that other deliveries still out carry (net of returns)."""
    out = (DeliveryStatus.SHIPPED, DeliveryStatus.SIGNED)
    carried: dict[int, list[Decimal]] = {}
    delivered = (
        DeliveryLine.objects.filter(order_line_id__in=order_line_ids, delivery__status__in=out)
        .exclude(delivery_id=delivery.pk)
        .values_list("order_line_id", "net_amount", "tax_amount")
    )
    returned = DeliveryReturnLine.objects.filter(
        delivery_line__order_line_id__in=order_line_ids,
        delivery_line__delivery__status__in=out,
    ).values_list("delivery_line__order_line_id", "net_amount", "tax_amount")
    for rows, sign in ((delivered, 1), (returned, -1)):
        for order_line_id, net, tax in rows:
            sums = carried.setdefault(order_line_id, [ZERO, ZERO])
            sums[0] += sign * net
            sums[1] += sign * tax
    return {pk: (net, tax) for pk, (net, tax) in carried.items()}


def delivery_outstanding(delivery: Delivery) -> postings.DeliveryAmounts:
    """What the delivery still carries after its returns: cost, net and tax."""
    cost = net = tax = ZERO
    for ret in delivery.returns.all():
        cost += ret.cost_amount
        net += ret.net_amount
        tax += ret.tax_amount
    return _amounts(
        delivery,
        cost=delivery.cost_amount - cost,
        net=delivery.net_amount - net,
        tax=delivery.tax_amount - tax,
    )


@audited
@transaction.atomic
def delivery_sign(*, delivery: Delivery, signed_on: date, actor: User) -> Delivery:
    """The customer signed for the goods (签收), on or after the ship date.

    Revenue on delivery: Dr cogs / Cr goods_shipped at cost, Dr receivable_unbilled (the
    customer) / Cr revenue, Cr vat_output_pending, for what was not returned before. Revenue
    on invoice: nothing is posted; the invoice does it.
    """
    permission_require(actor, "inventory.change_delivery")
    delivery = _locked(delivery)
    _status_require(delivery, DeliveryStatus.SHIPPED)
    business_dates_require({"signed_on": signed_on})
    _signed_after_shipping(delivery, signed_on)
    delivery.status = DeliveryStatus.SIGNED
    delivery.signed_on = signed_on
    delivery.save()
    if company_get().revenue_policy == RevenuePolicy.ON_DELIVERY:
        _post(
            delivery,
            event=postings.EVENT_SIGN,
            on=signed_on,
            summary=_("Delivery %(number)s signed for, %(customer)s")
            % {"number": delivery.number, "customer": delivery.customer.name},
            lines=postings.delivery_sign_lines(delivery_outstanding(delivery)),
            red=False,
            actor=actor,
        )
    return delivery


@audited
@transaction.atomic
def delivery_cancel(*, delivery: Delivery, actor: User, on: date | None = None) -> Delivery:
    """Cancel a draft, or call back a shipped delivery not yet signed for.

    Shipped: what is still out comes back into stock at the cost it left at, the order lines
    are unshipped, and the ship voucher is reversed in red for that cost. Signed: refused —
    goods the customer accepted come back by a return.
    """
    permission_require(actor, "inventory.change_delivery")
    delivery = _locked(delivery)
    _status_require(delivery, DeliveryStatus.DRAFT, DeliveryStatus.SHIPPED)
    if delivery.status == DeliveryStatus.SHIPPED:
        on = on or timezone.localdate()
        business_dates_require({"on": on})
        # A reversal is never dated before the voucher it corrects.
        on = max(on, delivery.shipped_on) if delivery.shipped_on else on
        lines = list(for_update(delivery.lines.select_related("product")).order_by("pk"))
        out = [(line, line.quantity - line.returned_quantity) for line in lines]
        out = [(line, quantity) for line, quantity in out if quantity > 0]
        if out:
            order_lines_unship(
                order=delivery.order,
                quantities={line.order_line_id: quantity for line, quantity in out},
                actor=actor,
                reference=delivery.number,
            )
            goods = [(line, quantity) for line, quantity in out if line.product.is_stocked]
            if goods:
                stock_moves_apply(
                    moves=[
                        MoveInput(
                            product=line.product,
                            warehouse=delivery.warehouse,
                            quantity=quantity,
                            kind=MoveKind.DELIVERY,
                            moved_on=on,
                            source_type=postings.SOURCE_DELIVERY,
                            source_id=str(delivery.pk),
                            reference=delivery.number,
                            value=line.cost_amount
                            - share_of_line(
                                line.cost_amount,
                                ordered=line.quantity,
                                before=ZERO,
                                quantity=line.returned_quantity,
                            ),
                        )
                        for line, quantity in goods
                    ],
                    actor=actor,
                )
        outstanding = delivery_outstanding(delivery)
        _post(
            delivery,
            event=postings.EVENT_CANCEL,
            on=on,
            summary=_("Delivery %(number)s cancelled, goods back in stock")
            % {"number": delivery.number},
            lines=postings.delivery_cancel_lines(outstanding),
            red=True,
            actor=actor,
        )
    delivery.status = DeliveryStatus.CANCELLED
    delivery.save()
    return delivery
