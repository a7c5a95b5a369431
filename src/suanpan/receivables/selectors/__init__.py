"""Every read of the receivables app, scoped by the user: its public face for reads."""

from suanpan.receivables.selectors.receipts import (
    bank_account_by_number,
    bank_accounts,
    receipt_get,
    receipt_list,
    receipt_open,
    receipt_visible,
)
from suanpan.receivables.selectors.settlements import (
    OpenSides,
    customer_open_sides,
    settlement_get,
    settlement_list,
    settlement_visible,
)

__all__ = [
    "OpenSides",
    "bank_account_by_number",
    "bank_accounts",
    "customer_open_sides",
    "receipt_get",
    "receipt_list",
    "receipt_open",
    "receipt_visible",
    "settlement_get",
    "settlement_list",
    "settlement_visible",
]
