"""Which customer a bank line is from, and which of its invoices it pays: the scoring of what
the books already know (payers seen on receipts, names, numbers in the remark, open amounts).
No Django: the selector gathers the evidence for all lines at once and hands it in here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

# Strongest first: an account that paid for a customer before says more than a name, a number
# in the remark more than a name (payers write the buyer's invoice numbers), an amount least.
PAYER_ACCOUNT = "payer_account"
INVOICE_NUMBER = "invoice_number"
PAYER_NAME = "payer_name"
ORDER_NUMBER = "order_number"
AMOUNT = "amount"
STRENGTH = (PAYER_ACCOUNT, INVOICE_NUMBER, PAYER_NAME, ORDER_NUMBER, AMOUNT)


@dataclass(frozen=True)
class OpenDebit:
    """An invoice's open item: what a customer still owes on it."""

    item_id: int
    customer_id: int
    open_amount: Decimal
    label: str = ""


@dataclass(frozen=True)
class Evidence:
    """What the books say about one line. Customer lists may repeat and hold several."""

    amount: Decimal
    account_customers: Sequence[int] = ()
    name_customers: Sequence[int] = ()
    invoice_items: Sequence[OpenDebit] = ()
    order_customers: Sequence[int] = ()
    amount_items: Sequence[OpenDebit] = ()
    account_label: str = ""
    name_label: str = ""
    order_label: str = ""


@dataclass(frozen=True)
class Suggestion:
    customer_id: int
    reason: str
    detail: str = ""
    allocations: tuple[tuple[int, Decimal], ...] = field(default=())


def _one(ids: Sequence[int]) -> int | None:
    distinct = set(ids)
    return distinct.pop() if len(distinct) == 1 else None


def suggestion_choose(
    evidence: Evidence, customer_debits: Mapping[int, Sequence[OpenDebit]]
) -> Suggestion | None:
    """The customer the strongest unambiguous evidence names, and what to settle: invoices the
    remark names first (up to the amount), else the one open invoice of exactly the amount.
    Evidence naming two customers says nothing. None when nothing points to one customer."""
    candidates: list[tuple[str, int | None, str]] = [
        (PAYER_ACCOUNT, _one(evidence.account_customers), evidence.account_label),
        (
            INVOICE_NUMBER,
            _one([d.customer_id for d in evidence.invoice_items]),
            " ".join(dict.fromkeys(d.label for d in evidence.invoice_items)),
        ),
        (PAYER_NAME, _one(evidence.name_customers), evidence.name_label),
        (ORDER_NUMBER, _one(evidence.order_customers), evidence.order_label),
    ]
    amount_items = list(evidence.amount_items)
    if len(amount_items) == 1:
        candidates.append((AMOUNT, amount_items[0].customer_id, amount_items[0].label))
    for reason, customer_id, detail in candidates:
        if customer_id is None:
            continue
        return Suggestion(
            customer_id=customer_id,
            reason=reason,
            detail=detail[:100],
            allocations=allocations_suggest(
                evidence.amount,
                named=[d for d in evidence.invoice_items if d.customer_id == customer_id],
                debits=customer_debits.get(customer_id, ()),
            ),
        )
    return None


def allocations_suggest(
    amount: Decimal, *, named: Sequence[OpenDebit], debits: Sequence[OpenDebit]
) -> tuple[tuple[int, Decimal], ...]:
    """What a payment of `amount` settles: the named invoices in turn while money is left;
    without named ones, the first open invoice of exactly the amount; else nothing (advance)."""
    if named:
        left = amount
        chosen: list[tuple[int, Decimal]] = []
        for debit in dict.fromkeys(named):
            take = min(left, debit.open_amount)
            if take > 0:
                chosen.append((debit.item_id, take))
                left -= take
        return tuple(chosen)
    for debit in debits:
        if debit.open_amount == amount:
            return ((debit.item_id, amount),)
    return ()
