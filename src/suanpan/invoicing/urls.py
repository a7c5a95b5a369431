"""The invoicing pages, all named under `invoicing:`. Each area keeps its own list of patterns."""

from django.urls import path

from suanpan.invoicing.views import red_letters

app_name = "invoicing"

urlpatterns: list = []

red_letter_urls = [
    path("red-letters/", red_letters.red_form_list_page, name="red_form_list"),
    path("red-letters/new/", red_letters.red_form_create_page, name="red_form_create"),
    path("red-letters/<int:pk>/", red_letters.red_form_detail, name="red_form_detail"),
    path("red-letters/<int:pk>/confirm/", red_letters.red_form_confirm, name="red_form_confirm"),
    path("red-letters/<int:pk>/deny/", red_letters.red_form_deny, name="red_form_deny"),
    path("red-letters/<int:pk>/withdraw/", red_letters.red_form_withdraw, name="red_form_withdraw"),
    path("red-letters/<int:pk>/cancel/", red_letters.red_form_cancel, name="red_form_cancel"),
    path("red-letters/<int:pk>/issue/", red_letters.red_invoice_issue, name="red_invoice_issue"),
    path("invoices/<int:pk>/void/", red_letters.invoice_void, name="invoice_void"),
    path("invoices/<int:pk>/deducted/", red_letters.invoice_deducted, name="invoice_deducted"),
]
urlpatterns += red_letter_urls
