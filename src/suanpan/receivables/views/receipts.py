"""Receipt pages (收款单): the list with filters and its xlsx export, a new receipt (with the
customer's open invoices to settle at once, loaded when the customer is chosen), one receipt
with what it settled, what is still open, its vouchers and history, and cancelling it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core import listing
from suanpan.core.forms import form_service_submit
from suanpan.core.sorting import sort_headers
from suanpan.core.transfer_pages import stamped, xlsx_response
from suanpan.customers.selectors import customer_by_id, customer_is_visible
from suanpan.receivables import selectors, services
from suanpan.receivables.choices import ReceiptMethod, ReceiptStatus
from suanpan.receivables.forms.receipts import CancelForm, ReceiptForm
from suanpan.receivables.selectors import pages
from suanpan.receivables.selectors.receipts import receipt_lines
from suanpan.receivables.views._common import nav_context, open_invoices_context, source_url
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Receipt number")),
    ("received", pgettext_lazy("receipt", "Received on")),
    ("customer", gettext_lazy("Customer")),
    ("method", gettext_lazy("Method"), "d-none d-sm-table-cell"),
    (None, gettext_lazy("Bank account"), "d-none d-sm-table-cell"),
    (None, gettext_lazy("Reference"), "d-none d-sm-table-cell"),
    (None, gettext_lazy("Status")),
    ("amount", gettext_lazy("Amount"), "text-end"),
]
FILTER_KEYS = ("q", "status", "method", "customer", "received_from", "received_to")


def customer_param(request: AuthenticatedHttpRequest) -> Any:
    """The customer `?customer=` names, when the user sees it; else None."""
    raw = request.GET.get("customer", "")
    if (
        raw.isdigit()
        and len(raw) < 12
        and customer_is_visible(user=request.user, customer_id=int(raw))
    ):
        return customer_by_id(int(raw))
    return None


@page_permission("receivables.view_receipt")
def receipt_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    rows, filterset = selectors.receipt_list(user=request.user, filters=request.GET)
    if request.GET.get("format") == "xlsx":
        return _export(rows)
    params = request.GET.copy()
    params.pop("page", None)
    params["format"] = "xlsx"
    context: dict[str, Any] = {
        "filter": filterset,
        "columns": sort_headers(request, LIST_COLUMNS),
        "filtered": any(request.GET.get(key) for key in FILTER_KEYS),
        "filter_customer": customer_param(request),
        "export_query": params.urlencode(),
        **nav_context("receipts"),
        **listing.list_page(request, rows, rows_name="receipts"),
    }
    context["breadcrumbs"] = [
        (_("Receivables"), reverse("receivables:home")),
        (_("Receipts"), None),
    ]
    template = "receivables/receipts/list.html"
    return listing.list_render(request, template, context)


def _export_rows(rows: Any) -> Iterator[Sequence[Any]]:
    for row in rows.iterator(chunk_size=1000):
        yield (
            row.number,
            row.received_on,
            row.customer.number,
            row.customer.name,
            row.amount,
            row.get_method_display(),
            str(row.bank_account) if row.bank_account else "",
            row.bill_number,
            row.bill_matures_on,
            row.payer_name,
            row.payer_account,
            row.reference,
            row.get_status_display(),
            row.cancelled_on,
            row.notes,
        )


def _export(rows: Any) -> HttpResponseBase:
    header = [
        _("Receipt number"),
        pgettext("receipt", "Received on"),
        _("Customer number"),
        _("Customer"),
        _("Amount"),
        _("Method"),
        _("Bank account"),
        _("Bill number"),
        _("Bill maturity"),
        _("Payer name"),
        _("Payer account"),
        _("Reference"),
        _("Status"),
        _("Cancelled on"),
        _("Notes"),
    ]
    return xlsx_response(
        filename=stamped("receipts"),
        title=_("Receipts"),
        header=header,
        rows=_export_rows(rows),
    )


@page_permission("receivables.add_receipt")
def receipt_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ReceiptForm(data, user=request.user)
    customer = None
    if data is None:
        customer = customer_param(request)
        if customer is not None:
            form.initial["customer"] = customer.pk
    elif form.is_valid():
        customer = form.cleaned_data["customer"]
    done = form_service_submit(
        request,
        form,
        lambda: services.receipt_create(data=form.receipt_input(), actor=request.user),
        message=lambda receipt: _("Receipt %(number)s recorded.") % {"number": receipt.number},
        done=lambda receipt: redirect("receivables:receipt_detail", pk=receipt.pk),
    )
    if done is not None:
        return done
    if customer is None and data is not None:
        raw = str(data.get("customer", ""))
        customer = (
            customer_by_id(int(raw))
            if raw.isdigit()
            and len(raw) < 12
            and customer_is_visible(user=request.user, customer_id=int(raw))
            else None
        )
    return render(
        request,
        "receivables/receipts/form.html",
        {
            "form": form,
            "bill_method": ReceiptMethod.ACCEPTANCE_BILL,
            **open_invoices_context(customer, form.allocations_typed() if data is not None else {}),
            **nav_context("receipt_create", (_("New receipt"), None)),
        },
    )


@page_permission("receivables.add_receipt")
def receipt_open_invoices(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The fragment of the customer's open invoices, loaded when the customer is chosen."""
    return render(
        request,
        "receivables/receipts/open_invoices.html",
        open_invoices_context(customer_param(request), {}),
    )


@page_permission("receivables.view_receipt")
def receipt_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    receipt = selectors.receipt_get(user=request.user, pk=pk)
    return render(request, "receivables/receipts/detail.html", _detail_context(receipt))


def _detail_context(receipt: Any, cancel_form: CancelForm | None = None) -> dict[str, Any]:
    settled = [
        {"line": line, "url": source_url(line.debit_source_type, line.debit_source_id)}
        for line in receipt_lines(receipt)
    ]
    return {
        "receipt": receipt,
        "settled": settled,
        "still_open": selectors.receipt_open(receipt)["open"],
        "vouchers": pages.receipt_vouchers(receipt=receipt),
        "history": pages.receipt_history(receipt=receipt),
        "cancel_form": cancel_form or CancelForm(),
        "posted": receipt.status == ReceiptStatus.POSTED,
        **nav_context(
            "receipts",
            (_("Receipts"), reverse("receivables:receipt_list")),
            (receipt.number, None),
        ),
    }


@require_POST
@page_permission("receivables.view_receipt")
def receipt_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Cancel with a reason: what the receipt settled is undone, its voucher reversed in red.
    The detail page asks before it posts here. Someone else's receipt answers 404 first."""
    receipt = selectors.receipt_get(user=request.user, pk=pk)
    if not request.user.has_perm("receivables.cancel_receipt"):
        raise PermissionDenied
    form = CancelForm(request.POST)
    done = form_service_submit(
        request,
        form,
        lambda: services.receipt_cancel(
            receipt=receipt,
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data.get("cancelled_on") or None,
            actor=request.user,
        ),
        message=lambda saved: _("Receipt %(number)s cancelled.") % {"number": saved.number},
        done=lambda saved: redirect("receivables:receipt_detail", pk=saved.pk),
    )
    if done is not None:
        return done
    return render(request, "receivables/receipts/detail.html", _detail_context(receipt, form))
