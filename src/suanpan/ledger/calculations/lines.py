"""Voucher lines: the one-column and sign rules, totals, balance."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineAmounts:
    debit: Decimal
    credit: Decimal


def line_problem(debit: Decimal, credit: Decimal, *, red: bool) -> str | None:
    """Why a line is not acceptable, or None: one column only; negatives only in red vouchers."""
    if (debit == 0) == (credit == 0):
        return "one_column"
    if not red and (debit < 0 or credit < 0):
        return "negative"
    if red and (debit > 0 or credit > 0):
        return "red_positive"
    return None


def totals(lines: Iterable[LineAmounts]) -> tuple[Decimal, Decimal]:
    debit = credit = ZERO
    for line in lines:
        debit += line.debit
        credit += line.credit
    return debit, credit


def is_balanced(lines: Sequence[LineAmounts]) -> bool:
    debit, credit = totals(lines)
    return debit == credit and debit != 0
