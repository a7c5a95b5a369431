"""Posting rules of deliveries and customer returns: amounts in, role-based voucher lines out.

Pure functions, no reads or writes; the services post what they return (DESIGN.md "What posts
what"). Under the default revenue policy (on delivery) a delivery posts twice:

- shipped: Dr goods_shipped / Cr inventory, at moving-average cost — the goods have left the
  warehouse but are not yet the customer's;
- signed for: Dr cogs / Cr goods_shipped at the same cost, and Dr receivable_unbilled (per
  customer) / Cr revenue, Cr vat_output_pending.

Together they are DESIGN.md's "delivery signed for" voucher, with goods in transit visible in
between. Under "on invoice" nothing is posted at signing: the invoice recognises revenue and
moves the cost from goods_shipped to cogs. Corrections (a cancelled shipment, a return) are red
vouchers: the same lines with negative amounts, as Chinese practice writes reversals.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from suanpan.ledger.types import Role, RoleLine

SOURCE_DELIVERY = "inventory.delivery"
SOURCE_RETURN = "inventory.deliveryreturn"
EVENT_SHIP = "ship"
EVENT_SIGN = "sign"
EVENT_CANCEL = "cancel"
EVENT_RETURN = "return"

ZERO = Decimal(0)


@dataclass(frozen=True)
class DeliveryAmounts:
    """What a delivery (or the returned part of one) is worth: cost, net revenue and its tax."""

    cost: Decimal
    net: Decimal
    tax: Decimal
    customer_code: str

    @property
    def gross(self) -> Decimal:
        return self.net + self.tax


def _nonzero(lines: list[RoleLine]) -> tuple[RoleLine, ...]:
    # A line carries an amount in exactly one column; zero parts (services have no cost, a 0%
    # rate has no tax) are left out rather than posted as empty lines.
    return tuple(line for line in lines if line.debit != 0 or line.credit != 0)


def _negate(lines: tuple[RoleLine, ...]) -> tuple[RoleLine, ...]:
    return tuple(
        RoleLine(
            role=line.role,
            debit=-line.debit,
            credit=-line.credit,
            dimension_code=line.dimension_code,
            summary=line.summary,
        )
        for line in lines
    )


def delivery_ship_lines(amounts: DeliveryAmounts) -> tuple[RoleLine, ...]:
    """Goods leave the warehouse: Dr goods_shipped / Cr inventory, at cost."""
    return _nonzero(
        [
            RoleLine(role=Role.GOODS_SHIPPED, debit=amounts.cost),
            RoleLine(role=Role.INVENTORY, credit=amounts.cost),
        ]
    )


def delivery_sign_lines(amounts: DeliveryAmounts) -> tuple[RoleLine, ...]:
    """Signed for, revenue on delivery: cost to cogs; revenue and receivable not yet invoiced."""
    return _nonzero(
        [
            RoleLine(role=Role.COGS, debit=amounts.cost),
            RoleLine(role=Role.GOODS_SHIPPED, credit=amounts.cost),
            RoleLine(
                role=Role.RECEIVABLE_UNBILLED,
                debit=amounts.gross,
                dimension_code=amounts.customer_code,
            ),
            RoleLine(role=Role.REVENUE, credit=amounts.net),
            RoleLine(role=Role.VAT_OUTPUT_PENDING, credit=amounts.tax),
        ]
    )


def delivery_cancel_lines(amounts: DeliveryAmounts) -> tuple[RoleLine, ...]:
    """A shipped delivery called back before signing: the ship voucher in red."""
    return _negate(delivery_ship_lines(amounts))


def return_lines(amounts: DeliveryAmounts, *, signed_posted: bool) -> tuple[RoleLine, ...]:
    """Goods a customer sent back: the returned share of what the delivery posted, in red.

    `signed_posted` says whether the delivery's signing was posted (revenue on delivery); if
    so, its cost, revenue and receivable are reversed too.
    """
    lines = delivery_ship_lines(amounts)
    if signed_posted:
        lines = lines + delivery_sign_lines(amounts)
    return _negate(lines)
