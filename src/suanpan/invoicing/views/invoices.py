"""Invoice pages: the list (filters, xlsx export), one invoice with its lines, postings and
history, its PDF, and an invoice issued elsewhere entered by hand.

The list grows without bound (every invoice of every year): its first page reads the index
(-issued_on, -id) and stops after a page, and the count stops at 1,000 (`core.listing.list_page`).
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.core import listing
from suanpan.core.capitals import amount_in_capitals
from suanpan.core.forms import form_service_submit
from suanpan.core.sorting import sort_headers
from suanpan.core.transfer_pages import stamped, xlsx_response
from suanpan.customers.selectors import customer_by_id, customer_is_visible
from suanpan.invoicing.choices import InvoiceKind
from suanpan.invoicing.forms.invoices import (
    ManualInvoiceForm,
    ManualLineFormSet,
    line_errors_place,
    manual_input,
)
from suanpan.invoicing.models import Invoice
from suanpan.invoicing.selectors import invoices as selectors
from suanpan.invoicing.services.invoice_pdf import invoice_pdf_render, invoice_title
from suanpan.invoicing.services.manual import invoice_enter as invoice_enter_service
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Invoice number")),
    ("issued", gettext_lazy("Issue date"), "d-none d-sm-table-cell"),
    ("buyer", gettext_lazy("Buyer")),
    (None, gettext_lazy("Invoice type"), "d-none d-sm-table-cell"),
    ("status", gettext_lazy("Status")),
    ("amount", gettext_lazy("Amount including tax"), "text-end"),
]
FILTER_KEYS = (
    "q",
    "kind",
    "status",
    "invoice_type",
    "customer",
    "issued_from",
    "issued_to",
    "posted",
)
EXPORT_HEADER = [
    gettext_lazy("Invoice code"),
    gettext_lazy("Invoice number"),
    gettext_lazy("Issue date"),
    gettext_lazy("Kind"),
    gettext_lazy("Invoice type"),
    gettext_lazy("Status"),
    gettext_lazy("Customer"),
    gettext_lazy("Buyer name"),
    gettext_lazy("Buyer taxpayer number"),
    gettext_lazy("Amount excluding tax"),
    gettext_lazy("Tax"),
    gettext_lazy("Amount including tax"),
    gettext_lazy("Posted"),
    gettext_lazy("Original invoice"),
    gettext_lazy("Recorded from"),
    gettext_lazy("Remarks"),
]


def nav_context(subnav: str, *crumbs: tuple[str, str | None]) -> dict[str, Any]:
    return {
        "subnav": subnav,
        "breadcrumbs": [(_("Invoices"), reverse("invoicing:invoice_list")), *crumbs],
    }


@page_permission("invoicing.view_invoice")
def invoice_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.invoice_list(user=request.user, filters=request.GET)
    customer_id = request.GET.get("customer", "")
    customer = (
        customer_by_id(int(customer_id))
        if customer_id.isdigit()
        and customer_is_visible(user=request.user, customer_id=int(customer_id))
        else None
    )
    context: dict[str, Any] = {
        "filter": filterset,
        "columns": sort_headers(request, LIST_COLUMNS),
        "filtered": any(request.GET.get(key) for key in FILTER_KEYS),
        "filter_customer": customer,
        "export_query": listing.querystring(request),
        **nav_context("invoices"),
        **listing.list_page(request, queryset, rows_name="invoices"),
    }
    context["breadcrumbs"] = [(_("Invoices"), None)]
    template = "invoicing/invoices/list.html"
    return listing.list_render(request, template, context)


def _export_rows(queryset: Any) -> Any:
    for invoice in queryset.iterator(chunk_size=2000):
        yield [
            invoice.code,
            # Text, never a number: 20 digits would lose their last digits and leading zeros.
            invoice.number,
            invoice.issued_on,
            invoice.get_kind_display(),
            invoice.get_invoice_type_display(),
            invoice.get_status_display(),
            invoice.customer.name,
            invoice.buyer_name,
            invoice.buyer_tax_number,
            invoice.net_amount,
            invoice.tax_amount,
            invoice.gross_amount,
            _("Yes") if invoice.posted else _("No"),
            str(invoice.original) if invoice.original_id else "",
            invoice.get_source_display(),
            invoice.remarks,
        ]


@page_permission("invoicing.view_invoice")
def invoice_export(request: AuthenticatedHttpRequest) -> FileResponse:
    """The invoices as on the list (same filters and sort) as xlsx, every row."""
    queryset, _filterset = selectors.invoice_list(user=request.user, filters=request.GET)
    return xlsx_response(
        filename=stamped("invoices"),
        title=_("Invoices"),
        header=[str(h) for h in EXPORT_HEADER],
        rows=_export_rows(queryset),
    )


def _detail_context(invoice: Invoice) -> dict[str, Any]:
    request = invoice.request
    return {
        "invoice": invoice,
        "title": invoice_title(invoice),
        "lines": selectors.invoice_lines(invoice=invoice),
        "capitals": amount_in_capitals(invoice.gross_amount),
        "order": request.order if request is not None else None,
        "red_invoices": list(invoice.red_invoices.all()),
        "is_red": invoice.kind == InvoiceKind.RED,
        "vouchers": selectors.invoice_vouchers(invoice=invoice),
        "differences": [line for line in invoice.differences.splitlines() if line.strip()],
        "history": selectors.invoice_history(invoice=invoice),
        **nav_context("invoices", (str(invoice), None)),
    }


@page_permission("invoicing.view_invoice")
def invoice_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invoice = selectors.invoice_get(user=request.user, pk=pk)
    return render(request, "invoicing/invoices/detail.html", _detail_context(invoice))


@page_permission("invoicing.view_invoice")
def invoice_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invoice = selectors.invoice_get(user=request.user, pk=pk)
    content = invoice_pdf_render(invoice=invoice, lines=selectors.invoice_lines(invoice=invoice))
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{invoice}.pdf"'
    return response


@page_permission("invoicing.issue_invoice")
def invoice_enter(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ManualInvoiceForm(data, user=request.user)
    customer_id = request.GET.get("customer", "")
    if data is None and customer_id.isdigit():
        form.initial["customer"] = int(customer_id)
    lines = ManualLineFormSet(data, prefix="lines")
    done = form_service_submit(
        request,
        form,
        lambda: invoice_enter_service(data=manual_input(form, lines), actor=request.user),
        # Both the form and its line rows must be valid (each validated, so each shows errors).
        valid=(form.is_valid() & lines.is_valid()) if data is not None else False,
        on_error=lambda exc: line_errors_place(form, lines, exc),
        message=lambda invoice: _("Invoice %(number)s recorded and posted.") % {"number": invoice},
        done=lambda invoice: redirect("invoicing:invoice_detail", pk=invoice.pk),
    )
    if done is not None:
        return done
    return render(
        request,
        "invoicing/invoices/enter.html",
        {
            "form": form,
            "lines": lines,
            **nav_context("enter", (_("Enter an invoice issued elsewhere"), None)),
        },
    )
