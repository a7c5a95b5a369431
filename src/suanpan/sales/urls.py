"""The sales app's pages, all under `sales:`, one URL list per document."""

from django.urls import path

from suanpan.sales.views import contracts, lines, opportunities, opportunity_imports, orders, quotes

app_name = "sales"

_lines = [
    path("lines/preview/", lines.lines_preview, name="lines_preview"),
]

_opportunities = [
    path("", opportunities.opportunity_board, name="home"),
    path("pipeline/", opportunities.opportunity_board, name="opportunity_board"),
    path("pipeline/forecast/", opportunities.pipeline_forecast, name="pipeline_forecast"),
    path("opportunities/", opportunities.opportunity_list, name="opportunity_list"),
    path("opportunities/new/", opportunities.opportunity_create, name="opportunity_create"),
    path(
        "opportunities/import/",
        opportunity_imports.opportunity_import,
        name="opportunity_import",
    ),
    path("opportunities/<int:pk>/", opportunities.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", opportunities.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/move/", opportunities.opportunity_move, name="opportunity_move"),
    path(
        "opportunities/<int:pk>/delete/",
        opportunities.opportunity_delete,
        name="opportunity_delete",
    ),
    path("stages/", opportunities.stage_list, name="stage_list"),
    path("stages/new/", opportunities.stage_create, name="stage_create"),
    path("stages/<int:pk>/edit/", opportunities.stage_edit, name="stage_edit"),
    path("stages/<int:pk>/move/", opportunities.stage_move, name="stage_move"),
    path("stages/<int:pk>/toggle/", opportunities.stage_toggle, name="stage_toggle"),
    path("stages/<int:pk>/delete/", opportunities.stage_delete, name="stage_delete"),
]

_orders = [
    path("orders/", orders.order_list, name="order_list"),
    path("orders/new/", orders.order_create, name="order_create"),
    path("orders/<int:pk>/", orders.order_detail, name="order_detail"),
    path("orders/<int:pk>/edit/", orders.order_edit, name="order_edit"),
    path("orders/<int:pk>/confirm/", orders.order_confirm, name="order_confirm"),
    path("orders/<int:pk>/pick/", orders.order_pick, name="order_pick"),
    path("orders/<int:pk>/complete/", orders.order_complete, name="order_complete"),
    path("orders/<int:pk>/cancel/", orders.order_cancel, name="order_cancel"),
    path("orders/<int:pk>/notes/", orders.order_note_add, name="order_note_add"),
    path("quotes/<int:pk>/order/", orders.order_create_from_quote, name="order_create_from_quote"),
    path(
        "contracts/<int:pk>/order/",
        orders.order_create_from_contract,
        name="order_create_from_contract",
    ),
]

_quotes = [
    path("quotes/", quotes.quote_list, name="quote_list"),
    path("quotes/new/", quotes.quote_create, name="quote_create"),
    path("quotes/<int:pk>/", quotes.quote_detail, name="quote_detail"),
    path("quotes/<int:pk>/edit/", quotes.quote_edit, name="quote_edit"),
    path("quotes/<int:pk>/pdf/", quotes.quote_pdf, name="quote_pdf"),
    path("quotes/<int:pk>/contract/", quotes.quote_convert_contract, name="quote_convert_contract"),
    path(
        "quotes/<int:pk>/<slug:action>/",
        quotes.quote_action,
        name="quote_action",
    ),
]

_contracts = [
    path("contracts/", contracts.contract_list, name="contract_list"),
    path("contracts/new/", contracts.contract_create, name="contract_create"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", contracts.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/plan/", contracts.contract_plan, name="contract_plan"),
    path(
        "contracts/<int:pk>/attachments/",
        contracts.attachment_upload,
        name="contract_attachment_upload",
    ),
    path(
        "contracts/<int:pk>/attachments/<int:attachment_pk>/",
        contracts.attachment_download,
        name="contract_attachment_download",
    ),
    path(
        "contracts/<int:pk>/attachments/<int:attachment_pk>/delete/",
        contracts.attachment_delete,
        name="contract_attachment_delete",
    ),
    path("contracts/<int:pk>/<slug:action>/", contracts.contract_action, name="contract_action"),
]

# Order matters: `quotes/<pk>/order/` (orders) comes before `quotes/<pk>/<action>/` (quotes).
urlpatterns = _lines + _opportunities + _orders + _quotes + _contracts
