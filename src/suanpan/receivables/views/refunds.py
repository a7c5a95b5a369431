"""Refund pages (退款单): the list with filters, a new refund (showing what the customer has
open to pay back), one refund with the credits it paid back, its vouchers and history, and
cancelling it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core import listing
from suanpan.core.forms import form_service_submit
from suanpan.core.sorting import sort_headers
from suanpan.receivables import selectors, services
from suanpan.receivables.choices import ReceiptStatus
from suanpan.receivables.errors import SettlementInvalid
from suanpan.receivables.forms.receipts import CancelForm
from suanpan.receivables.forms.refunds import RefundForm
from suanpan.receivables.selectors import refunds as refund_reads
from suanpan.receivables.views._common import nav_context, source_url
from suanpan.receivables.views.receipts import customer_param
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Refund number")),
    ("refunded", gettext_lazy("Refunded on")),
    ("customer", gettext_lazy("Customer")),
    (None, pgettext_lazy("refund", "Method"), "d-none d-sm-table-cell"),
    (None, gettext_lazy("Reason"), "d-none d-sm-table-cell"),
    (None, gettext_lazy("Status")),
    ("amount", gettext_lazy("Amount"), "text-end"),
]
FILTER_KEYS = ("q", "status", "customer", "refunded_from", "refunded_to")


@page_permission("receivables.view_refund")
def refund_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    rows, filterset = selectors.refund_list(user=request.user, filters=request.GET)
    context: dict[str, Any] = {
        "filter": filterset,
        "columns": sort_headers(request, LIST_COLUMNS),
        "filtered": any(request.GET.get(key) for key in FILTER_KEYS),
        "filter_customer": customer_param(request),
        **nav_context("refunds", (_("Refunds"), None)),
        **listing.list_page(request, rows, rows_name="refunds"),
    }
    template = "receivables/refunds/list.html"
    return listing.list_render(request, template, context)


def _refundable(customer: Any) -> Any:
    if customer is None:
        return None
    try:
        return selectors.customer_refundable(customer=customer)
    except SettlementInvalid:
        return None


@page_permission("receivables.add_refund")
def refund_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = RefundForm(data, user=request.user)
    customer = customer_param(request)
    if data is None and customer is not None:
        form.initial["customer"] = customer.pk
        form.initial["amount"] = _refundable(customer) or None
    done = form_service_submit(
        request,
        form,
        lambda: services.refund_create(data=form.refund_input(), actor=request.user),
        message=lambda refund: _("Refund %(number)s recorded.") % {"number": refund.number},
        done=lambda refund: redirect("receivables:refund_detail", pk=refund.pk),
    )
    if done is not None:
        return done
    if data is not None and form.is_valid():
        customer = form.cleaned_data["customer"]
    return render(
        request,
        "receivables/refunds/form.html",
        {
            "form": form,
            "refund_customer": customer,
            "refundable": _refundable(customer),
            **nav_context(
                "refunds",
                (_("Refunds"), reverse("receivables:refund_list")),
                (_("New refund"), None),
            ),
        },
    )


@page_permission("receivables.view_refund")
def refund_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    refund = selectors.refund_get(user=request.user, pk=pk)
    return render(request, "receivables/refunds/detail.html", _detail_context(refund))


def _detail_context(refund: Any, cancel_form: CancelForm | None = None) -> dict[str, Any]:
    paid_back = [
        {"line": line, "url": source_url(line.credit_source_type, line.credit_source_id)}
        for line in refund_reads.refund_lines(refund)
    ]
    return {
        "refund": refund,
        "paid_back": paid_back,
        "vouchers": refund_reads.refund_vouchers(refund=refund),
        "history": refund_reads.refund_history(refund=refund),
        "cancel_form": cancel_form or CancelForm(),
        "posted": refund.status == ReceiptStatus.POSTED,
        **nav_context(
            "refunds",
            (_("Refunds"), reverse("receivables:refund_list")),
            (refund.number, None),
        ),
    }


@require_POST
@page_permission("receivables.view_refund")
def refund_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Cancel with a reason: the credits it paid back are open again, its voucher reversed in
    red. The detail page asks before it posts here. Someone else's refund answers 404 first."""
    refund = selectors.refund_get(user=request.user, pk=pk)
    if not request.user.has_perm("receivables.cancel_refund"):
        raise PermissionDenied
    form = CancelForm(request.POST)
    done = form_service_submit(
        request,
        form,
        lambda: services.refund_cancel(
            refund=refund,
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data.get("cancelled_on") or None,
            actor=request.user,
        ),
        message=lambda saved: _("Refund %(number)s cancelled.") % {"number": saved.number},
        done=lambda saved: redirect("receivables:refund_detail", pk=saved.pk),
    )
    if done is not None:
        return done
    return render(request, "receivables/refunds/detail.html", _detail_context(refund, form))
