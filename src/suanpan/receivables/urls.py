"""The receivables pages, all named under `receivables:`."""

from django.urls import path

from suanpan.receivables.views import (
    ageing,
    bad_debts,
    bank_statements,
    home,
    payment_plans,
    receipts,
    refunds,
    settlements,
    statements,
)

app_name = "receivables"

urlpatterns = [
    path("", home.home, name="home"),
    path("receipts/", receipts.receipt_list, name="receipt_list"),
    path("receipts/new/", receipts.receipt_create, name="receipt_create"),
    path(
        "receipts/open-invoices/",
        receipts.receipt_open_invoices,
        name="receipt_open_invoices",
    ),
    path("receipts/<int:pk>/", receipts.receipt_detail, name="receipt_detail"),
    path("receipts/<int:pk>/cancel/", receipts.receipt_cancel, name="receipt_cancel"),
    path("refunds/", refunds.refund_list, name="refund_list"),
    path("refunds/new/", refunds.refund_create, name="refund_create"),
    path("refunds/<int:pk>/", refunds.refund_detail, name="refund_detail"),
    path("refunds/<int:pk>/cancel/", refunds.refund_cancel, name="refund_cancel"),
    path("ageing/", ageing.ageing, name="ageing"),
    path("settle/", settlements.settle, name="settle"),
    path("bank/import/", bank_statements.statement_import, name="statement_import"),
    path(
        "bank/accounts/<int:pk>/mapping/",
        bank_statements.bank_account_mapping,
        name="bank_account_mapping",
    ),
    path("bank/lines/", bank_statements.bank_lines, name="bank_lines"),
    path("bank/lines/confirm/", bank_statements.bank_lines_confirm, name="bank_lines_confirm"),
    path("bank/lines/<int:pk>/", bank_statements.bank_line_edit, name="bank_line_edit"),
    path("bank/lines/<int:pk>/ignore/", bank_statements.bank_line_ignore, name="bank_line_ignore"),
    path("payment-plans/", payment_plans.payment_plan_list, name="payment_plan_list"),
    path(
        "payment-plans/contracts/<int:pk>/",
        payment_plans.contract_plan,
        name="contract_plan",
    ),
    path("payment-plans/settings/", payment_plans.plan_settings, name="plan_settings"),
    path("settlements/", settlements.settlement_list, name="settlement_list"),
    path("settlements/<int:pk>/", settlements.settlement_detail, name="settlement_detail"),
    path("settlements/<int:pk>/undo/", settlements.settlement_undo, name="settlement_undo"),
    path("bad-debts/", bad_debts.provision, name="provision"),
    path("bad-debts/matrix/", bad_debts.matrix, name="provision_matrix"),
    path("bad-debts/individual/", bad_debts.individual_list, name="individual_list"),
    path("bad-debts/individual/new/", bad_debts.individual_edit, name="individual_create"),
    path("bad-debts/individual/<int:pk>/", bad_debts.individual_edit, name="individual_edit"),
    path("writeoffs/", bad_debts.writeoff_list, name="writeoff_list"),
    path("writeoffs/new/", bad_debts.writeoff_create, name="writeoff_create"),
    path("writeoffs/<int:pk>/", bad_debts.writeoff_detail, name="writeoff_detail"),
    path("writeoffs/<int:pk>/approve/", bad_debts.writeoff_approve, name="writeoff_approve"),
    path("writeoffs/<int:pk>/cancel/", bad_debts.writeoff_cancel, name="writeoff_cancel"),
    path("writeoffs/<int:pk>/recover/", bad_debts.writeoff_recover, name="writeoff_recover"),
    path("statements/", statements.statement_list, name="statement_list"),
    path("statements/new/", statements.statement_new, name="statement_new"),
    path("statements/<int:pk>/", statements.statement_detail, name="statement_detail"),
    path("statements/<int:pk>/pdf/", statements.statement_pdf, name="statement_pdf"),
    path("statements/<int:pk>/xlsx/", statements.statement_xlsx, name="statement_xlsx"),
    path("statements/<int:pk>/send/", statements.statement_send, name="statement_send"),
    path("statements/<int:pk>/mark/", statements.statement_mark, name="statement_mark"),
    path(
        "statements/schedule/<int:customer_id>/",
        statements.statement_schedule,
        name="statement_schedule",
    ),
    # The customer's page: no login, the signed token is the authority.
    path("statements/answer/<str:token>/", statements.statement_answer, name="statement_answer"),
]
