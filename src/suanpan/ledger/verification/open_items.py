"""The open-item table against its accounts' balances per customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from suanpan.ledger import selectors
from suanpan.ledger.models import Account, Dimension


@dataclass(frozen=True)
class OpenItemMismatch:
    account: str
    customer: str
    open_items: Decimal
    balance: Decimal
    # Items whose kept open amount differs from what their matches give.
    wrong_open_items: int = 0


def open_items_verify(*, as_of: date) -> list[OpenItemMismatch]:
    """Where the open-item table differs from its account's balance per customer, or keeps
    wrong open amounts, named."""
    rows = selectors.open_items_check(as_of=as_of)
    accounts = {a.pk: str(a) for a in Account.objects.filter(pk__in={r[0] for r in rows})}
    customers = {
        d.pk: str(d) for d in Dimension.objects.filter(pk__in={r[1] for r in rows if r[1]})
    }
    return [
        OpenItemMismatch(
            account=accounts.get(row.account_id, str(row.account_id)),
            customer=customers.get(row.dimension_id, "") if row.dimension_id else "",
            open_items=row.items,
            balance=row.balance,
            wrong_open_items=row.wrong_open_items,
        )
        for row in rows
    ]
