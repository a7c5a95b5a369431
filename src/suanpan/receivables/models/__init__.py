"""The receivables app's tables: bank accounts, receipts (收款单), settlements (核销) and bank
statements (银行流水), dunning (催款)."""

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
from suanpan.receivables.models.receipts import BankAccount, Receipt
from suanpan.receivables.models.settlements import Settlement, SettlementLine

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
    "PaymentPromise",
    "Receipt",
    "Settlement",
    "SettlementLine",
    "StatementImport",
]
