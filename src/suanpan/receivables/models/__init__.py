"""The receivables app's tables: bank accounts, receipts (收款单) and settlements (核销)."""

from suanpan.receivables.models.receipts import BankAccount, Receipt
from suanpan.receivables.models.settlements import Settlement, SettlementLine

__all__ = ["BankAccount", "Receipt", "Settlement", "SettlementLine"]
