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
from suanpan.receivables.selectors.receipts import (
    bank_accounts,
    receipt_get,
    receipt_list,
    receipt_open,
    receipt_visible,
)
from suanpan.receivables.selectors.settlements import (
    OpenSides,
    customer_open_sides,
    settlement_get,
    settlement_list,
    settlement_visible,
)
from suanpan.receivables.selectors.statements import (
    CustomerStatement,
    StatementAgeing,
    line_document,
    statement_get,
    statement_list,
    statement_of,
    statement_schedule_of,
    statement_token,
    statement_token_read,
    statement_visible,
)

__all__ = [
    "CustomerStatement",
    "OpenSides",
    "StatementAgeing",
    "bank_account_by_number",
    "bank_account_get",
    "bank_accounts",
    "bank_line_get",
    "bank_line_list",
    "bank_line_suggestions",
    "bank_line_visible",
    "bank_lines_get",
    "customer_open_sides",
    "line_document",
    "receipt_get",
    "receipt_list",
    "receipt_open",
    "receipt_visible",
    "settlement_get",
    "settlement_list",
    "settlement_visible",
    "statement_get",
    "statement_import_get",
    "statement_list",
    "statement_of",
    "statement_schedule_of",
    "statement_token",
    "statement_token_read",
    "statement_visible",
]
