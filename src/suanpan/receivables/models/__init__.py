"""The receivables app's tables: bank accounts, receipts (收款单), refunds (退款单), settlements (核销) and bank
statements (银行流水)."""

from suanpan.receivables.models.bank_statements import BankLine, StatementImport
from suanpan.receivables.models.receipts import BankAccount, Receipt
from suanpan.receivables.models.refunds import Refund, RefundLine
from suanpan.receivables.models.settlements import Settlement, SettlementLine

__all__ = [
    "BankAccount",
    "BankLine",
    "Receipt",
    "Refund",
    "RefundLine",
    "Settlement",
    "SettlementLine",
    "StatementImport",
]
