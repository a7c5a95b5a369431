"""Posting rules of goods receipts and stock adjustments: documents in, role lines out.

Pure functions (no database): the services hand them the amounts the stock ledger actually
moved, and post what they return with `ledger.services.posting_post`.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from suanpan.ledger.types import Role, RoleLine

ZERO = Decimal(0)

RECEIPT_SOURCE = "inventory.goodsreceipt"
ADJUSTMENT_SOURCE = "inventory.stockadjustment"


def receipt_lines(*, total: Decimal) -> tuple[RoleLine, ...]:
    """Goods in on credit: Dr inventory / Cr payable for the receipt's total cost."""
    if total <= 0:
        return ()
    return (
        RoleLine(role=Role.INVENTORY, debit=total),
        RoleLine(role=Role.PAYABLE, credit=total),
    )


def receipt_cancel_lines(*, total: Decimal, taken_out: Decimal) -> tuple[RoleLine, ...]:
    """The red voucher of a cancelled receipt (all amounts negative).

    The payable goes back in full (`total`), the inventory by what the stock ledger actually
    took out (`taken_out`, at the moving average at the time). Any difference between the two
    is a stock gain or loss and goes to stock gains and losses pending, still in red.
    """
    lines = []
    if taken_out > 0:
        lines.append(RoleLine(role=Role.INVENTORY, debit=-taken_out))
    if total > 0:
        lines.append(RoleLine(role=Role.PAYABLE, credit=-total))
    difference = total - taken_out
    if difference > 0:
        # The payable falls by more than the inventory: a gain, a red debit.
        lines.append(RoleLine(role=Role.STOCK_ADJUSTMENT, debit=-difference))
    elif difference < 0:
        lines.append(RoleLine(role=Role.STOCK_ADJUSTMENT, credit=difference))
    return tuple(lines) if len(lines) >= 2 else ()


def adjustment_lines(*, values: Iterable[Decimal]) -> tuple[RoleLine, ...]:
    """Counted differences: losses Dr stock_adjustment / Cr inventory at the cost taken out,
    gains Dr inventory / Cr stock_adjustment at the cost they came in at.

    `values` are the signed stock-ledger values of the lines (gains positive).
    """
    values = list(values)
    gains = sum((v for v in values if v > 0), ZERO)
    losses = -sum((v for v in values if v < 0), ZERO)
    lines: list[RoleLine] = []
    if losses:
        lines += [
            RoleLine(role=Role.STOCK_ADJUSTMENT, debit=losses),
            RoleLine(role=Role.INVENTORY, credit=losses),
        ]
    if gains:
        lines += [
            RoleLine(role=Role.INVENTORY, debit=gains),
            RoleLine(role=Role.STOCK_ADJUSTMENT, credit=gains),
        ]
    return tuple(lines)
