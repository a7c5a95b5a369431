from django.urls import path

from suanpan.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.home, name="home"),
    path("company/", views.company, name="company"),
    path("company/roles/", views.company_role, name="company_role"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<int:pk>/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/active/", views.account_set_active, name="account_set_active"),
    path("accounts/<int:pk>/delete/", views.account_delete, name="account_delete"),
    path("vouchers/", views.voucher_list, name="vouchers"),
    path("vouchers/new/", views.voucher_create, name="voucher_create"),
    path("vouchers/customers/", views.customer_lookup, name="customer_lookup"),
    path("vouchers/<int:pk>/", views.voucher_detail, name="voucher_detail"),
    path("vouchers/<int:pk>/edit/", views.voucher_edit, name="voucher_edit"),
    path("vouchers/<int:pk>/print/", views.voucher_print, name="voucher_print"),
    path(
        "vouchers/<int:pk>/<str:action>/",
        views.voucher_action,
        name="voucher_action",
    ),
    path("periods/", views.period_list, name="periods"),
    path("periods/<str:key>/close/", views.period_close, name="period_close"),
    path("periods/<str:key>/reopen/", views.period_reopen, name="period_reopen"),
]
