"""Every read of the receivables app, scoped by the user: its public face for reads."""

from suanpan.receivables.selectors.bank_statements import (
    bank_account_by_number,
    bank_account_get,
    bank_line_get,
    bank_line_list,
    bank_line_suggestions,
    bank_line_visible,
    bank_lines_get,
    statement_import_get,
)
from suanpan.receivables.selectors.payment_plans import (
    ContractPlan,
    customer_plan,
    payment_plan,
    payment_plans,
)
from suanpan.receivables.selectors.plan_figures import (
    PlanRow,
    plan_rows,
    receivables_settings_get,
)
from suanpan.receivables.selectors.receipts import (
    bank_accounts,
    receipt_get,
    receipt_list,
    receipt_open,
    receipt_visible,
)
from suanpan.receivables.selectors.refunds import (
    customer_refundable,
    refund_get,
    refund_list,
    refund_visible,
)
from suanpan.receivables.selectors.settlements import (
    OpenSides,
    customer_open_sides,
    settlement_get,
    settlement_list,
    settlement_visible,
)

__all__ = [
    "ContractPlan",
    "OpenSides",
    "PlanRow",
    "bank_account_by_number",
    "bank_account_get",
    "bank_accounts",
    "bank_line_get",
    "bank_line_list",
    "bank_line_suggestions",
    "bank_line_visible",
    "bank_lines_get",
    "customer_open_sides",
    "customer_plan",
    "customer_refundable",
    "payment_plan",
    "payment_plans",
    "plan_rows",
    "receipt_get",
    "receipt_list",
    "receipt_open",
    "receipt_visible",
    "receivables_settings_get",
    "refund_get",
    "refund_list",
    "refund_visible",
    "settlement_get",
    "settlement_list",
    "settlement_visible",
    "statement_import_get",
]
