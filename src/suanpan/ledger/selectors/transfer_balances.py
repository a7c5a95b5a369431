"""What the period-end transfers read: balances per account and customer from the period totals,
what a transfer's own vouchers already put into the month, and the rows a preview shows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Q
from django.utils.translation import gettext as _

from suanpan.core.sums import fen_sum, yuan
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.calculations import transfers as maths
from suanpan.ledger.choices import (
    AccountRole,
    VoucherStatus,
)
from suanpan.ledger.models import (
    Account,
    Dimension,
    Period,
    PeriodTotal,
    TransferTemplate,
    Voucher,
    VoucherLine,
)
from suanpan.ledger.selectors._query import _period_q, _subtree_q


@dataclass(frozen=True)
class TransferLineRow:
    account: Account
    dimension: Dimension | None
    debit: Decimal
    credit: Decimal
    summary: str


# ------------------------------------------------------------------------------ balances


def _signed(rows: Iterable[Any]) -> dict[maths.Key, Decimal]:
    result: dict[maths.Key, Decimal] = {}
    for row in rows:
        amount = yuan(row["total"])
        if amount:
            result[(row["account_id"], row["dimension_id"])] = amount
    return result


def period_balances(
    period: Period, accounts: Q, *, this_month_only: bool = False
) -> dict[maths.Key, Decimal]:
    """Balances (debit positive) per account and customer up to the month's end, from the
    period totals: one query. `this_month_only`: the month's movements instead."""
    months = (
        Q(period__year=period.year, period__month=period.month)
        if this_month_only
        else _period_q("period__", upto=period)
    )
    rows = (
        PeriodTotal.objects.filter(accounts)
        .filter(months)
        .values("account_id", "dimension_id")
        .annotate(total=fen_sum(F("debit_amount") - F("credit_amount")))
        # Lines without a customer first on either database (SQLite and PostgreSQL put NULLs
        # at opposite ends).
        .order_by("account__code", F("dimension__code").asc(nulls_first=True))
    )
    return _signed(rows)


def own_postings(period: Period, source: str, source_id: str) -> dict[maths.Key, Decimal]:
    """What the posted vouchers of one transfer (and their reversals) put into this month,
    per account and customer, debit positive: one query."""
    if period.pk is None:
        return {}
    rows = (
        VoucherLine.objects.filter(
            voucher__source_type=source,
            voucher__source_id=source_id,
            voucher__status=VoucherStatus.POSTED,
            voucher__period_id=period.pk,
        )
        .values("account_id", "dimension_id")
        .annotate(total=fen_sum(F("debit_amount") - F("credit_amount")))
        .order_by()
    )
    return _signed(rows)


def within_accounts(own: dict[maths.Key, Decimal], accounts: Sequence[Account]) -> Decimal:
    """The part of `own` on these accounts' subtrees."""
    if not own:
        return ZERO
    ids = subtree_ids(accounts)
    return sum((amount for (account_id, _d), amount in own.items() if account_id in ids), ZERO)


def subtree_ids(accounts: Sequence[Account]) -> set[int]:
    q = Q(pk__in=[])
    for account in accounts:
        q |= _subtree_q(account, prefix="")
    return set(Account.objects.filter(q).values_list("pk", flat=True))


def balances_total(balances: dict[maths.Key, Decimal]) -> Decimal:
    return sum(balances.values(), ZERO)


def source_id(period: Period, template: TransferTemplate | None = None) -> str:
    return f"{period.key}/{template.pk}" if template is not None else period.key


def transfer_vouchers(source: str, sid: str) -> list[Voucher]:
    return list(
        Voucher.objects.filter(source_type=source, source_id=sid)
        .select_related("period")
        .order_by("date", "id")
    )


def line_rows(lines: Sequence[maths.TransferLine]) -> list[TransferLineRow]:
    """The lines with their accounts and customers: two queries."""
    accounts = Account.objects.in_bulk({line.account_id for line in lines})
    dimension_ids = {line.dimension_id for line in lines if line.dimension_id}
    dimensions = Dimension.objects.in_bulk(dimension_ids) if dimension_ids else {}
    return [
        TransferLineRow(
            account=accounts[line.account_id],
            dimension=dimensions.get(line.dimension_id) if line.dimension_id else None,
            debit=line.debit,
            credit=line.credit,
            summary=line.summary,
        )
        for line in lines
    ]


def month_label(period: Period) -> str:
    return f"{period.year}-{period.month:02d}"


def roles_not_mapped(*roles: str) -> str:
    names = ", ".join(f"“{AccountRole(role).label}”" for role in roles)
    return _("map the account roles %(roles)s in the company settings") % {"roles": names}
