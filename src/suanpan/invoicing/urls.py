"""The invoicing pages, all named under `invoicing:`. Each area keeps its own list of patterns."""

from django.urls import path

from suanpan.invoicing.views import (
    history_import,
    invoices,
    mailing,
    platform,
    red_letters,
    requests,
    vat_report,
)

app_name = "invoicing"

invoice_urls = [
    path("invoices/", invoices.invoice_list, name="invoice_list"),
    path("invoices/export/", invoices.invoice_export, name="invoice_export"),
    path("invoices/enter/", invoices.invoice_enter, name="invoice_enter"),
    path("invoices/<int:pk>/", invoices.invoice_detail, name="invoice_detail"),
    path("invoices/<int:pk>/pdf/", invoices.invoice_pdf, name="invoice_pdf"),
    path("vat-report/", vat_report.vat_report, name="vat_report"),
    path("vat-report/export/", vat_report.vat_report_export, name="vat_report_export"),
]

urlpatterns: list = []

request_urls = [
    path("", requests.request_list, name="home"),
    path("requests/new/", requests.request_create, name="request_create"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", requests.request_edit, name="request_edit"),
    path("requests/<int:pk>/approve/", requests.request_approve, name="request_approve"),
    path("requests/<int:pk>/reject/", requests.request_reject, name="request_reject"),
    path("requests/<int:pk>/cancel/", requests.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/issue/", requests.request_issue, name="request_issue"),
]
urlpatterns += request_urls

mailing_urls = [
    path("mailing/", mailing.mailing_list, name="mailing_list"),
    path("mailing/unconfirmed/", mailing.mailing_unconfirmed, name="mailing_unconfirmed"),
    path("mailing/new/", mailing.mailing_create, name="mailing_create"),
    path("mailing/settings/", mailing.mailing_settings, name="mailing_settings"),
    path("mailing/<int:pk>/", mailing.mailing_detail, name="mailing_detail"),
    path("mailing/<int:pk>/edit/", mailing.mailing_edit, name="mailing_edit"),
    path("mailing/<int:pk>/receive/", mailing.mailing_receive, name="mailing_receive"),
    path("mailing/<int:pk>/returned/", mailing.mailing_returned, name="mailing_returned"),
    # The customer's confirmation link: no login, the signed token is the authority.
    path("mailing/confirm/<str:token>/", mailing.mailing_confirm, name="mailing_confirm"),
]
urlpatterns += mailing_urls
urlpatterns += invoice_urls

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

platform_urls = [
    path("platform/", platform.platform_home, name="platform"),
    path("platform/export/", platform.platform_export_view, name="platform_export"),
    path("platform/failures/", platform.platform_failures, name="platform_failures"),
    path(
        "platform/issued/",
        platform.platform_import,
        {"kind": "issued"},
        name="platform_issued",
    ),
    path("platform/xml/", platform.platform_import, {"kind": "xml"}, name="platform_xml"),
    path("platform/batches/", platform.platform_batches, name="platform_batches"),
]
urlpatterns += platform_urls

history_import_urls = [
    path("history-imports/", history_import.history_import_upload, name="history_import_upload"),
    path(
        "history-imports/<int:pk>/",
        history_import.history_import_detail,
        name="history_import_detail",
    ),
    path(
        "history-imports/<int:pk>/commit/",
        history_import.history_import_commit,
        name="history_import_commit",
    ),
]
urlpatterns += history_import_urls
