"""Ageing buckets by days overdue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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


# Bucket bounds a report may ask for: ten years of days, a dozen buckets at most.
MAX_BUCKET_DAYS = 3650
MAX_BUCKETS = 12


def buckets_from_days(bounds: Sequence[int]) -> tuple[Bucket, ...]:
    """Buckets from upper bounds in days: (30, 90, 365) → not due, 1–30, 31–90, 91–365, 365+.
    Bounds lie within 1..MAX_BUCKET_DAYS, at most MAX_BUCKETS of them."""
    if not bounds or list(bounds) != sorted(set(bounds)) or bounds[0] < 1:
        raise ValueError("bucket bounds must be increasing positive day counts")
    if bounds[-1] > MAX_BUCKET_DAYS or len(bounds) > MAX_BUCKETS:
        raise ValueError("bucket bounds reach too far or are too many")
    buckets = [Bucket("current", -100_000, 0)]
    low = 1
    for high in bounds:
        buckets.append(Bucket(f"{low}-{high}", low, high))
        low = high + 1
    buckets.append(Bucket(f"over {bounds[-1]}", low, None))
    return tuple(buckets)
