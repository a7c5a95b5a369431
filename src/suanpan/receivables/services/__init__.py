"""Every write of the receivables app: its public face for writes."""

from suanpan.receivables.services.bank_statements import (
    BankAccountInput,
    LineConfirm,
    StatementReport,
    StatementSample,
    bank_account_create,
    bank_account_mapping_save,
    bank_line_ignore,
    bank_lines_confirm,
    statement_import,
    statement_sample,
)
from suanpan.receivables.services.payment_plans import (
    ReminderReport,
    payment_plan_reminders_send,
    receivables_settings_update,
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
    "ReminderReport",
    "StatementReport",
    "StatementSample",
    "bank_account_create",
    "bank_account_mapping_save",
    "bank_line_ignore",
    "bank_lines_confirm",
    "payment_plan_reminders_send",
    "receipt_cancel",
    "receipt_create",
    "receivables_settings_update",
    "refund_cancel",
    "refund_create",
    "settlement_auto",
    "settlement_auto_many",
    "settlement_make",
    "settlement_undo",
    "statement_import",
    "statement_sample",
]
