"""The receivables app's tables: bank accounts, receipts (收款单), settlements (核销) and bank
statements (银行流水), customer statements (对账单) and confirmations (询证函)."""

from suanpan.receivables.models.bank_statements import BankLine, StatementImport
from suanpan.receivables.models.receipts import BankAccount, Receipt
from suanpan.receivables.models.settlements import Settlement, SettlementLine
from suanpan.receivables.models.statements import Statement, StatementEvent, StatementSchedule

__all__ = [
    "BankAccount",
    "BankLine",
    "Receipt",
    "Settlement",
    "SettlementLine",
    "Statement",
    "StatementEvent",
    "StatementImport",
    "StatementSchedule",
]
