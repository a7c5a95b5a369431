"""How much of a customer's credit limit its receivables use (no Django)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def credit_used_percent(*, balance: Decimal, limit: Decimal) -> int | None:
    """The receivable balance as a whole percentage of the credit limit, halves up; past 100
    when the customer is over its limit, 0 when it owes nothing (or is in credit). None for a
    limit of 0, which means no limit (the customer form's default)."""
    if limit <= 0:
        return None
    used = max(balance, Decimal(0)) * 100 / limit
    return int(used.quantize(Decimal(1), rounding=ROUND_HALF_UP))
