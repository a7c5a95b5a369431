from django.urls import path

from suanpan.ledger import views_reports as views

app_name = "ledger_reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("trial-balance/", views.trial_balance, name="trial_balance"),
    path("vouchers/", views.drilldown, name="drilldown"),
    path("general-ledger/", views.general_ledger, name="general_ledger"),
    path("account-detail/", views.account_detail, name="account_detail"),
    path("customer-balances/", views.customer_balances, name="customer_balances"),
    path("open-items/", views.open_items, name="open_items"),
    path("open-items/<int:pk>/", views.item_history, name="item_history"),
    path("ageing/", views.ageing, name="ageing"),
]
