"""The hash chain: a posted voucher's canonical text and its hash."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

GENESIS_HASH = "0" * 64


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
