"""Dunning maths (催款): which level an open item has reached, late-payment interest, and the
items table a letter shows. No Django."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class LevelRule:
    """A level as the maths needs it: reached `days` after the due date (negative: before)."""

    key: int
    days: int
    interest_rate: Decimal | None = None


def days_overdue(*, due_on: date, on: date) -> int:
    """Days past the due date on `on`; negative while the item is not yet due."""
    return (on - due_on).days


def level_reached(days: int, levels: Sequence[LevelRule]) -> LevelRule | None:
    """The highest level whose day has come for an item `days` overdue, or None."""
    reached = [level for level in levels if level.days <= days]
    return max(reached, key=lambda level: level.days) if reached else None


def interest(*, amount: Decimal, rate: Decimal | None, days: int) -> Decimal:
    """Simple late-payment interest: amount × rate per day × days overdue, to the fen
    (四舍五入); nothing before the due date or without a rate."""
    if not rate or days <= 0 or amount <= 0:
        return ZERO
    return (amount * rate * days).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TableRow:
    label: str
    due_on: date
    days: int
    amount: Decimal
    interest: Decimal


def _width(text: str) -> int:
    """Display width: a Chinese character takes two columns in a monospaced e-mail."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(width - _width(text), 0)
    return gap + text if right else text + gap


def items_table(rows: Sequence[TableRow], headers: Sequence[str], *, interest: bool) -> str:
    """The letter's items as plain-text columns: document, due date, days overdue, open
    amount (and interest when any level charges it)."""
    cells = [
        [
            row.label,
            row.due_on.isoformat(),
            str(row.days),
            f"{row.amount:,.2f}",
            *([f"{row.interest:,.2f}"] if interest else []),
        ]
        for row in rows
    ]
    head = list(headers[: 5 if interest else 4])
    widths = [max(_width(line[i]) for line in [head, *cells]) for i in range(len(head))]
    lines = []
    for line in [head, *cells]:
        lines.append(
            "  ".join(_pad(cell, widths[i], right=i >= 2) for i, cell in enumerate(line)).rstrip()
        )
    return "\n".join(lines) + "\n"
