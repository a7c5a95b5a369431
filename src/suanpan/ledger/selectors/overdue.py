"""What is overdue now, for a home page: the total and the customers owing most past due, and
what one document type still has open. Read from the open-item table's open amounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Min

from suanpan.core.sums import fen_sum, yuan
from suanpan.ledger.models import Account, OpenItem
from suanpan.ledger.selectors._query import _subtree_ids


@dataclass(frozen=True)
class OverdueCustomer:
    code: str
    name: str
    amount: Decimal
    oldest_due_on: date


@dataclass(frozen=True)
class Overdue:
    total: Decimal
    customers: int
    top: list[OverdueCustomer]


def overdue_summary(*, account: Account, today: date, limit: int = 5) -> Overdue:
    """Debit items past their due date with something open: their total, how many customers
    owe them, and the `limit` customers owing most. Two queries over the open items' index."""
    overdue = OpenItem.objects.filter(
        account_id__in=_subtree_ids(account), open_amount__gt=0, due_on__lt=today
    )
    totals = overdue.aggregate(
        total=fen_sum("open_amount"), customers=Count("dimension", distinct=True)
    )
    rows = (
        overdue.values("dimension_id")
        .annotate(
            fen=fen_sum("open_amount"),
            oldest=Min("due_on"),
            code=F("dimension__code"),
            name=F("dimension__name"),
        )
        .order_by("-fen", "code")[:limit]
    )
    return Overdue(
        total=yuan(totals["total"]),
        customers=totals["customers"] or 0,
        top=[
            OverdueCustomer(row["code"], row["name"], yuan(row["fen"]), row["oldest"])
            for row in rows
        ],
    )


def open_items_of_source_type(*, source_type: str) -> tuple[int, Decimal]:
    """How many items of a document type are still open, and their open total (signed)."""
    found = (
        OpenItem.objects.filter(source_type=source_type)
        .exclude(open_amount=0)
        .aggregate(count=Count("pk"), total=fen_sum("open_amount"))
    )
    return found["count"] or 0, yuan(found["total"])


def dimension_overdue(
    *, account: Account, code: str, before: date, kind: str = "customer"
) -> tuple[Decimal, date | None]:
    """What a customer (by its dimension code) still owes on items due before `before`, and the
    oldest such due date: one query."""
    found = OpenItem.objects.filter(
        account_id__in=_subtree_ids(account),
        dimension__kind=kind,
        dimension__code=code,
        open_amount__gt=0,
        due_on__lt=before,
    ).aggregate(total=fen_sum("open_amount"), oldest=Min("due_on"))
    return yuan(found["total"]), found["oldest"]
