"""Every write of the receivables app: its public face for writes."""

from suanpan.receivables.services.bad_debts import (
    IndividualInput,
    RateInput,
    WriteOffInput,
    WriteOffItem,
    individual_provision_save,
    provision_post,
    provision_rates_save,
    recovery_create,
    writeoff_approve,
    writeoff_cancel,
    writeoff_create,
)
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

__all__ = [
    "Allocation",
    "BankAccountInput",
    "IndividualInput",
    "LineConfirm",
    "Pair",
    "RateInput",
    "ReceiptInput",
    "StatementReport",
    "WriteOffInput",
    "WriteOffItem",
    "bank_account_create",
    "bank_account_mapping_save",
    "bank_line_ignore",
    "bank_lines_confirm",
    "individual_provision_save",
    "provision_post",
    "provision_rates_save",
    "receipt_cancel",
    "receipt_create",
    "recovery_create",
    "settlement_auto",
    "settlement_make",
    "settlement_undo",
    "statement_import",
    "writeoff_approve",
    "writeoff_cancel",
    "writeoff_create",
]
