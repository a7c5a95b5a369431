"""The receivables app's tables: bank accounts, receipts (收款单), settlements (核销) and bank
statements (银行流水), bad debts (坏账)."""

from suanpan.receivables.models.bad_debts import (
    IndividualProvision,
    ProvisionRate,
    ProvisionRun,
    Recovery,
    WriteOff,
    WriteOffLine,
)
from suanpan.receivables.models.bank_statements import BankLine, StatementImport
from suanpan.receivables.models.receipts import BankAccount, Receipt
from suanpan.receivables.models.settlements import Settlement, SettlementLine

__all__ = [
    "BankAccount",
    "BankLine",
    "IndividualProvision",
    "ProvisionRate",
    "ProvisionRun",
    "Receipt",
    "Recovery",
    "Settlement",
    "SettlementLine",
    "StatementImport",
    "WriteOff",
    "WriteOffLine",
]
