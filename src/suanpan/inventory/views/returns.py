"""Customer return pages: list, detail, and a return from a delivery."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.core.forms import form_service_submit
from suanpan.inventory.forms.deliveries import line_errors_place
from suanpan.inventory.forms.returns import ReturnForm
from suanpan.inventory.selectors import deliveries as delivery_selectors
from suanpan.inventory.selectors import returns as selectors
from suanpan.inventory.services import returns as services
from suanpan.inventory.views.lists import list_page
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Number")),
    ("date", gettext_lazy("Return date")),
    ("customer", gettext_lazy("Customer")),
    ("delivery", gettext_lazy("Delivery")),
    ("warehouse", gettext_lazy("Warehouse")),
    (None, gettext_lazy("Reason")),
    ("cost", gettext_lazy("Cost"), "text-end"),
    ("amount", gettext_lazy("Amount excl. tax"), "text-end"),
]


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Returns"), reverse("inventory:return_list")), *items]


@page_permission("inventory.view_deliveryreturn")
def return_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.return_list(user=request.user, filters=request.GET)
    return list_page(
        request,
        "inventory/returns/list.html",
        rows=queryset,
        filterset=filterset,
        columns=LIST_COLUMNS,
        breadcrumbs=_crumbs(),
        subnav="returns",
        filter_names=("q", "warehouse", "customer", "date_from", "date_to"),
    )


@page_permission("inventory.view_deliveryreturn")
def return_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    returned = selectors.return_get(user=request.user, pk=pk)
    return render(
        request,
        "inventory/returns/detail.html",
        {
            "returned": returned,
            "lines": returned.lines.all(),
            "vouchers": delivery_selectors.return_vouchers(returned=returned),
            "subnav": "returns",
            "breadcrumbs": _crumbs((returned.number, None)),
        },
    )


@page_permission("inventory.add_deliveryreturn")
def return_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    delivery = delivery_selectors.delivery_get(
        user=request.user, pk=request.GET.get("delivery") or request.POST.get("delivery") or ""
    )
    form = ReturnForm(request.POST or None, delivery=delivery)
    done = form_service_submit(
        request,
        form,
        lambda: services.return_create(
            delivery=delivery,
            lines=form.lines(),
            reason=form.cleaned_data["reason"],
            returned_on=form.cleaned_data["returned_on"],
            warehouse=form.cleaned_data["warehouse"],
            actor=request.user,
        ),
        on_error=lambda exc: line_errors_place(
            form, exc, [line.delivery_line_id for line in form.lines()]
        ),
        message=lambda returned: _("Return %(number)s recorded.") % {"number": returned.number},
        done=lambda returned: redirect("inventory:return_detail", pk=returned.pk),
    )
    if done is not None:
        return done
    return render(
        request,
        "inventory/returns/form.html",
        {
            "form": form,
            "delivery": delivery,
            "subnav": "returns",
            "breadcrumbs": _crumbs((_("New return"), None)),
        },
    )
