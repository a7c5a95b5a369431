"""Customer returns (退货): goods back from a shipped or signed delivery, with the red voucher.

A return gives back the returned share of each delivery line — cost, net and tax — worked out
cumulatively over the returned quantity (`share_of_line`), so returning a line in several
parts gives back exactly what the line carried. The delivery and its lines are locked first, so
two returns of the same goods cannot both pass the check of what is left to return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import ValidationFailed
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_next
from suanpan.inventory.calculations import postings
from suanpan.inventory.choices import DeliveryStatus, MoveKind
from suanpan.inventory.errors import (
    DeliveryDateInvalid,
    DeliveryLinesInvalid,
    DocumentNotInStatus,
    ReturnExceedsDelivered,
)
from suanpan.inventory.models import (
    Delivery,
    DeliveryLine,
    DeliveryReturn,
    DeliveryReturnLine,
    Warehouse,
)
from suanpan.inventory.services.stock import MoveInput, stock_moves_apply, voucher_book
from suanpan.inventory.services.warehouses import warehouse_active_require
from suanpan.ledger.selectors import vouchers_for_source
from suanpan.ledger.services import business_dates_require
from suanpan.sales.calculations import share_of_line
from suanpan.sales.services.shipments import order_lines_unship
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

SERIES = "TH"
ZERO = Decimal(0)


@dataclass(frozen=True)
class ReturnLineInput:
    delivery_line_id: int
    quantity: Decimal


def _lines_checked(
    delivery: Delivery, lines: Sequence[ReturnLineInput]
) -> list[tuple[DeliveryLine, Decimal]]:
    """Each returned quantity is above zero and at most what is left to return; checked on
    the delivery's lines under their row locks."""
    locked = {
        line.pk: line
        for line in for_update(DeliveryLine.objects.filter(delivery=delivery))
        .select_related("product", "order_line")
        .order_by("pk")
    }
    errors: dict[str, list[str]] = {}
    chosen: list[tuple[DeliveryLine, Decimal]] = []
    exceeded: ReturnExceedsDelivered | None = None
    seen: set[int] = set()
    for index, entry in enumerate(lines):
        line = locked.get(entry.delivery_line_id)
        if line is None or line.pk in seen:
            errors[f"lines.{index}.delivery_line_id"] = [
                _("Line %(id)s is not a line of delivery %(number)s, or appears twice.")
                % {"id": entry.delivery_line_id, "number": delivery.number}
            ]
            continue
        seen.add(line.pk)
        returnable = line.quantity - line.returned_quantity
        key = f"lines.{index}.quantity"
        if entry.quantity <= 0:
            errors[key] = [_("Enter a quantity above zero.")]
        elif entry.quantity != entry.quantity.quantize(Decimal("0.0001")):
            errors[key] = [_("Quantities have at most four decimals.")]
        elif entry.quantity > returnable:
            exceeded = exceeded or ReturnExceedsDelivered(
                product=line.order_line.product_name,
                quantity=entry.quantity.normalize(),
                returnable=returnable.normalize(),
                number=delivery.number,
            )
            errors[key] = [
                _("Only %(returnable)s are left to return.")
                % {"returnable": returnable.normalize()}
            ]
        else:
            chosen.append((line, entry.quantity))
    if not errors and not chosen:
        errors["lines"] = [_("Return at least one line.")]
    if exceeded is not None:
        raise ReturnExceedsDelivered(exceeded.message, fields=errors)
    if errors:
        raise DeliveryLinesInvalid(fields=errors)
    return chosen


@audited
@transaction.atomic
def return_create(
    *,
    delivery: Delivery,
    lines: Sequence[ReturnLineInput],
    reason: str,
    returned_on: date,
    actor: User,
    warehouse: Warehouse | None = None,
) -> DeliveryReturn:
    """Take goods back from a shipped or signed delivery.

    Goods come back into `warehouse` (the delivery's by default) at their share of the
    delivery's cost; the order lines are unshipped; the returned share of what the delivery
    posted is reversed in red — the ship part always, the signing part if it was posted.
    """
    permission_require(actor, "inventory.add_deliveryreturn")
    delivery = for_update(Delivery.objects.select_related("order", "customer", "warehouse")).get(
        pk=delivery.pk
    )
    if delivery.status not in (DeliveryStatus.SHIPPED, DeliveryStatus.SIGNED):
        raise DocumentNotInStatus(number=delivery.number, status=delivery.get_status_display())
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say why the goods came back.")]})
    business_dates_require({"returned_on": returned_on})
    if delivery.shipped_on and returned_on < delivery.shipped_on:
        raise DeliveryDateInvalid(
            fields={"returned_on": [_("Goods cannot come back before they shipped.")]},
            date=returned_on,
            shipped_on=delivery.shipped_on,
            number=delivery.number,
        )
    warehouse = warehouse or delivery.warehouse
    warehouse_active_require(warehouse)
    chosen = _lines_checked(delivery, lines)
    returned = DeliveryReturn.objects.create(
        number=number_next(series=SERIES, period=timezone.localdate().strftime("%Y%m")),
        delivery=delivery,
        customer=delivery.customer,
        warehouse=warehouse,
        returned_on=returned_on,
        reason=reason,
        created_by=actor,
    )
    rows = []
    for line, quantity in chosen:
        share = {"ordered": line.quantity, "before": line.returned_quantity, "quantity": quantity}
        rows.append(
            DeliveryReturnLine(
                delivery_return=returned,
                delivery_line=line,
                quantity=quantity,
                cost_amount=share_of_line(line.cost_amount, **share),
                net_amount=share_of_line(line.net_amount, **share),
                tax_amount=share_of_line(line.tax_amount, **share),
            )
        )
        line.returned_quantity += quantity
    DeliveryReturnLine.objects.bulk_create(rows)
    DeliveryLine.objects.bulk_update([line for line, _q in chosen], ["returned_quantity"])
    order_lines_unship(
        order=delivery.order,
        quantities={line.order_line_id: quantity for line, quantity in chosen},
        actor=actor,
        reference=returned.number,
    )
    goods = [
        (line, row) for (line, _q), row in zip(chosen, rows, strict=True) if line.product.is_stocked
    ]
    if goods:
        stock_moves_apply(
            moves=[
                MoveInput(
                    product=line.product,
                    warehouse=warehouse,
                    quantity=row.quantity,
                    kind=MoveKind.RETURN,
                    moved_on=returned_on,
                    source_type=postings.SOURCE_RETURN,
                    source_id=str(returned.pk),
                    reference=returned.number,
                    value=row.cost_amount,
                )
                for line, row in goods
            ],
            actor=actor,
        )
    returned.cost_amount = sum((row.cost_amount for row in rows), ZERO)
    returned.net_amount = sum((row.net_amount for row in rows), ZERO)
    returned.tax_amount = sum((row.tax_amount for row in rows), ZERO)
    returned.save(update_fields=["cost_amount", "net_amount", "tax_amount"])
    signed_posted = vouchers_for_source(
        source_type=postings.SOURCE_DELIVERY, source_ids=[delivery.pk], event=postings.EVENT_SIGN
    ).exists()
    voucher_lines = postings.return_lines(
        postings.DeliveryAmounts(
            cost=returned.cost_amount,
            net=returned.net_amount,
            tax=returned.tax_amount,
            customer_code=delivery.customer.number,
        ),
        signed_posted=signed_posted,
    )
    voucher_book(
        source_type=postings.SOURCE_RETURN,
        source_id=returned.pk,
        event=postings.EVENT_RETURN,
        on=returned_on,
        summary=_("Return %(number)s of delivery %(delivery)s, %(customer)s")
        % {
            "number": returned.number,
            "delivery": delivery.number,
            "customer": delivery.customer.name,
        },
        lines=voucher_lines,
        red=True,
        actor=actor,
    )
    return returned
