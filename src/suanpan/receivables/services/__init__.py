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
from suanpan.receivables.services.settlements import (
    Pair,
    settlement_auto,
    settlement_make,
    settlement_undo,
)
from suanpan.receivables.services.statements import (
    ScheduledRun,
    StatementInput,
    statement_answer_online,
    statement_create,
    statement_mark,
    statement_pdf,
    statement_schedule_set,
    statement_send,
    statement_view_online,
    statements_send_scheduled,
)

__all__ = [
    "Allocation",
    "BankAccountInput",
    "LineConfirm",
    "Pair",
    "ReceiptInput",
    "ScheduledRun",
    "StatementInput",
    "StatementReport",
    "bank_account_create",
    "bank_account_mapping_save",
    "bank_line_ignore",
    "bank_lines_confirm",
    "receipt_cancel",
    "receipt_create",
    "settlement_auto",
    "settlement_make",
    "settlement_undo",
    "statement_answer_online",
    "statement_create",
    "statement_import",
    "statement_mark",
    "statement_pdf",
    "statement_schedule_set",
    "statement_send",
    "statement_view_online",
    "statements_send_scheduled",
]
