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
from suanpan.receivables.services.settlements import (
    Pair,
    settlement_auto,
    settlement_make,
    settlement_undo,
)

__all__ = [
    "Allocation",
    "BankAccountInput",
    "LineConfirm",
    "Pair",
    "ReceiptInput",
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
    "settlement_auto",
    "settlement_make",
    "settlement_undo",
    "statement_import",
    "statement_sample",
]
