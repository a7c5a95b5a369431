"""The period totals the reports read, recomputed from the posted lines."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from suanpan.core.sums import fen_sum, yuan
from suanpan.ledger.choices import VoucherStatus
from suanpan.ledger.models import Account, Dimension, Period, PeriodTotal, VoucherLine


@dataclass(frozen=True)
class TotalMismatch:
    """A period total (account, customer, month) that differs from its posted lines."""

    period: str
    account: str
    customer: str
    stored_debit: Decimal
    stored_credit: Decimal
    lines_debit: Decimal
    lines_credit: Decimal


def totals_verify() -> list[TotalMismatch]:
    """The period totals the reports read, recomputed from the posted lines and compared.

    The recomputation is one grouped query over the lines; the stored totals are a second
    query, and only the rows that differ are named (a row changed, added or deleted).
    """
    recomputed = {
        (row["voucher__period_id"], row["account_id"], row["dimension_id"]): (
            yuan(row["debit"]),
            yuan(row["credit"]),
        )
        for row in VoucherLine.objects.filter(voucher__status=VoucherStatus.POSTED)
        .values("voucher__period_id", "account_id", "dimension_id")
        .annotate(debit=fen_sum("debit_amount"), credit=fen_sum("credit_amount"))
        .order_by()
    }
    stored = {
        (period_id, account_id, dimension_id): (Decimal(debit), Decimal(credit))
        for period_id, account_id, dimension_id, debit, credit in PeriodTotal.objects.values_list(
            "period_id", "account_id", "dimension_id", "debit_amount", "credit_amount"
        )
    }
    zero = (Decimal(0), Decimal(0))
    differing = sorted(
        (
            key
            for key in set(recomputed) | set(stored)
            if stored.get(key, zero) != recomputed.get(key, zero)
        ),
        key=lambda k: (k[0], k[1], k[2] or 0),
    )
    if not differing:
        return []
    periods = {p.pk: p.key for p in Period.objects.filter(pk__in={k[0] for k in differing})}
    accounts = {a.pk: str(a) for a in Account.objects.filter(pk__in={k[1] for k in differing})}
    customers = {
        d.pk: str(d) for d in Dimension.objects.filter(pk__in={k[2] for k in differing if k[2]})
    }
    return [
        TotalMismatch(
            period=periods.get(key[0], str(key[0])),
            account=accounts.get(key[1], str(key[1])),
            customer=customers.get(key[2], "") if key[2] else "",
            stored_debit=stored.get(key, zero)[0],
            stored_credit=stored.get(key, zero)[1],
            lines_debit=recomputed.get(key, zero)[0],
            lines_credit=recomputed.get(key, zero)[1],
        )
        for key in differing
    ]
