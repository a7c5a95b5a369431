"""Every write of the receivables app: its public face for writes."""

from suanpan.receivables.services.auto_match import (
    AutoMatchTotals,
    settlement_auto,
    settlement_auto_many,
)
from suanpan.receivables.services.bad_debts import (
    WriteOffInput,
    WriteOffItem,
    recovery_create,
    writeoff_approve,
    writeoff_cancel,
    writeoff_create,
    writeoff_reverse,
)
from suanpan.receivables.services.bank_lines import (
    BankAccountInput,
    LineConfirm,
    bank_account_create,
    bank_line_ignore,
    bank_lines_confirm,
)
from suanpan.receivables.services.bank_statements import (
    StatementReport,
    StatementSample,
    bank_account_mapping_save,
    statement_import,
    statement_sample,
)
from suanpan.receivables.services.dunning import (
    dunning_run,
    letter_render,
)
from suanpan.receivables.services.dunning_setup import (
    LevelInput,
    ProfileInput,
    dunning_level_create,
    dunning_level_update,
    dunning_profile_update,
    promise_create,
    promise_mark,
    task_done,
)
from suanpan.receivables.services.payment_plans import (
    ReminderReport,
    payment_plan_reminders_send,
    receivables_settings_update,
)
from suanpan.receivables.services.provisions import (
    IndividualInput,
    RateInput,
    individual_provision_save,
    provision_post,
    provision_rates_save,
)
from suanpan.receivables.services.receipts import (
    Allocation,
    ReceiptInput,
    receipt_cancel,
    receipt_create,
)
from suanpan.receivables.services.refunds import RefundInput, refund_cancel, refund_create
from suanpan.receivables.services.settlement_plans import Pair
from suanpan.receivables.services.settlements import settlement_make, settlement_undo
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
    "AutoMatchTotals",
    "BankAccountInput",
    "IndividualInput",
    "LevelInput",
    "LineConfirm",
    "Pair",
    "ProfileInput",
    "RateInput",
    "ReceiptInput",
    "RefundInput",
    "ReminderReport",
    "ScheduledRun",
    "StatementInput",
    "StatementReport",
    "StatementSample",
    "WriteOffInput",
    "WriteOffItem",
    "bank_account_create",
    "bank_account_mapping_save",
    "bank_line_ignore",
    "bank_lines_confirm",
    "dunning_level_create",
    "dunning_level_update",
    "dunning_profile_update",
    "dunning_run",
    "individual_provision_save",
    "letter_render",
    "payment_plan_reminders_send",
    "promise_create",
    "promise_mark",
    "provision_post",
    "provision_rates_save",
    "receipt_cancel",
    "receipt_create",
    "receivables_settings_update",
    "recovery_create",
    "refund_cancel",
    "refund_create",
    "settlement_auto",
    "settlement_auto_many",
    "settlement_make",
    "settlement_undo",
    "statement_answer_online",
    "statement_create",
    "statement_import",
    "statement_mark",
    "statement_pdf",
    "statement_sample",
    "statement_schedule_set",
    "statement_send",
    "statement_view_online",
    "statements_send_scheduled",
    "task_done",
    "writeoff_approve",
    "writeoff_cancel",
    "writeoff_create",
    "writeoff_reverse",
]
