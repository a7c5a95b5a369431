"""What a page of customers owes: balance, overdue and how fast they pay, in one query.

The customer list, the customer page and the API show these beside each customer; they read
the open items of the receivable role's account (and its sub-accounts), never posted lines,
so a customer costs a few index look-ups whatever the size of the books.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from suanpan.core.sums import FEN, yuan
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.choices import AccountRole, DimensionKind
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    Dimension,
    OpenItem,
    OpenItemMatch,
)

# How far back payments count towards the average days to pay: a year of settlements, so the
# figure follows how the customer pays now rather than years ago.
PAID_WINDOW_DAYS = 365


@dataclass(frozen=True)
class CustomerFigures:
    """One customer's receivable figures, in yuan; `average_days_to_pay` in whole days.

    - `balance`: what is open on the receivable account, debit positive; credits not yet
      matched (a receipt not yet applied to an invoice) reduce it, so it equals the account's
      balance for the customer;
    - `overdue`: the open part of debit items whose due date has passed (before today);
      unapplied credits do not reduce it until they are matched;
    - `average_days_to_pay`: days from an invoice's posting to its settlement (核销), the
      mean weighted by the amount settled, over the settlements of the last
      `PAID_WINDOW_DAYS` days that were not undone; None when nothing was settled then.
    """

    balance: Decimal = ZERO
    overdue: Decimal = ZERO
    average_days_to_pay: int | None = None


NO_FIGURES = CustomerFigures()


class _DaysBetween(Func):
    """Whole days from the second date to the first, as an integer."""

    arity = 2
    arg_joiner = " - "
    template = "(%(expressions)s)"  # PostgreSQL: date - date is an integer of days
    output_field = IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _receivable_accounts() -> QuerySet[Account, Any]:
    """Ids of the receivable role's account and its sub-accounts, as a subquery: the role is
    looked up inside the same query, and no mapping (no books) selects no account."""
    code = AccountRoleMap.objects.filter(role=AccountRole.RECEIVABLE).values("account__code")[:1]
    return (
        Account.objects.filter(
            Q(code=Subquery(code)) | Q(code__startswith=Concat(Subquery(code), Value(".")))
        )
        .order_by()
        .values("pk")
    )


def _fen_total(rows: QuerySet[Any, Any], expression: Any) -> Coalesce:
    """SUM(expression) of a per-dimension subquery as integer fen, 0 when it has no rows."""
    total = rows.annotate(total=Sum(expression, output_field=FEN)).values("total")
    # SUM of BIGINT is NUMERIC on PostgreSQL; back to an integer, as fen are kept.
    return Coalesce(Cast(Subquery(total), FEN), Value(0, output_field=FEN))


def customer_figures(
    *,
    codes: Collection[str],
    kind: str = DimensionKind.CUSTOMER,
    today: date | None = None,
) -> dict[str, CustomerFigures]:
    """Figures of the dimensions (customers) with these codes, keyed by code: one query for
    the whole set. A code without a dimension, or books without a receivable account, gets
    zeros and no average (`NO_FIGURES`); no codes, no query.
    """
    codes = list(dict.fromkeys(codes))
    if not codes:
        return {}
    today = today or timezone.localdate()
    accounts = _receivable_accounts()
    items = (
        OpenItem.objects.filter(dimension=OuterRef("pk"), account_id__in=accounts)
        .exclude(open_amount=0)
        .order_by()
        .values("dimension")
    )
    settled = (
        OpenItemMatch.objects.filter(
            debit_item__dimension=OuterRef("pk"),
            debit_item__account_id__in=accounts,
            undone_on__isnull=True,
            matched_on__gt=today - timedelta(days=PAID_WINDOW_DAYS),
        )
        .order_by()
        .values("debit_item__dimension")
    )
    rows = (
        Dimension.objects.filter(kind=kind, code__in=codes)
        .annotate(
            balance_fen=_fen_total(items, "open_amount"),
            overdue_fen=_fen_total(items.filter(amount__gt=0, due_on__lt=today), "open_amount"),
            settled_fen=_fen_total(settled, "amount"),
            settled_days_fen=_fen_total(
                settled, F("amount") * _DaysBetween("matched_on", "debit_item__posted_on")
            ),
        )
        .values_list("code", "balance_fen", "overdue_fen", "settled_fen", "settled_days_fen")
    )
    found = {
        code: CustomerFigures(
            balance=yuan(balance),
            overdue=yuan(overdue),
            average_days_to_pay=_days(settled_days, settled),
        )
        for code, balance, overdue, settled, settled_days in rows
    }
    return {code: found.get(code, NO_FIGURES) for code in codes}


def _days(weighted: int, weights: int) -> int | None:
    """The amount-weighted mean in whole days, halves up; None without weights."""
    if not weights:
        return None
    mean = Decimal(int(weighted)) / Decimal(int(weights))
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))
