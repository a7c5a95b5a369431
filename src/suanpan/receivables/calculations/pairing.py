"""Pairing what the user ticked on the 核销 screen: chosen debits and credits, each with the
amount typed, into (debit, credit, amount) pairs. Pure; the page turns them into the
services' `Pair`s."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple


class Chosen(NamedTuple):
    """An item ticked on the screen, with the amount typed to settle (positive)."""

    item_id: int
    amount: Decimal


class Paired(NamedTuple):
    debit_item_id: int
    credit_item_id: int
    amount: Decimal


def pairs_oldest_first(debits: Sequence[Chosen], credits: Sequence[Chosen]) -> list[Paired]:
    """Settle the debits in the order given (oldest due first) with the credits in the order
    given (oldest first), each taking no more than the amount typed for it. When one side's
    total is larger, its newest amounts are left open: the pairs settle the smaller total."""
    pairs: list[Paired] = []
    takers = [item for item in credits if item.amount > 0]
    room = [item.amount for item in takers]
    at = 0
    for debit in debits:
        need = debit.amount
        while need > 0 and at < len(takers):
            amount = min(need, room[at])
            pairs.append(Paired(debit.item_id, takers[at].item_id, amount))
            need -= amount
            room[at] -= amount
            if room[at] <= 0:
                at += 1
    return pairs
