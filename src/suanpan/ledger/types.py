"""What other apps hand the ledger: business events in account roles. No Django here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from suanpan.ledger.calculations import ZERO


@dataclass(frozen=True)
class RoleLine:
    """A voucher line as business code posts it: an account role and a customer number."""

    role: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    dimension_code: str = ""
    # The values of DimensionKind.CUSTOMER and VoucherWord.ZHUAN (choices.py needs Django).
    dimension_kind: str = "customer"
    summary: str = ""
    due_on: date | None = None


@dataclass(frozen=True)
class PostingEvent:
    """One business event to post: posting the same (source, event) twice gives one voucher."""

    source_type: str
    source_id: str
    event: str
    date: date
    summary: str
    lines: tuple[RoleLine, ...]
    word: str = "转"
    red: bool = False

    @property
    def key(self) -> str:
        return f"{self.source_type}:{self.source_id}:{self.event}"
