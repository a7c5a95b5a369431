"""Goods receipt pages: list, create and edit with a line grid, detail, post and cancel."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from suanpan.core.errors import DomainError
from suanpan.core.forms import form_add_domain_error
from suanpan.core.pagination import paginate
from suanpan.core.sorting import sort_headers
from suanpan.inventory.choices import ReceiptStatus
from suanpan.inventory.forms.lines import (
    LINE_PREFIX,
    BaseStockLineFormSet,
    ReceiptLineFormSet,
    line_errors_place,
    line_initial,
)
from suanpan.inventory.forms.receipts import GoodsReceiptForm
from suanpan.inventory.models import GoodsReceipt
from suanpan.inventory.selectors import receipts as selectors
from suanpan.inventory.services import receipts as services
from suanpan.inventory.services.receipts import ReceiptLineInput
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Number")),
    ("date", gettext_lazy("Receipt date")),
    ("supplier", gettext_lazy("Supplier")),
    ("warehouse", gettext_lazy("Warehouse")),
    ("status", gettext_lazy("Status")),
    ("total", gettext_lazy("Total cost")),
]


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Goods receipts"), reverse("inventory:receipt_list")), *items]


def _detail_crumbs(receipt: GoodsReceipt, *items: tuple[str, str | None]) -> list[Any]:
    return _crumbs((receipt.number, reverse("inventory:receipt_detail", args=[receipt.pk])), *items)


@login_required
@permission_required("inventory.view_goodsreceipt", raise_exception=True)
def receipt_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.receipt_list(user=request.user, filters=request.GET)
    context: dict[str, Any] = {
        "filter": filterset,
        "columns": sort_headers(request, LIST_COLUMNS),
        "breadcrumbs": _crumbs(),
        "subnav": "receipts",
        "filtered": any(
            request.GET.get(n) for n in ("q", "warehouse", "status", "date_from", "date_to")
        ),
        **paginate(request, queryset),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "inventory/receipts/receipt_list.html#results", context)
    return render(request, "inventory/receipts/receipt_list.html", context)


@login_required
@permission_required("inventory.view_goodsreceipt", raise_exception=True)
def receipt_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    receipt = selectors.receipt_get(user=request.user, pk=pk)
    return render(
        request,
        "inventory/receipts/receipt_detail.html",
        {
            "receipt": receipt,
            "lines": receipt.lines.all(),
            "vouchers": selectors.receipt_vouchers(receipt=receipt),
            "breadcrumbs": _crumbs((receipt.number, None)),
            "subnav": "receipts",
        },
    )


def _line_inputs(formset: BaseStockLineFormSet) -> list[ReceiptLineInput]:
    return [
        ReceiptLineInput(
            product=product,
            quantity=quantity,
            unit_cost=unit_cost if unit_cost is not None else Decimal(0),
        )
        for product, quantity, unit_cost in formset.line_values()
    ]


def _errors_show(form: GoodsReceiptForm, formset: BaseStockLineFormSet, exc: DomainError) -> None:
    if not line_errors_place(formset, exc.fields):
        form_add_domain_error(form, exc)
    elif any(not key.startswith("lines.") for key in exc.fields):
        header = DomainError(
            fields={k: v for k, v in exc.fields.items() if not k.startswith("lines.")}
        )
        form_add_domain_error(form, header)


def _form_page(request: AuthenticatedHttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(
        request, "inventory/receipts/receipt_form.html", {"subnav": "receipts", **context}
    )


@login_required
@permission_required("inventory.add_goodsreceipt", raise_exception=True)
def receipt_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = GoodsReceiptForm(request.POST or None, initial={"received_on": timezone.localdate()})
    formset = ReceiptLineFormSet(request.POST or None, prefix=LINE_PREFIX)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            receipt = services.receipt_create(
                actor=request.user, data=form.cleaned_data, lines=_line_inputs(formset)
            )
        except DomainError as exc:
            _errors_show(form, formset, exc)
        else:
            messages.success(
                request,
                _("Goods receipt %(number)s saved as a draft.") % {"number": receipt.number},
            )
            return redirect("inventory:receipt_detail", pk=receipt.pk)
    return _form_page(
        request,
        {"form": form, "formset": formset, "breadcrumbs": _crumbs((_("New goods receipt"), None))},
    )


@login_required
@permission_required("inventory.change_goodsreceipt", raise_exception=True)
def receipt_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    receipt = selectors.receipt_get(user=request.user, pk=pk)
    if receipt.status != ReceiptStatus.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("inventory:receipt_detail", pk=receipt.pk)
    form = GoodsReceiptForm(request.POST or None, instance=receipt)
    formset = ReceiptLineFormSet(
        request.POST or None, prefix=LINE_PREFIX, initial=line_initial(receipt.lines.all())
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.receipt_update(
                actor=request.user,
                receipt=receipt,
                data=form.cleaned_data,
                lines=_line_inputs(formset),
            )
        except DomainError as exc:
            _errors_show(form, formset, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("inventory:receipt_detail", pk=receipt.pk)
    return _form_page(
        request,
        {
            "form": form,
            "formset": formset,
            "receipt": receipt,
            "breadcrumbs": _detail_crumbs(receipt, (_("Edit"), None)),
        },
    )


def _action(request: AuthenticatedHttpRequest, pk: int, *, action: str) -> HttpResponse:
    """GET asks for confirmation, saying what will happen; POST does it."""
    receipt = selectors.receipt_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            if action == "post":
                services.receipt_post(actor=request.user, receipt=receipt)
                messages.success(
                    request,
                    _("%(number)s posted: the goods are in stock and booked.")
                    % {"number": receipt.number},
                )
            else:
                services.receipt_cancel(actor=request.user, receipt=receipt)
                messages.success(request, _("%(number)s cancelled.") % {"number": receipt.number})
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("inventory:receipt_detail", pk=receipt.pk)
    allowed = (
        [ReceiptStatus.DRAFT] if action == "post" else [ReceiptStatus.DRAFT, ReceiptStatus.POSTED]
    )
    if receipt.status not in allowed:
        messages.error(
            request,
            _("%(number)s is %(status)s; this cannot be done now.")
            % {"number": receipt.number, "status": receipt.get_status_display()},
        )
        return redirect("inventory:receipt_detail", pk=receipt.pk)
    if action == "post":
        title = _("Post goods receipt %(number)s?") % {"number": receipt.number}
        explanation = _(
            "The goods come into stock in %(warehouse)s at their line costs, and %(total)s is "
            "booked to inventory against accounts payable. A posted receipt can only be "
            "cancelled while its goods are still on hand."
        ) % {"warehouse": receipt.warehouse.name, "total": f"{receipt.total_amount:,.2f}"}
        button = pgettext("stock document", "Post")
    elif receipt.status == ReceiptStatus.POSTED:
        title = _("Cancel posted goods receipt %(number)s?") % {"number": receipt.number}
        explanation = _(
            "The goods go out of stock again at today's moving-average cost and a red voucher "
            "reverses the booking; any difference from the receipt cost goes to stock gains "
            "and losses pending. This is refused if the goods are no longer on hand."
        )
        button = _("Cancel receipt")
    else:
        title = _("Cancel draft goods receipt %(number)s?") % {"number": receipt.number}
        explanation = _("The draft is kept, marked cancelled; nothing was in stock or booked.")
        button = _("Cancel receipt")
    return render(
        request,
        "inventory/stock/confirm.html",
        {
            "title": title,
            "explanation": explanation,
            "button": button,
            "danger": action == "cancel",
            "back_url": reverse("inventory:receipt_detail", args=[receipt.pk]),
            "breadcrumbs": _detail_crumbs(receipt, (button, None)),
            "subnav": "receipts",
        },
    )


@login_required
@permission_required("inventory.change_goodsreceipt", raise_exception=True)
def receipt_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, action="post")


@login_required
@permission_required("inventory.change_goodsreceipt", raise_exception=True)
def receipt_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, action="cancel")
