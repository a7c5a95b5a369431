"""Pure ledger maths: balancing, line rules, the hash chain's canonical text, ageing buckets."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.00")
GENESIS_HASH = "0" * 64


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


@dataclass(frozen=True)
class ChainLine:
    line_no: int
    account_code: str
    dimension_code: str
    summary: str
    debit: Decimal
    credit: Decimal
    due_on: date | None


@dataclass(frozen=True)
class ChainVoucher:
    chain_seq: int
    period_key: str
    word: str
    number: int
    date: date
    summary: str
    source_event: str
    reverses_chain_seq: int | None
    lines: tuple[ChainLine, ...]


def chain_text(voucher: ChainVoucher) -> str:
    """Everything a posted voucher says, in a fixed text form that its hash covers."""
    head = "|".join(
        [
            str(voucher.chain_seq),
            voucher.period_key,
            voucher.word,
            str(voucher.number),
            voucher.date.isoformat(),
            voucher.summary,
            voucher.source_event,
            "" if voucher.reverses_chain_seq is None else str(voucher.reverses_chain_seq),
        ]
    )
    body = [
        "|".join(
            [
                str(line.line_no),
                line.account_code,
                line.dimension_code,
                line.summary,
                f"{line.debit:.2f}",
                f"{line.credit:.2f}",
                line.due_on.isoformat() if line.due_on else "",
            ]
        )
        for line in sorted(voucher.lines, key=lambda item: item.line_no)
    ]
    return "\n".join([head, *body])


def chain_hash(prev_hash: str, voucher: ChainVoucher) -> str:
    """sha256 over the previous hash and this voucher: changing any posted voucher breaks
    every hash after it."""
    return hashlib.sha256(f"{prev_hash}\n{chain_text(voucher)}".encode()).hexdigest()


@dataclass(frozen=True)
class Bucket:
    """An ageing bucket: items whose age in days is within [low, high] (high None: no limit)."""

    label: str
    low: int
    high: int | None


DEFAULT_BUCKETS = (
    Bucket("current", -100_000, 0),
    Bucket("1-30", 1, 30),
    Bucket("31-90", 31, 90),
    Bucket("91-180", 91, 180),
    Bucket("181-365", 181, 365),
    Bucket("over 365", 366, None),
)


def buckets_from_days(bounds: Sequence[int]) -> tuple[Bucket, ...]:
    """Buckets from upper bounds in days: (30, 90, 365) → not due, 1–30, 31–90, 91–365, 365+."""
    if not bounds or list(bounds) != sorted(set(bounds)) or bounds[0] < 1:
        raise ValueError("bucket bounds must be increasing positive day counts")
    buckets = [Bucket("current", -100_000, 0)]
    low = 1
    for high in bounds:
        buckets.append(Bucket(f"{low}-{high}", low, high))
        low = high + 1
    buckets.append(Bucket(f"over {bounds[-1]}", low, None))
    return tuple(buckets)
