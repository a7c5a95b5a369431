"""Pure maths of stock cost: the moving average (移动加权平均). No Django here."""

from __future__ import annotations

from decimal import Decimal

from suanpan.core.money import divide

__all__ = ["issue_cost"]


def issue_cost(*, on_hand: Decimal, value: Decimal, quantity: Decimal) -> Decimal:
    """The cost of taking `quantity` out of stock worth `value` for `on_hand` units.

    round(value × quantity / on_hand), half up; taking the last units takes exactly the value
    that is left, so no fen stays behind on an empty stock.
    """
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    if quantity > on_hand:
        raise ValueError("quantity exceeds stock on hand")
    if quantity == on_hand:
        return value
    return divide(value * quantity, on_hand)
