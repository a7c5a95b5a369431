"""`demo_load()`: every area of the demo data in order, idempotent and deterministic for a seed."""

from __future__ import annotations

from collections.abc import Callable

from suanpan.demo.closing import demo_close
from suanpan.demo.customers import customers_exist, demo_customers, demo_followups
from suanpan.demo.dunning import demo_dunning
from suanpan.demo.invoicing import demo_invoicing
from suanpan.demo.ledger import demo_books
from suanpan.demo.receivables import demo_receivables
from suanpan.demo.sales import demo_sales
from suanpan.demo.users import demo_users


def demo_load(
    *,
    customers: int = 60,
    seed: int = 2026,
    batch: int = 5000,
    progress: Callable[[int], object] | None = None,
) -> int:
    """Load demo users, and `customers` customers unless some exist; return how many were made.

    It does nothing the second time, and the same seed makes the same data on any machine.
    """
    users = demo_users()
    if customers_exist(user=users["admin"]):
        return 0
    made = demo_customers(users=users, count=customers, seed=seed, batch=batch, progress=progress)
    demo_followups(users=users, seed=seed)
    demo_books(users=users, seed=seed)
    demo_sales(users=users, seed=seed)
    demo_invoicing(users=users)
    demo_receivables(users=users)
    demo_dunning(users=users)
    demo_close(users=users)
    return made
