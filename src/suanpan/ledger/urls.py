"""The ledger's pages under /ledger/ (namespace `ledger`) and its reports under /ledger/reports/
(namespace `ledger_reports`, included from the project's urls as `reports`)."""

from django.urls import path

from suanpan.ledger.views import (
    accounts,
    balances,
    books,
    company,
    journals,
    open_items,
    overview,
    periods,
    statements,
    transfers,
    voucher_actions,
    vouchers,
)
from suanpan.ledger.views import (
    reports as report_pages,
)

app_name = "ledger"

urlpatterns = [
    path("", overview.home, name="home"),
    path("company/", company.company, name="company"),
    path("company/roles/", company.company_role, name="company_role"),
    path("accounts/", accounts.account_list, name="accounts"),
    path("accounts/<int:pk>/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/active/", accounts.account_set_active, name="account_set_active"),
    path("accounts/<int:pk>/delete/", accounts.account_delete, name="account_delete"),
    path("vouchers/", vouchers.voucher_list, name="vouchers"),
    path("vouchers/new/", vouchers.voucher_create, name="voucher_create"),
    path("vouchers/accounts/", vouchers.account_lookup, name="account_lookup"),
    path("vouchers/customers/", vouchers.customer_lookup, name="customer_lookup"),
    path("vouchers/pdf/", voucher_actions.vouchers_pdf, name="vouchers_pdf"),
    path("vouchers/batch/", voucher_actions.voucher_batch, name="voucher_batch"),
    path("vouchers/<int:pk>/", vouchers.voucher_detail, name="voucher_detail"),
    path("vouchers/<int:pk>/edit/", vouchers.voucher_edit, name="voucher_edit"),
    path("vouchers/<int:pk>/print/", vouchers.voucher_print, name="voucher_print"),
    path("vouchers/<int:pk>/pdf/", voucher_actions.voucher_pdf, name="voucher_pdf"),
    path(
        "vouchers/<int:pk>/<str:action>/",
        vouchers.voucher_action,
        name="voucher_action",
    ),
    path("periods/", periods.period_list, name="periods"),
    path("periods/<str:key>/close/", periods.period_close, name="period_close"),
    path("periods/<str:key>/reopen/", periods.period_reopen, name="period_reopen"),
    path("periods/<str:key>/transfers/", transfers.transfers_page, name="transfers"),
    path(
        "periods/<str:key>/transfers/template/<int:pk>/post/",
        transfers.transfer_post,
        {"kind": "template"},
        name="transfer_template_post",
    ),
    path(
        "periods/<str:key>/transfers/<str:kind>/post/",
        transfers.transfer_post,
        name="transfer_post",
    ),
    path("transfers/", transfers.transfers_current, name="transfers_current"),
    path("transfers/templates/", transfers.template_list, name="transfer_templates"),
    path("transfers/templates/new/", transfers.template_create, name="transfer_template_create"),
    path("transfers/templates/<int:pk>/", transfers.template_detail, name="transfer_template"),
    path(
        "transfers/templates/<int:pk>/edit/",
        transfers.template_edit,
        name="transfer_template_edit",
    ),
    path(
        "transfers/templates/<int:pk>/delete/",
        transfers.template_delete,
        name="transfer_template_delete",
    ),
]

reports_urlpatterns = [
    path("", report_pages.report_index, name="index"),
    path("trial-balance/", balances.trial_balance, name="trial_balance"),
    path("vouchers/", balances.drilldown, name="drilldown"),
    path("general-ledger/", books.general_ledger, name="general_ledger"),
    path("account-detail/", books.account_detail, name="account_detail"),
    path("customer-balances/", balances.customer_balances, name="customer_balances"),
    path("open-items/", open_items.open_items, name="open_items"),
    path("open-items/<int:pk>/", open_items.item_history, name="item_history"),
    path("ageing/", open_items.ageing, name="ageing"),
    path("account-summary/", journals.account_summary, name="account_summary"),
    path("journal/", journals.journal, name="journal"),
    # Financial statements. The cash-flow pages come before the patterns with a kind, which
    # would read "cash-flow/lines/" as a statement's file format.
    path("statements/cash-flow/lines/", statements.cash_flow_lines, name="cash_flow_lines"),
    path(
        "statements/cash-flow/lines/defaults/",
        statements.cash_flow_defaults,
        name="cash_flow_defaults",
    ),
    path("statements/cash-flow/mapping/", statements.cash_flow_mapping, name="cash_flow_mapping"),
    path(
        "statements/cash-flow/mapping/restore/",
        statements.cash_flow_mapping_restore,
        name="cash_flow_mapping_restore",
    ),
    path("statements/<str:kind>/", statements.statement, name="statement"),
    path(
        "statements/<str:kind>/drill/", statements.statement_drilldown, name="statement_drilldown"
    ),
    path(
        "statements/<str:kind>/definition/",
        statements.definition_edit,
        name="statement_definition",
    ),
    path(
        "statements/<str:kind>/definition/restore/",
        statements.definition_restore,
        name="statement_definition_restore",
    ),
    path("statements/<str:kind>/<str:fmt>/", statements.statement_file, name="statement_file"),
]

reports = (reports_urlpatterns, "ledger_reports")
