"""Every write to the books: the ledger's public face for writes.

Other apps post business events with `posting_post` / `posting_post_batch` (in account roles,
inside their own transaction) and keep customers in step with the dimension services; people
use the voucher, period and chart services through pages, API and CLI. The modules below are
the ledger's own; import from this package.
"""

from suanpan.ledger.selectors import company_get
from suanpan.ledger.services.cash_flow import (
    MappingInput,
    cash_flow_defaults_apply,
    cash_flow_mapping_restore,
    cash_flow_mapping_save,
    cash_flow_tags_set,
)
from suanpan.ledger.services.company import (
    account_create,
    account_delete,
    account_role_set,
    account_set_active,
    chart_load,
    company_setup,
    company_update,
)
from suanpan.ledger.services.dimensions import (
    dimension_bulk_upsert,
    dimension_merge,
    dimension_upsert,
)
from suanpan.ledger.services.effects import CHAIN_SERIES
from suanpan.ledger.services.lines import LineInput
from suanpan.ledger.services.open_items import (
    PostedMatches,
    open_item_match,
    open_item_unmatch,
    open_items_match_many,
    open_items_redate,
    posting_post_matched,
)
from suanpan.ledger.services.periods import (
    PROBLEM_SEPARATOR,
    books_first_period,
    business_dates_require,
    close_check_register,
    period_close,
    period_for_posting,
    period_reopen,
)
from suanpan.ledger.services.posting import posting_post, posting_post_batch
from suanpan.ledger.services.statements import (
    statement_definition_restore,
    statement_definition_save,
)
from suanpan.ledger.services.transfers import (
    RUN_PERMISSION,
    TemplateInput,
    TemplateLineInput,
    transfer_keys_parse,
    transfer_post,
    transfer_template_create,
    transfer_template_delete,
    transfer_template_update,
    transfers_close_check,
    transfers_post,
)
from suanpan.ledger.services.voucher_batch import voucher_post_batch, voucher_review_batch
from suanpan.ledger.services.voucher_pdf import voucher_pdf_render, vouchers_pdf
from suanpan.ledger.services.vouchers import (
    voucher_create,
    voucher_delete,
    voucher_post,
    voucher_reverse,
    voucher_review,
    voucher_unreview,
    voucher_update,
)
from suanpan.ledger.types import PostingEvent, RoleLine

__all__ = [
    "CHAIN_SERIES",
    "PROBLEM_SEPARATOR",
    "RUN_PERMISSION",
    "LineInput",
    "MappingInput",
    "PostedMatches",
    "PostingEvent",
    "RoleLine",
    "TemplateInput",
    "TemplateLineInput",
    "account_create",
    "account_delete",
    "account_role_set",
    "account_set_active",
    "books_first_period",
    "business_dates_require",
    "cash_flow_defaults_apply",
    "cash_flow_mapping_restore",
    "cash_flow_mapping_save",
    "cash_flow_tags_set",
    "chart_load",
    "close_check_register",
    "company_get",
    "company_setup",
    "company_update",
    "dimension_bulk_upsert",
    "dimension_merge",
    "dimension_upsert",
    "open_item_match",
    "open_item_unmatch",
    "open_items_match_many",
    "open_items_redate",
    "period_close",
    "period_for_posting",
    "period_reopen",
    "posting_post",
    "posting_post_batch",
    "posting_post_matched",
    "statement_definition_restore",
    "statement_definition_save",
    "transfer_keys_parse",
    "transfer_post",
    "transfer_template_create",
    "transfer_template_delete",
    "transfer_template_update",
    "transfers_close_check",
    "transfers_post",
    "voucher_create",
    "voucher_delete",
    "voucher_pdf_render",
    "voucher_post",
    "voucher_post_batch",
    "voucher_reverse",
    "voucher_review",
    "voucher_review_batch",
    "voucher_unreview",
    "voucher_update",
    "vouchers_pdf",
]
