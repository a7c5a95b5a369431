"""The receivables app's tables: bank accounts, receipts (收款单), refunds (退款单), settlements
(核销), bank statements (银行流水), payment plan reminders (回款计划), bad debts (坏账), customer
statements (对账单) and confirmations (询证函), dunning (催款)."""

from suanpan.receivables.models.bad_debts import (
    IndividualProvision,
    ProvisionRate,
    ProvisionRun,
    Recovery,
    WriteOff,
    WriteOffLine,
)
from suanpan.receivables.models.bank_statements import BankLine, StatementImport
from suanpan.receivables.models.dunning import (
    CollectionTask,
    DailyRun,
    DunningLetter,
    DunningLetterItem,
    DunningLevel,
    DunningProfile,
    DunningRun,
    PaymentPromise,
)
from suanpan.receivables.models.payment_plans import PlanReminder, ReceivablesSettings
from suanpan.receivables.models.receipts import BankAccount, Receipt
from suanpan.receivables.models.refunds import Refund, RefundLine
from suanpan.receivables.models.settlements import Settlement, SettlementLine
from suanpan.receivables.models.statements import Statement, StatementEvent, StatementSchedule

__all__ = [
    "BankAccount",
    "BankLine",
    "CollectionTask",
    "DailyRun",
    "DunningLetter",
    "DunningLetterItem",
    "DunningLevel",
    "DunningProfile",
    "DunningRun",
    "IndividualProvision",
    "PaymentPromise",
    "PlanReminder",
    "ProvisionRate",
    "ProvisionRun",
    "Receipt",
    "ReceivablesSettings",
    "Recovery",
    "Refund",
    "RefundLine",
    "Settlement",
    "SettlementLine",
    "Statement",
    "StatementEvent",
    "StatementImport",
    "StatementSchedule",
    "WriteOff",
    "WriteOffLine",
]
