"""Closing a document's items with the red items its reversal posted (红字冲销): what a
cancelled receipt or refund and a reversed write-off share."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from suanpan.ledger.selectors import open_items_for_source
from suanpan.ledger.services import open_item_match
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.ledger.models import OpenItem


def red_twins_close(
    *,
    originals: Sequence[OpenItem],
    source_type: str,
    source_id: int,
    actor: User,
    on: date,
) -> None:
    """Match each original item of the document with its red twin (same account, opposite
    amount), posted by the reversal since the originals were read: both closed on the day, so
    the account nets to nothing and history as of earlier days is unchanged."""
    known = {item.pk for item in originals}
    red = [
        item
        for item in open_items_for_source(source_type=source_type, source_ids=[source_id])
        if item.pk not in known
    ]
    for original in originals:
        twin = next(
            r for r in red if r.account_id == original.account_id and r.amount == -original.amount
        )
        red.remove(twin)
        debit, credit = (original, twin) if original.amount > 0 else (twin, original)
        open_item_match(
            actor=actor, debit_item=debit, credit_item=credit, amount=abs(original.amount), on=on
        )
