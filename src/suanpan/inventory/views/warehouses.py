"""Warehouse pages: list, create, edit, deactivate and reactivate."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.core.forms import form_service_submit
from suanpan.inventory.forms.warehouses import WarehouseForm
from suanpan.inventory.models import Warehouse
from suanpan.inventory.selectors import warehouses as selectors
from suanpan.inventory.services import warehouses as services
from suanpan.inventory.views.lists import list_page
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("code", gettext_lazy("Code")),
    ("name", gettext_lazy("Name")),
    (None, gettext_lazy("Address")),
    (None, gettext_lazy("Products held")),
    (None, gettext_lazy("Quantity on hand")),
    (None, gettext_lazy("Status")),
]


def _warehouse_list(_warehouse: Warehouse) -> HttpResponse:
    return redirect("inventory:warehouse_list")


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Warehouses"), reverse("inventory:warehouse_list")), *items]


@page_permission("inventory.view_warehouse")
def warehouse_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.warehouse_list(user=request.user, filters=request.GET)
    return list_page(
        request,
        "inventory/warehouses/warehouse_list.html",
        rows=queryset,
        filterset=filterset,
        columns=LIST_COLUMNS,
        breadcrumbs=_crumbs(),
        subnav="warehouses",
        filter_names=("q", "active"),
    )


@page_permission("inventory.add_warehouse")
def warehouse_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = WarehouseForm(request.POST or None)
    done = form_service_submit(
        request,
        form,
        lambda: services.warehouse_create(actor=request.user, data=form.cleaned_data),
        message=lambda warehouse: _("Warehouse %(name)s created.") % {"name": warehouse.name},
        done=_warehouse_list,
    )
    if done is not None:
        return done
    return render(
        request,
        "inventory/warehouses/warehouse_form.html",
        {"form": form, "breadcrumbs": _crumbs((_("New warehouse"), None)), "subnav": "warehouses"},
    )


@page_permission("inventory.change_warehouse")
def warehouse_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    warehouse = selectors.warehouse_get(user=request.user, pk=pk)
    form = WarehouseForm(request.POST or None, instance=warehouse)
    done = form_service_submit(
        request,
        form,
        lambda: services.warehouse_update(
            actor=request.user, warehouse=warehouse, data=form.cleaned_data
        ),
        message=_("Changes saved."),
        done=_warehouse_list,
    )
    if done is not None:
        return done
    return render(
        request,
        "inventory/warehouses/warehouse_form.html",
        {
            "form": form,
            "warehouse": warehouse,
            "breadcrumbs": _crumbs((str(warehouse), None)),
            "subnav": "warehouses",
        },
    )


@page_permission("inventory.change_warehouse")
@require_POST
def warehouse_deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    warehouse = selectors.warehouse_get(user=request.user, pk=pk)
    try:
        if warehouse.is_active:
            services.warehouse_deactivate(actor=request.user, warehouse=warehouse)
            messages.success(
                request, _("Warehouse %(name)s deactivated.") % {"name": warehouse.name}
            )
        else:
            services.warehouse_reactivate(actor=request.user, warehouse=warehouse)
            messages.success(
                request, _("Warehouse %(name)s reactivated.") % {"name": warehouse.name}
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("inventory:warehouse_list")
