"""Sales order pages: the list, detail with timeline and actions, entry with the line grid,
and orders made from a quote or a contract.

The list stays fast at a million orders: its default order is an index, its first page stops
after 25 rows, and the count stops at 1,000 ("more than 1,000") instead of reading the whole table
(`core.listing.list_page`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core import listing
from suanpan.core.capitals import amount_in_capitals
from suanpan.core.errors import DomainError
from suanpan.core.forms import flash_refusal, form_add_domain_error
from suanpan.customers.selectors import (
    customer_by_id,
    customer_delivery_address,
    customer_is_visible,
)
from suanpan.customers.widgets import customer_picker_use
from suanpan.sales.choices import (
    QUOTE_CONVERTIBLE_STATUSES,
    ContractStatus,
    OrderStatus,
)
from suanpan.sales.errors import CreditLimitExceeded, QuoteAlreadyConverted
from suanpan.sales.forms.lines import line_formset
from suanpan.sales.forms.orders import (
    CancelForm,
    ConfirmForm,
    FromSourceForm,
    NoteForm,
    OrderForm,
)
from suanpan.sales.models import Contract, Quote, SalesOrder
from suanpan.sales.selectors import orders as selectors
from suanpan.sales.selectors.common import customer_seen
from suanpan.sales.selectors.quotes import quote_order
from suanpan.sales.services import orders as services
from suanpan.sales.views.common import list_page, sales_crumbs
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Number")),
    (None, gettext_lazy("Customer")),
    ("ordered_on", gettext_lazy("Order date")),
    (None, gettext_lazy("Delivery date")),
    ("status", gettext_lazy("Status")),
    (None, gettext_lazy("Owner")),
    ("amount", gettext_lazy("Amount including tax"), "text-end"),
]
FILTER_KEYS = ("q", "status", "customer", "owner", "ordered_after", "ordered_before")


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return sales_crumbs((_("Sales orders"), reverse("sales:order_list")), *items)


def _order_crumbs(order: SalesOrder, *items: tuple[str, str | None]) -> Any:
    return _crumbs((order.number, reverse("sales:order_detail", args=[order.pk])), *items)


@page_permission("sales.view_salesorder")
def order_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.order_list_page(user=request.user, filters=request.GET)
    customer = customer_seen(user=request.user, pk=request.GET.get("customer"))
    return list_page(
        request,
        "sales/orders/list.html",
        filterset=filterset,
        columns=LIST_COLUMNS,
        filtered=any(request.GET.get(key) for key in FILTER_KEYS),
        filter_customer=customer,
        breadcrumbs=_crumbs(),
        subnav="orders",
        **listing.list_page(request, queryset, rows_name="orders"),
    )


def _detail_context(request: AuthenticatedHttpRequest, order: SalesOrder) -> dict[str, Any]:
    lines = list(order.lines.all())
    user = request.user
    is_draft = order.status == OrderStatus.DRAFT
    context: dict[str, Any] = {
        "order": order,
        "lines": lines,
        "activities": selectors.order_activities(order=order),
        # Deliveries belong to the inventory app; the reverse relation reads them without
        # sales importing it.
        "deliveries": order.deliveries.order_by("-id"),
        "capitals": amount_in_capitals(order.gross_amount),
        "shipped_any": any(line.shipped_quantity for line in lines),
        "can_edit": is_draft and user.has_perm("sales.change_salesorder"),
        "can_confirm": is_draft and user.has_perm("sales.confirm_salesorder"),
        "can_pick": order.status == OrderStatus.CONFIRMED
        and user.has_perm("sales.change_salesorder"),
        "can_complete": order.status == OrderStatus.SHIPPED
        and user.has_perm("sales.change_salesorder"),
        "can_cancel": order.status in services.CANCELLABLE
        and user.has_perm("sales.change_salesorder"),
        "can_ship": order.status
        in (OrderStatus.CONFIRMED, OrderStatus.PICKING, OrderStatus.PARTLY_SHIPPED)
        and user.has_perm("inventory.add_delivery"),
        "can_note": user.has_perm("sales.change_salesorder")
        or user.has_perm("sales.approve_credit"),
        "confirm_form": ConfirmForm(),
        "cancel_form": CancelForm(),
        "note_form": NoteForm(),
        "breadcrumbs": _crumbs((order.number, None)),
        "subnav": "orders",
    }
    if is_draft and order.customer.credit_limit_amount > 0:
        exposure = selectors.customer_exposure(customer=order.customer, order=order)
        context["exposure"] = exposure
        # A finance manager confirms only what needs their approval (the service agrees).
        if exposure.excess and user.has_perm("sales.approve_credit"):
            context["can_confirm"] = True
    return context


@page_permission("sales.view_salesorder")
def order_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(user=request.user, pk=pk)
    return render(request, "sales/orders/detail.html", _detail_context(request, order))


def _form_page(
    request: AuthenticatedHttpRequest,
    *,
    form: OrderForm,
    formset: Any,
    title: str,
    order: SalesOrder | None = None,
    source: Quote | Contract | None = None,
) -> HttpResponse:
    crumbs = _order_crumbs(order, (_("Edit"), None)) if order else _crumbs((title, None))
    return render(
        request,
        "sales/orders/form.html",
        {
            "form": form,
            "formset": formset,
            "order": order,
            "source": source,
            "title": title,
            "breadcrumbs": crumbs,
            "subnav": "orders",
        },
    )


@page_permission("sales.add_salesorder")
def order_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"ordered_on": timezone.localdate(), "price_includes_tax": True}
    customer_id = request.GET.get("customer")
    if customer_id and customer_id.isdigit():
        initial["customer"] = customer_id
        # Someone else's customer names no address (the picker names no customer either).
        customer = customer_by_id(int(customer_id))
        if customer is not None and customer_is_visible(user=request.user, customer_id=customer.pk):
            initial["delivery_address"] = customer_delivery_address(customer=customer)
    form = OrderForm(request.POST or None, initial=initial, user=request.user)
    formset = line_formset(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            order = services.order_create(
                actor=request.user, data=form.order_input(formset.line_inputs())
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Order %(number)s created.") % {"number": order.number})
            return redirect("sales:order_detail", pk=order.pk)
    return _form_page(request, form=form, formset=formset, title=_("New sales order"))


@page_permission("sales.change_salesorder")
def order_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(user=request.user, pk=pk)
    if order.status != OrderStatus.DRAFT:
        messages.error(request, _("Only draft orders can be changed."))
        return redirect("sales:order_detail", pk=order.pk)
    form = OrderForm(request.POST or None, instance=order, user=request.user)
    if request.method == "POST":
        formset = line_formset(request.POST)
    else:
        formset = line_formset(lines=order.lines.select_related("product"))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.order_update(
                actor=request.user,
                order=order,
                data=form.order_input(
                    formset.line_inputs(), quote=order.quote, contract=order.contract
                ),
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("sales:order_detail", pk=order.pk)
    return _form_page(
        request, form=form, formset=formset, title=_("Edit %s") % order.number, order=order
    )


def _already_converted(
    request: AuthenticatedHttpRequest, *, quote: Quote, order: SalesOrder
) -> HttpResponse:
    messages.info(
        request,
        _("Quote %(number)s was already converted to order %(order)s.")
        % {"number": quote.number, "order": order.number},
    )
    return redirect("sales:order_detail", pk=order.pk)


@page_permission("sales.add_salesorder")
def order_create_from_quote(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (the quote's lines as they will be copied); POST creates.

    A quote already converted goes to its order, saying so (also for a second submit)."""
    quote = selectors.order_source_quote(user=request.user, pk=pk)
    existing = quote_order(quote)
    if existing is not None:
        return _already_converted(request, quote=quote, order=existing)
    form = FromSourceForm(request.POST or None, initial={"ordered_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_create_from_quote(
                actor=request.user, quote=quote, ordered_on=form.cleaned_data["ordered_on"]
            )
        except QuoteAlreadyConverted as exc:
            messages.info(request, exc.message)
            return redirect("sales:order_detail", pk=exc.params["existing_id"])
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Order %(number)s created from quote %(quote)s.")
                % {"number": order.number, "quote": quote.number},
            )
            return redirect("sales:order_detail", pk=order.pk)
    return render(
        request,
        "sales/orders/from_source.html",
        {
            "form": form,
            "source": quote,
            "source_kind": "quote",
            "lines": quote.lines.all(),
            "usable": quote.status in QUOTE_CONVERTIBLE_STATUSES,
            "capitals": amount_in_capitals(quote.gross_amount),
            "breadcrumbs": _crumbs((_("From quote %s") % quote.number, None)),
            "subnav": "orders",
        },
    )


@page_permission("sales.add_salesorder")
def order_create_from_contract(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A contract with a quote: confirm and copy its lines. Without one: enter the lines."""
    contract = selectors.order_source_contract(user=request.user, pk=pk)
    title = _("Order under contract %s") % contract.number
    usable = contract.status == ContractStatus.ACTIVE
    if contract.quote is not None or not usable:
        source_form = FromSourceForm(
            request.POST or None, initial={"ordered_on": timezone.localdate()}
        )
        if request.method == "POST" and source_form.is_valid():
            try:
                order = services.order_create_from_contract(
                    actor=request.user,
                    contract=contract,
                    ordered_on=source_form.cleaned_data["ordered_on"],
                )
            except DomainError as exc:
                form_add_domain_error(source_form, exc)
            else:
                messages.success(request, _("Order %(number)s created.") % {"number": order.number})
                return redirect("sales:order_detail", pk=order.pk)
        return render(
            request,
            "sales/orders/from_source.html",
            {
                "form": source_form,
                "source": contract,
                "source_kind": "contract",
                "lines": contract.quote.lines.all() if contract.quote else [],
                "usable": usable,
                "capitals": amount_in_capitals(contract.quote.gross_amount)
                if contract.quote
                else "",
                "breadcrumbs": _crumbs((title, None)),
                "subnav": "orders",
            },
        )
    initial = {
        "customer": contract.customer_id,
        "ordered_on": timezone.localdate(),
        "price_includes_tax": True,
        "delivery_address": customer_delivery_address(customer=contract.customer),
    }
    form = OrderForm(request.POST or None, initial=initial, user=request.user)
    form.fields["customer"].disabled = True
    customer_picker_use(form.fields["customer"])
    formset = line_formset(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            data = form.order_input(formset.line_inputs(), contract=contract)
            order = services.order_create(actor=request.user, data=data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Order %(number)s created.") % {"number": order.number})
            return redirect("sales:order_detail", pk=order.pk)
    return _form_page(request, form=form, formset=formset, title=title, source=contract)


def _action(request: AuthenticatedHttpRequest, pk: int, act: Any, done: str) -> HttpResponse:
    order = selectors.order_get(user=request.user, pk=pk)
    try:
        act(order)
    except DomainError as exc:
        flash_refusal(request, error=exc)
    else:
        messages.success(request, done % {"number": order.number})
    return redirect("sales:order_detail", pk=order.pk)


@page_permission("sales.confirm_salesorder", "sales.approve_credit")
@require_POST
def order_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Confirm; over the credit limit the page shows the figures (and, for a finance manager,
    asks for the reason to approve)."""
    order = selectors.order_get(user=request.user, pk=pk)
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        services.order_confirm(
            actor=request.user,
            order=order,
            credit_approval_reason=form.cleaned_data.get("credit_approval_reason", ""),
        )
    except CreditLimitExceeded as exc:
        context = _detail_context(request, order)
        context["credit_refusal"] = exc
        context["exposure"] = getattr(exc, "exposure", None)
        if exc.fields:
            form_add_domain_error(form, exc)
        context["confirm_form"] = form
        return render(request, "sales/orders/detail.html", context, status=409)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Order %(number)s confirmed.") % {"number": order.number})
    return redirect("sales:order_detail", pk=order.pk)


@page_permission("sales.change_salesorder", "inventory.add_delivery")
@require_POST
def order_pick(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda order: services.order_pick(actor=request.user, order=order),
        _("Order %(number)s is being picked."),
    )


@page_permission("sales.change_salesorder")
@require_POST
def order_complete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda order: services.order_complete(actor=request.user, order=order),
        _("Order %(number)s completed."),
    )


@page_permission("sales.change_salesorder")
@require_POST
def order_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda order: services.order_cancel(
            actor=request.user, order=order, reason=request.POST.get("reason", "")
        ),
        _("Order %(number)s cancelled."),
    )


@page_permission("sales.change_salesorder", "sales.approve_credit", "inventory.add_delivery")
@require_POST
def order_note_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(
        request,
        pk,
        lambda order: services.order_note_add(
            actor=request.user, order=order, note=request.POST.get("note", "")
        ),
        _("Note added to order %(number)s."),
    )
