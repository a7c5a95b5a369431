"""Row locks in one order for the whole product (docs/locking.md has the table and the why).

Two transactions deadlock when each holds a row the other then asks for. Every service takes
its row locks in the order of `LOCK_ORDER`, top to bottom, rows of one table in id order, and
locks only the rows it means to change: `for_update` locks the queryset's own rows, never the
rows a `select_related` joins in (PostgreSQL would lock those too).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

# Model labels, in the order transactions lock their rows (docs/locking.md). A table missing
# here is either never locked or locked only by transactions that take nothing after it.
LOCK_ORDER: tuple[str, ...] = (
    "catalog.taxcategory",
    "catalog.product",
    "ledger.company",
    "receivables.bankaccount",
    "receivables.bankline",
    "customers.customer",
    "customers.contact",
    "customers.address",
    "customers.followup",
    "sales.opportunitystage",
    "sales.opportunity",
    "sales.quote",
    "sales.contract",
    "invoicing.invoicerequest",
    "invoicing.redletterform",
    "invoicing.invoicemailing",
    "invoicing.invoice",
    "receivables.receipt",
    "receivables.settlement",
    "receivables.refund",
    "receivables.writeoff",
    "receivables.statement",
    "inventory.goodsreceipt",
    "inventory.stockadjustment",
    "inventory.delivery",
    "inventory.deliveryline",
    "inventory.deliveryreturn",
    "sales.salesorder",
    "sales.salesorderline",
    "inventory.warehouse",
    "inventory.stocklevel",
    "inventory.productcost",
    "ledger.transfertemplate",
    "ledger.voucher",
    "ledger.period",
    "core.documentsequence",
    "ledger.openitem",
    "ledger.openitemmatch",
)


def lock_rank(model: type[Model]) -> int:
    """The model's place in `LOCK_ORDER`; models not in it come after every listed one."""
    label = model._meta.label_lower
    return LOCK_ORDER.index(label) if label in LOCK_ORDER else len(LOCK_ORDER)


def for_update(queryset: QuerySet[M, Any], *, key_share: bool = True) -> QuerySet[M, Any]:
    """`queryset` locking its own rows until the transaction ends.

    `of=("self",)`: joined rows (a document's warehouse, a line's product) stay unlocked —
    locking them would take a row out of its place in the order. With `key_share` (the
    default) the lock is FOR NO KEY UPDATE, which lets other transactions insert rows that
    refer to the locked one (a stock move naming the warehouse, an order naming the customer)
    while still queueing every other writer of the row; pass False where the row itself is
    re-keyed or deleted, or where inserts referring to it must wait (a customer merge).
    """
    return queryset.select_for_update(of=("self",), no_key=key_share)
