"""Every write of the receivables app: its public face for writes."""

from suanpan.receivables.services.bank_accounts import bank_account_create
from suanpan.receivables.services.receipts import (
    Allocation,
    ReceiptInput,
    receipt_cancel,
    receipt_create,
)
from suanpan.receivables.services.settlements import (
    Pair,
    settlement_auto,
    settlement_make,
    settlement_undo,
)

__all__ = [
    "Allocation",
    "Pair",
    "ReceiptInput",
    "bank_account_create",
    "receipt_cancel",
    "receipt_create",
    "settlement_auto",
    "settlement_make",
    "settlement_undo",
]
