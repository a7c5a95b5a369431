"""The receivables ageing grouped by customer, salesperson or region, and the reconciliation of
the open items with their control accounts: the ledger's ageing (never a second one), with the
customers' owners and regions laid over it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from suanpan.core.sums import yuan
from suanpan.customers.selectors import customer_groups_by_number
from suanpan.ledger.calculations import Bucket, buckets_from_days
from suanpan.ledger.selectors import (
    AgeingStream,
    OpenItemProblem,
    account_for_role,
    open_items_check,
)
from suanpan.ledger.types import Role
from suanpan.receivables.calculations.ageing import RECEIVABLES_BOUNDS
from suanpan.users.models import User

GROUPS = ("customer", "salesperson", "region")
ZERO = Decimal(0)


def bucket_label(low: int, high: int | None) -> str:
    """未到期, 1–30 天 …, and whole years as years (1–2 年, 3 年以上), as accountants read them."""
    if high is not None and high <= 0:
        return _("Not yet due")
    past = low - 1
    in_years = past >= 365 and past % 365 == 0
    if high is None:
        if in_years:
            return _("Over %(years)s years") % {"years": past // 365}
        return _("Over %(days)s days") % {"days": past}
    if in_years and high % 365 == 0:
        return _("%(low)s–%(high)s years") % {"low": past // 365, "high": high // 365}
    return _("%(low)s–%(high)s days") % {"low": low, "high": high}


@dataclass
class AgeingGroup:
    """One row of the grouped ageing: a customer, or the customers of a salesperson or region.
    Sums are kept in fen and turned into yuan when read: by customer there are as many rows as
    customers (200,000), of which a page shows a hundred."""

    key: str
    label: str
    customer_id: int | None = None
    customers: int = 0
    fen: list[int] = field(default_factory=list)
    total_fen: int = 0

    @property
    def amounts(self) -> list[Decimal]:
        return [yuan(f) for f in self.fen]

    @property
    def total(self) -> Decimal:
        return yuan(self.total_fen)


@dataclass(frozen=True)
class GroupedAgeing:
    as_of: date
    basis: str
    group: str
    buckets: tuple[Bucket, ...]
    rows: list[AgeingGroup]
    totals: list[Decimal]
    total: Decimal
    # Customers in the books the user does not see (another salesperson's): in the totals,
    # counted here, never listed.
    hidden: int


def ageing_grouped(
    *,
    user: User,
    as_of: date,
    group: str = "customer",
    basis: str = "due",
    bounds: Sequence[int] = RECEIVABLES_BOUNDS,
    salesperson: str | None = None,
    region: str | None = None,
) -> GroupedAgeing | None:
    """The receivable account's ageing as of a day, one row per customer, salesperson or
    region, largest total first; None when the books have no receivable account. The totals
    are the ledger's, over every customer: the account's balance as of the day."""
    if group not in GROUPS:
        raise ValueError(group)
    account = account_for_role(Role.RECEIVABLE)
    if account is None:
        return None
    buckets = buckets_from_days(bounds)
    stream = AgeingStream(as_of=as_of, account=account, buckets=buckets, basis=basis)
    rows = list(stream)
    groups_of = customer_groups_by_number(user=user, numbers=[row.code for row in rows])
    grouped: dict[str, AgeingGroup] = {}
    hidden = 0
    for row in rows:
        known = groups_of.get(row.code)
        if known is None:
            hidden += 1
            continue
        customer_id, owner, customer_region = known
        # Drilling down from a salesperson's or a region's row: only its customers.
        if (salesperson is not None and owner != salesperson) or (
            region is not None and customer_region != region
        ):
            continue
        if group == "customer":
            key, label = row.code, f"{row.name} ({row.code})"
        elif group == "salesperson":
            key, label = owner, owner or _("No salesperson")
        else:
            key, label = customer_region, customer_region or _("No region")
        entry = grouped.get(key)
        if entry is None:
            grouped[key] = AgeingGroup(
                key=key,
                label=label,
                customer_id=customer_id if group == "customer" else None,
                customers=1,
                fen=list(row.fen),
                total_fen=row.total_fen,
            )
            continue
        entry.customers += 1
        entry.fen = [a + b for a, b in zip(entry.fen, row.fen, strict=True)]
        entry.total_fen += row.total_fen
    totals = stream.totals
    return GroupedAgeing(
        as_of=as_of,
        basis=basis,
        group=group,
        buckets=buckets,
        rows=sorted(grouped.values(), key=lambda g: (-g.total_fen, g.label)),
        totals=totals.totals if totals else [ZERO] * len(buckets),
        total=totals.total if totals else ZERO,
        hidden=hidden,
    )


@dataclass(frozen=True)
class Reconciliation:
    """The open items against their control accounts (receivable, customer advance) as of a
    day, per customer: expected to be empty."""

    as_of: date
    problems: list[OpenItemProblem]


def reconciliation(*, as_of: date) -> Reconciliation:
    return Reconciliation(as_of=as_of, problems=open_items_check(as_of=as_of))
