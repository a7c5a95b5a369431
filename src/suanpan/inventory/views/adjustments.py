"""Stock adjustment pages: list, create and edit with a line grid, detail, post and cancel."""

from __future__ import annotations

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
from suanpan.inventory.forms.adjustments import StockAdjustmentForm
from suanpan.inventory.forms.lines import (
    LINE_PREFIX,
    AdjustmentLineFormSet,
    BaseStockLineFormSet,
    line_errors_place,
    line_initial,
)
from suanpan.inventory.models import StockAdjustment
from suanpan.inventory.selectors import adjustments as selectors
from suanpan.inventory.services import adjustments as services
from suanpan.inventory.services.adjustments import AdjustmentLineInput
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Number")),
    ("date", gettext_lazy("Date")),
    ("warehouse", gettext_lazy("Warehouse")),
    (None, gettext_lazy("Reason")),
    (None, gettext_lazy("Lines")),
    ("status", gettext_lazy("Status")),
]


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Stock adjustments"), reverse("inventory:adjustment_list")), *items]


def _detail_crumbs(adjustment: StockAdjustment, *items: tuple[str, str | None]) -> list[Any]:
    return _crumbs(
        (adjustment.number, reverse("inventory:adjustment_detail", args=[adjustment.pk])), *items
    )


@login_required
@permission_required("inventory.view_stockadjustment", raise_exception=True)
def adjustment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.adjustment_list(user=request.user, filters=request.GET)
    context: dict[str, Any] = {
        "filter": filterset,
        "columns": sort_headers(request, LIST_COLUMNS),
        "breadcrumbs": _crumbs(),
        "subnav": "adjustments",
        "filtered": any(
            request.GET.get(n) for n in ("q", "warehouse", "status", "date_from", "date_to")
        ),
        **paginate(request, queryset),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "inventory/adjustments/adjustment_list.html#results", context)
    return render(request, "inventory/adjustments/adjustment_list.html", context)


@login_required
@permission_required("inventory.view_stockadjustment", raise_exception=True)
def adjustment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    adjustment = selectors.adjustment_get(user=request.user, pk=pk)
    return render(
        request,
        "inventory/adjustments/adjustment_detail.html",
        {
            "adjustment": adjustment,
            "lines": adjustment.lines.all(),
            "vouchers": selectors.adjustment_vouchers(adjustment=adjustment),
            "breadcrumbs": _crumbs((adjustment.number, None)),
            "subnav": "adjustments",
        },
    )


def _line_inputs(formset: BaseStockLineFormSet) -> list[AdjustmentLineInput]:
    return [
        AdjustmentLineInput(product=product, quantity=quantity, unit_cost=unit_cost)
        for product, quantity, unit_cost in formset.line_values()
    ]


def _errors_show(
    form: StockAdjustmentForm, formset: BaseStockLineFormSet, exc: DomainError
) -> None:
    if not line_errors_place(formset, exc.fields):
        form_add_domain_error(form, exc)
    elif any(not key.startswith("lines.") for key in exc.fields):
        header = DomainError(
            fields={k: v for k, v in exc.fields.items() if not k.startswith("lines.")}
        )
        form_add_domain_error(form, header)


def _form_page(request: AuthenticatedHttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(
        request, "inventory/adjustments/adjustment_form.html", {"subnav": "adjustments", **context}
    )


@login_required
@permission_required("inventory.add_stockadjustment", raise_exception=True)
def adjustment_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StockAdjustmentForm(request.POST or None, initial={"adjusted_on": timezone.localdate()})
    formset = AdjustmentLineFormSet(request.POST or None, prefix=LINE_PREFIX)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            adjustment = services.adjustment_create(
                actor=request.user, data=form.cleaned_data, lines=_line_inputs(formset)
            )
        except DomainError as exc:
            _errors_show(form, formset, exc)
        else:
            messages.success(
                request,
                _("Stock adjustment %(number)s saved as a draft.") % {"number": adjustment.number},
            )
            return redirect("inventory:adjustment_detail", pk=adjustment.pk)
    return _form_page(
        request,
        {
            "form": form,
            "formset": formset,
            "breadcrumbs": _crumbs((_("New stock adjustment"), None)),
        },
    )


@login_required
@permission_required("inventory.change_stockadjustment", raise_exception=True)
def adjustment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    adjustment = selectors.adjustment_get(user=request.user, pk=pk)
    if adjustment.status != ReceiptStatus.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("inventory:adjustment_detail", pk=adjustment.pk)
    form = StockAdjustmentForm(request.POST or None, instance=adjustment)
    formset = AdjustmentLineFormSet(
        request.POST or None, prefix=LINE_PREFIX, initial=line_initial(adjustment.lines.all())
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.adjustment_update(
                actor=request.user,
                adjustment=adjustment,
                data=form.cleaned_data,
                lines=_line_inputs(formset),
            )
        except DomainError as exc:
            _errors_show(form, formset, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("inventory:adjustment_detail", pk=adjustment.pk)
    return _form_page(
        request,
        {
            "form": form,
            "formset": formset,
            "adjustment": adjustment,
            "breadcrumbs": _detail_crumbs(adjustment, (_("Edit"), None)),
        },
    )


def _action(request: AuthenticatedHttpRequest, pk: int, *, action: str) -> HttpResponse:
    """GET asks for confirmation, saying what will happen; POST does it."""
    adjustment = selectors.adjustment_get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            if action == "post":
                services.adjustment_post(actor=request.user, adjustment=adjustment)
                messages.success(
                    request,
                    _("%(number)s posted: stock adjusted and booked.")
                    % {"number": adjustment.number},
                )
            else:
                services.adjustment_cancel(actor=request.user, adjustment=adjustment)
                messages.success(
                    request, _("%(number)s cancelled.") % {"number": adjustment.number}
                )
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("inventory:adjustment_detail", pk=adjustment.pk)
    if adjustment.status != ReceiptStatus.DRAFT:
        messages.error(
            request,
            _("%(number)s is %(status)s; this cannot be done now.")
            % {"number": adjustment.number, "status": adjustment.get_status_display()},
        )
        return redirect("inventory:adjustment_detail", pk=adjustment.pk)
    if action == "post":
        title = _("Post stock adjustment %(number)s?") % {"number": adjustment.number}
        explanation = _(
            "Gains come into stock in %(warehouse)s (at their unit cost, or else at the moving "
            "average), losses go out at the moving average, and both are booked against stock "
            "gains and losses pending. A posted adjustment cannot be cancelled: correct it with "
            "another adjustment."
        ) % {"warehouse": adjustment.warehouse.name}
        button = pgettext("stock document", "Post")
    else:
        title = _("Cancel stock adjustment %(number)s?") % {"number": adjustment.number}
        explanation = _("The draft is kept, marked cancelled; nothing was in stock or booked.")
        button = _("Cancel adjustment")
    return render(
        request,
        "inventory/stock/confirm.html",
        {
            "title": title,
            "explanation": explanation,
            "button": button,
            "danger": action == "cancel",
            "back_url": reverse("inventory:adjustment_detail", args=[adjustment.pk]),
            "breadcrumbs": _detail_crumbs(adjustment, (button, None)),
            "subnav": "adjustments",
        },
    )


@login_required
@permission_required("inventory.change_stockadjustment", raise_exception=True)
def adjustment_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, action="post")


@login_required
@permission_required("inventory.change_stockadjustment", raise_exception=True)
def adjustment_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, action="cancel")
