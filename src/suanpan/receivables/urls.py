"""The receivables pages, all named under `receivables:`."""

from django.urls import path

from suanpan.receivables.views import (
    ageing,
    bank_statements,
    dunning,
    home,
    receipts,
    settlements,
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
    path("ageing/", ageing.ageing, name="ageing"),
    path("settle/", settlements.settle, name="settle"),
    path("bank/import/", bank_statements.statement_import, name="statement_import"),
    path("bank/lines/", bank_statements.bank_lines, name="bank_lines"),
    path("bank/lines/confirm/", bank_statements.bank_lines_confirm, name="bank_lines_confirm"),
    path("bank/lines/<int:pk>/ignore/", bank_statements.bank_line_ignore, name="bank_line_ignore"),
    path("settlements/", settlements.settlement_list, name="settlement_list"),
    path("settlements/<int:pk>/", settlements.settlement_detail, name="settlement_detail"),
    path("settlements/<int:pk>/undo/", settlements.settlement_undo, name="settlement_undo"),
    path("dunning/", dunning.dunning, name="dunning"),
    path("dunning/levels/", dunning.level_list, name="dunning_levels"),
    path("dunning/levels/new/", dunning.level_create, name="dunning_level_create"),
    path("dunning/levels/<int:pk>/", dunning.level_edit, name="dunning_level_edit"),
    path("dunning/letters/", dunning.letter_list, name="dunning_letters"),
    path("dunning/letters/<int:pk>/", dunning.letter_detail, name="dunning_letter"),
    path("dunning/promises/", dunning.promise_list, name="dunning_promises"),
    path("dunning/promises/<int:pk>/mark/", dunning.promise_mark, name="dunning_promise_mark"),
    path("dunning/tasks/", dunning.task_list, name="dunning_tasks"),
    path("dunning/tasks/<int:pk>/done/", dunning.task_done, name="dunning_task_done"),
    path(
        "dunning/customers/<int:pk>/promise/",
        dunning.customer_promise_add,
        name="dunning_customer_promise",
    ),
    path(
        "dunning/customers/<int:pk>/settings/",
        dunning.customer_profile,
        name="dunning_customer_settings",
    ),
    path(
        "dunning/customers/<int:pk>/release/",
        dunning.customer_release,
        name="dunning_customer_release",
    ),
]
