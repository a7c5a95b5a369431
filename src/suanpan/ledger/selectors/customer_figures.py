"""What a page of customers owes: balance, overdue and how fast they pay, in one query.

The customer list, the customer page and the API show these beside each customer; they read
the open items of the receivable role's account (and its sub-accounts) and their matches
instead of summing posted lines, so a customer costs a few index look-ups whatever the size
of the books.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils import timezone

from suanpan.core.sums import yuan
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.choices import AccountRole, DimensionKind
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    Dimension,
    OpenItem,
    OpenItemMatch,
    VoucherLine,
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
      `PAID_WINDOW_DAYS` days that were not undone; a settlement against a red-letter debit
      (a red invoice reversing the invoice) is no payment and does not count. None when
      nothing was settled then.
    """

    balance: Decimal = ZERO
    overdue: Decimal = ZERO
    average_days_to_pay: int | None = None


NO_FIGURES = CustomerFigures()


def _days_sql() -> str:
    """Whole days from the debit item's posting to the match, as an integer, in this
    database's words (PostgreSQL subtracts dates; SQLite counts Julian days)."""
    if connection.vendor == "postgresql":
        return "(m.matched_on - i.posted_on)"
    return "CAST(julianday(m.matched_on) - julianday(i.posted_on) AS INTEGER)"


def customer_figures(
    *,
    codes: Collection[str],
    kind: str = DimensionKind.CUSTOMER,
    today: date | None = None,
) -> dict[str, CustomerFigures]:
    """Figures of the dimensions (customers) with these codes, keyed by code: one query for
    the whole set. A code without a dimension, or books without a receivable account, gets
    zeros and no average (`NO_FIGURES`); no codes, no query.

    Hand-written SQL, as the ageing is: the ORM took longer to build and compile the same
    question as four correlated subqueries than the database took to answer it. The
    receivable role's account and its sub-accounts (1122.01, 1122.01.xx) are found inside the
    query; the customers' open items come through the partial index of open items, their
    settlements through the (debit item, date) index of matches, each with its credit item's
    line to tell a payment from a red-letter reversal.
    """
    codes = list(dict.fromkeys(codes))
    if not codes:
        return {}
    today = today or timezone.localdate()
    item = OpenItem._meta.db_table
    match = OpenItemMatch._meta.db_table
    account = Account._meta.db_table
    role_map = AccountRoleMap._meta.db_table
    dimension = Dimension._meta.db_table
    line = VoucherLine._meta.db_table
    marks = ", ".join(["%s"] * len(codes))
    # Identifiers come from the models; every value is a parameter.
    sql = (
        "WITH accounts AS ("  # noqa: S608
        f" SELECT a.id FROM {account} a JOIN {role_map} r ON r.role = %s"
        f" JOIN {account} top ON top.id = r.account_id"
        " WHERE a.code = top.code OR SUBSTR(a.code, 1, LENGTH(top.code) + 1) = top.code || '.'"
        f"), dimensions AS (SELECT id, code FROM {dimension} WHERE kind = %s AND code IN ({marks}))"
        " SELECT d.code, CAST(SUM(x.open_fen) AS BIGINT), CAST(SUM(x.overdue_fen) AS BIGINT),"
        " CAST(SUM(x.settled_fen) AS BIGINT), CAST(SUM(x.days_fen) AS BIGINT)"
        " FROM ("
        # Each customer's items on each of the accounts: the (account, dimension) indexes.
        "  SELECT i.dimension_id, i.open_amount AS open_fen,"
        "  CASE WHEN i.amount > 0 AND i.due_on < %s THEN i.open_amount ELSE 0 END AS overdue_fen,"
        "  0 AS settled_fen, 0 AS days_fen"
        f"  FROM accounts a CROSS JOIN dimensions d JOIN {item} i"
        "  ON i.account_id = a.id AND i.dimension_id = d.id"
        "  WHERE i.open_amount <> 0"
        "  UNION ALL"
        f"  SELECT i.dimension_id, 0, 0, m.amount, m.amount * {_days_sql()}"
        f"  FROM accounts a CROSS JOIN dimensions d JOIN {item} i"
        "  ON i.account_id = a.id AND i.dimension_id = d.id"
        f"  JOIN {match} m ON m.debit_item_id = i.id"
        # Settled by a credit (a receipt, an offset), not by a red-letter reversal of a debit.
        f"  JOIN {item} c ON c.id = m.credit_item_id JOIN {line} l ON l.id = c.line_id"
        "  WHERE i.amount > 0 AND m.undone_on IS NULL AND m.matched_on > %s"
        "  AND l.credit_amount > 0"
        " ) x JOIN dimensions d ON d.id = x.dimension_id"
        " GROUP BY d.code"
    )
    params: list[str | date] = [
        AccountRole.RECEIVABLE,
        kind,
        *codes,
        today,
        today - timedelta(days=PAID_WINDOW_DAYS),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
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
