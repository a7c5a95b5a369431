"""Gapless document numbers per series and period, drawn from a locked sequence row.

The caller draws inside its own transaction: if the document is not saved the transaction
rolls back and the number goes back with it, so numbers have no gaps and no duplicates.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from suanpan.core.locks import for_update
from suanpan.core.models import DocumentSequence


def number_next(*, series: str, period: str = "", width: int = 4) -> str:
    """Return the next number of `series` in `period`, e.g. `KH-202611-0001`.

    Must run inside the caller's transaction.atomic(); the sequence row stays locked until it
    commits, so concurrent callers wait and never share or skip a number.
    """
    value = sequence_draw(series=series, period=period)
    return number_format(series=series, period=period, value=value, width=width)


def sequence_draw(*, series: str, period: str = "") -> int:
    """Draw the next integer of a series; the row is created on first use."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next() must run inside transaction.atomic()")
    sequence = _sequence_locked(series=series, period=period)
    value = sequence.next_value
    DocumentSequence.objects.filter(pk=sequence.pk).update(next_value=F("next_value") + 1)
    return value


def sequence_reserve(*, series: str, period: str = "", count: int) -> int:
    """Reserve `count` consecutive numbers for a batch; return the first. Same locking rules."""
    if count < 1:
        raise ValueError("count must be positive")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_reserve() must run inside transaction.atomic()")
    sequence = _sequence_locked(series=series, period=period)
    first = sequence.next_value
    DocumentSequence.objects.filter(pk=sequence.pk).update(next_value=F("next_value") + count)
    return first


def number_format(*, series: str, period: str = "", value: int, width: int = 4) -> str:
    prefix = f"{series}-{period}-" if period else f"{series}-"
    return f"{prefix}{value:0{width}d}"


def _sequence_locked(*, series: str, period: str) -> DocumentSequence:
    try:
        return for_update(DocumentSequence.objects.all()).get(series=series, period=period)
    except DocumentSequence.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            DocumentSequence.objects.create(series=series, period=period)
    except IntegrityError:
        pass  # another transaction created it first; lock theirs
    return for_update(DocumentSequence.objects.all()).get(series=series, period=period)
