"""Delivery pages: list, create from an order, detail with its actions, edit, print."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.core.forms import flash_refusal, form_service_submit
from suanpan.inventory.choices import DeliveryStatus
from suanpan.inventory.forms.deliveries import (
    DeliveryForm,
    ShipForm,
    SignForm,
    TrackingForm,
    line_errors_place,
)
from suanpan.inventory.models import Delivery
from suanpan.inventory.selectors import deliveries as selectors
from suanpan.inventory.services import deliveries as services
from suanpan.inventory.views.lists import list_page
from suanpan.sales import selectors as sales_selectors
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Number")),
    ("customer", gettext_lazy("Customer")),
    (None, pgettext_lazy("sales order", "Order")),
    ("warehouse", gettext_lazy("Warehouse")),
    ("status", gettext_lazy("Status")),
    ("shipped", gettext_lazy("Ship date")),
    (None, gettext_lazy("Tracking number")),
    ("amount", gettext_lazy("Amount excl. tax"), "text-end"),
]


def _delivery_page(delivery: Delivery) -> HttpResponse:
    return redirect("inventory:delivery_detail", pk=delivery.pk)


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Deliveries"), reverse("inventory:delivery_list")), *items]


def _detail_crumbs(delivery: Delivery, *items: tuple[str, str | None]) -> list[Any]:
    return _crumbs(
        (delivery.number, reverse("inventory:delivery_detail", args=[delivery.pk])), *items
    )


@page_permission("inventory.view_delivery")
def delivery_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.delivery_list(user=request.user, filters=request.GET)
    return list_page(
        request,
        "inventory/deliveries/list.html",
        rows=queryset,
        filterset=filterset,
        columns=LIST_COLUMNS,
        breadcrumbs=_crumbs(),
        subnav="deliveries",
        filter_names=("q", "status", "warehouse", "customer", "shipped_from", "shipped_to"),
    )


@page_permission("inventory.add_delivery")
def delivery_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    order = sales_selectors.order_for_delivery(
        user=request.user, pk=request.GET.get("order") or request.POST.get("order") or ""
    )
    form = DeliveryForm(
        request.POST or None,
        order_lines=order.lines.all(),
        initial={"delivery_address": order.delivery_address},
    )
    done = form_service_submit(
        request,
        form,
        lambda: services.delivery_create(
            order=order, actor=request.user, lines=form.lines(), **form.details()
        ),
        on_error=lambda exc: line_errors_place(
            form, exc, [line.order_line_id for line in form.lines()]
        ),
        message=lambda delivery: _("Delivery %(number)s created.") % {"number": delivery.number},
        done=_delivery_page,
    )
    if done is not None:
        return done
    return render(
        request,
        "inventory/deliveries/form.html",
        {
            "form": form,
            "order": order,
            "subnav": "deliveries",
            "breadcrumbs": _crumbs((_("New delivery"), None)),
        },
    )


@page_permission("inventory.view_delivery")
def delivery_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_get(user=request.user, pk=pk)
    context = {
        "delivery": delivery,
        "lines": delivery.lines.all(),
        "returns": delivery.returns.all(),
        "vouchers": selectors.delivery_vouchers(delivery=delivery),
        "history": selectors.delivery_history(delivery=delivery),
        "ship_form": ShipForm(),
        "sign_form": SignForm(),
        "can_return": delivery.status in (DeliveryStatus.SHIPPED, DeliveryStatus.SIGNED)
        and any(line.returned_quantity < line.quantity for line in delivery.lines.all()),
        "subnav": "deliveries",
        "breadcrumbs": _crumbs((delivery.number, None)),
    }
    return render(request, "inventory/deliveries/detail.html", context)


@page_permission("inventory.change_delivery")
def delivery_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_get(user=request.user, pk=pk)
    form: DeliveryForm | TrackingForm
    if delivery.status == DeliveryStatus.DRAFT:
        form = DeliveryForm(
            request.POST or None,
            instance=delivery,
            order_lines=delivery.order.lines.all(),
            current={line.order_line_id: line.quantity for line in delivery.lines.all()},
        )
    elif delivery.status in (DeliveryStatus.SHIPPED, DeliveryStatus.SIGNED):
        form = TrackingForm(request.POST or None, instance=delivery)
    else:
        messages.error(request, _("A cancelled delivery no longer changes."))
        return _delivery_page(delivery)
    done = form_service_submit(
        request,
        form,
        lambda: (
            services.delivery_update(
                delivery=delivery, data=form.details(), lines=form.lines(), actor=request.user
            )
            if isinstance(form, DeliveryForm)
            else services.delivery_update(
                delivery=delivery, data=form.changes(), actor=request.user
            )
        ),
        message=_("Changes saved."),
        done=_delivery_page,
    )
    if done is not None:
        return done
    return render(
        request,
        "inventory/deliveries/form.html",
        {
            "form": form,
            "delivery": delivery,
            "order": delivery.order,
            "subnav": "deliveries",
            "breadcrumbs": _detail_crumbs(delivery, (_("Edit"), None)),
        },
    )


def _action_done(
    request: AuthenticatedHttpRequest, delivery: Delivery, message: str
) -> HttpResponse:
    messages.success(request, message % {"number": delivery.number})
    return _delivery_page(delivery)


def _dated_action(
    request: AuthenticatedHttpRequest,
    pk: int,
    *,
    form_class: type[ShipForm] | type[SignForm],
    field: str,
    act: Callable[[Delivery, date], Any],
    done: str,
) -> HttpResponse:
    """Ship or sign: the date from the form, then the service; refusals go to messages."""
    delivery = selectors.delivery_get(user=request.user, pk=pk)
    form = form_class(request.POST)
    if not form.is_valid():
        flash_refusal(request, form=form)
        return _delivery_page(delivery)
    try:
        act(delivery, form.cleaned_data[field])
    except DomainError as exc:
        flash_refusal(request, error=exc)
        return _delivery_page(delivery)
    return _action_done(request, delivery, done)


@page_permission("inventory.change_delivery")
@require_POST
def delivery_ship(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _dated_action(
        request,
        pk,
        form_class=ShipForm,
        field="shipped_on",
        act=lambda delivery, on: services.delivery_ship(
            delivery=delivery, shipped_on=on, actor=request.user
        ),
        done=_("Delivery %(number)s shipped."),
    )


@page_permission("inventory.change_delivery")
@require_POST
def delivery_sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _dated_action(
        request,
        pk,
        form_class=SignForm,
        field="signed_on",
        act=lambda delivery, on: services.delivery_sign(
            delivery=delivery, signed_on=on, actor=request.user
        ),
        done=_("Delivery %(number)s signed for."),
    )


@page_permission("inventory.change_delivery")
@require_POST
def delivery_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_get(user=request.user, pk=pk)
    try:
        services.delivery_cancel(delivery=delivery, actor=request.user)
    except DomainError as exc:
        flash_refusal(request, error=exc)
        return _delivery_page(delivery)
    return _action_done(request, delivery, _("Delivery %(number)s cancelled."))


@page_permission("inventory.view_delivery")
def delivery_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    delivery = selectors.delivery_get(user=request.user, pk=pk)
    return render(
        request,
        "inventory/deliveries/print.html",
        {"delivery": delivery, "lines": delivery.lines.all()},
    )
