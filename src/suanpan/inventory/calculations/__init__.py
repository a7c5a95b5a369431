"""Pure calculations of the inventory app: stock cost (`cost`) and the posting rules of each
document (`postings` for deliveries and returns, `postings_stock` for goods receipts and stock
adjustments). Amounts in, amounts or role-based voucher lines out; no reads or writes."""

from suanpan.inventory.calculations.cost import issue_cost

__all__ = ["issue_cost"]
