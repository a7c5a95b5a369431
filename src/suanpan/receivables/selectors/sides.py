"""A customer's open items on the receivable and advance accounts: what settlements take."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

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


class Sides(NamedTuple):
    """A customer's open debits (receivable account, oldest due first) and open credits
    (receivable and advance accounts, oldest first), and which credits are advances."""

    debits: list[OpenItemRow]
    credits: list[OpenItemRow]
    on_advance: set[int]


def open_sides(customer: Customer) -> tuple[list[OpenItemRow], list[OpenItemRow]]:
    """The customer's open debits (receivable account, oldest due first) and open credits
    (receivable and advance accounts, oldest first)."""
    dimension = dimension_by_code(code=customer.number)
    if dimension is None:
        customer_accounts()
        return [], []
    sides = open_sides_many({customer.number: dimension.pk}).get(customer.number)
    return (sides.debits, sides.credits) if sides is not None else ([], [])


def open_sides_many(dimensions: Mapping[str, int]) -> dict[str, Sides]:
    """`open_sides` for a batch of customers (their number → ledger dimension id), in two
    queries: by customer number, those with anything open."""
    receivable, advance = customer_accounts()
    ids = list(dimensions.values())
    sides: dict[str, Sides] = {}
    for row in open_items(account=receivable, dimension_ids=ids):
        found = sides.setdefault(row.dimension_code, Sides([], [], set()))
        (found.debits if row.amount_fen > 0 else found.credits).append(row)
    if advance is not None:
        for row in open_items(account=advance, dimension_ids=ids):
            if row.amount_fen < 0:
                found = sides.setdefault(row.dimension_code, Sides([], [], set()))
                found.credits.append(row)
                found.on_advance.add(row.pk)
    for found in sides.values():
        found.credits.sort(key=lambda row: (row.posted_on, row.pk))
    return sides
