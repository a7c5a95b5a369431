"""Every write of the receivables app: its public face for writes."""

from suanpan.receivables.services.bank_statements import (
    BankAccountInput,
    LineConfirm,
    StatementReport,
    bank_account_create,
    bank_account_mapping_save,
    bank_line_ignore,
    bank_lines_confirm,
    statement_import,
)
from suanpan.receivables.services.receipts import (
    Allocation,
    ReceiptInput,
    receipt_cancel,
    receipt_create,
)
from suanpan.receivables.services.refunds import RefundInput, refund_cancel, refund_create
from suanpan.receivables.services.settlements import (
    AutoMatchTotals,
    Pair,
    settlement_auto,
    settlement_auto_many,
    settlement_make,
    settlement_undo,
)

__all__ = [
    "Allocation",
    "AutoMatchTotals",
    "BankAccountInput",
    "LineConfirm",
    "Pair",
    "ReceiptInput",
    "RefundInput",
    "StatementReport",
    "bank_account_create",
    "bank_account_mapping_save",
    "bank_line_ignore",
    "bank_lines_confirm",
    "receipt_cancel",
    "receipt_create",
    "refund_cancel",
    "refund_create",
    "settlement_auto",
    "settlement_auto_many",
    "settlement_make",
    "settlement_undo",
    "statement_import",
]
