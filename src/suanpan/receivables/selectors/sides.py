"""A customer's open items on the receivable and advance accounts: what settlements take."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from suanpan.ledger.selectors import OpenItemRow, account_for_role, dimension_by_code, open_items
from suanpan.ledger.types import Role
from suanpan.receivables.errors import SettlementInvalid

if TYPE_CHECKING:
    from suanpan.customers.models import Customer
    from suanpan.ledger.models import Account, OpenItem


def in_subtree(item: OpenItem, account: Account | None) -> bool:
    return account is not None and account.pk in (item.account_id, item.account.parent_id)


def customer_accounts() -> tuple[Account, Account | None]:
    """The receivable account (items on it or a leaf under it) and the customer advance
    account; the books must have a receivable account to settle anything."""
    receivable = account_for_role(Role.RECEIVABLE)
    if receivable is None:
        raise SettlementInvalid(reason=_("the books have no receivable account"))
    return receivable, account_for_role(Role.CUSTOMER_ADVANCE)


def open_sides(customer: Customer) -> tuple[list[OpenItemRow], list[OpenItemRow]]:
    """The customer's open debits (receivable account, oldest due first) and open credits
    (receivable and advance accounts, oldest first)."""
    receivable, advance = customer_accounts()
    dimension = dimension_by_code(code=customer.number)
    if dimension is None:
        return [], []
    rows = list(open_items(account=receivable, dimension=dimension))
    debits = [row for row in rows if row.amount_fen > 0]
    credits = [row for row in rows if row.amount_fen < 0]
    if advance is not None:
        credits += [
            row for row in open_items(account=advance, dimension=dimension) if row.amount_fen < 0
        ]
    credits.sort(key=lambda row: (row.posted_on, row.pk))
    return debits, credits
