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
from suanpan.receivables.services.dunning import (
    LevelInput,
    ProfileInput,
    dunning_level_create,
    dunning_level_update,
    dunning_profile_update,
    dunning_run,
    letter_render,
    promise_create,
    promise_mark,
    task_done,
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
    "LevelInput",
    "LineConfirm",
    "Pair",
    "ProfileInput",
    "ReceiptInput",
    "StatementReport",
    "bank_account_create",
    "bank_account_mapping_save",
    "bank_line_ignore",
    "bank_lines_confirm",
    "dunning_level_create",
    "dunning_level_update",
    "dunning_profile_update",
    "dunning_run",
    "letter_render",
    "promise_create",
    "promise_mark",
    "receipt_cancel",
    "receipt_create",
    "settlement_auto",
    "settlement_make",
    "settlement_undo",
    "statement_import",
    "task_done",
]
