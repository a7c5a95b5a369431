"""Customer pages: parse, call a selector or service, render the page or its htmx fragment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.core.forms import form_add_domain_error
from suanpan.core.listing import list_render, paginate
from suanpan.core.sorting import sort_headers
from suanpan.customers import selectors, services
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.forms import ContactForm, CustomerForm, MergeForm
from suanpan.customers.models import Customer
from suanpan.customers.views._pages import (
    crumbs,
    customer_crumbs,
    customer_gate,
    form_errors_to_messages,
)
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS: list[tuple[Any, ...]] = [
    ("number", gettext_lazy("Number")),
    ("name", gettext_lazy("Name")),
    (None, gettext_lazy("Primary contact")),
    (None, gettext_lazy("Owner")),
    ("status", gettext_lazy("Status")),
    ("grade", gettext_lazy("Grade")),
    ("payment_terms", gettext_lazy("Terms (days)"), "text-end"),
    ("credit_limit", gettext_lazy("Credit limit"), "text-end"),
]
FILTER_NAMES = ("q", "status", "kind", "grade", "owner")
# Read from the ledger for the page's rows only (see `customers_with_figures`), so they do not
# sort: sorting would read them for every customer the filters let through.
FIGURE_COLUMNS: list[tuple[Any, ...]] = [
    (None, gettext_lazy("Balance"), "text-end"),
    (None, gettext_lazy("Overdue"), "text-end"),
]


@page_permission("customers.view_customer")
def customer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.customer_list_page(user=request.user, filters=request.GET)
    figures_shown = selectors.customer_figures_visible(user=request.user)
    columns = sort_headers(request, [*LIST_COLUMNS, *(FIGURE_COLUMNS if figures_shown else [])])
    context: dict[str, Any] = {
        "filter": filterset,
        "columns": columns,
        "figures_shown": figures_shown,
        "filtered": any(request.GET.get(name) for name in FILTER_NAMES),
        "breadcrumbs": crumbs(),
        **paginate(request, queryset),
    }
    return list_render(request, "customers/customers/list.html", context)


@page_permission("customers.view_customer")
def customer_search(request: AuthenticatedHttpRequest) -> JsonResponse:
    """JSON for customer pickers on document forms: `?q=` as the list's search box."""
    try:
        limit = int(request.GET.get("limit", 10))
    except ValueError:
        limit = 10
    rows = selectors.customer_search(user=request.user, q=request.GET.get("q", ""), limit=limit)
    return JsonResponse(rows, safe=False)


@page_permission("customers.add_customer")
def customer_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CustomerForm(request.POST or None, user=request.user)
    contact_form = ContactForm(request.POST or None, prefix="contact")
    for field in contact_form.fields.values():
        field.required = False  # the first contact is optional; a name makes it one
    if request.method == "POST" and form.is_valid() and contact_form.is_valid():
        contact = {k: v for k, v in contact_form.cleaned_data.items() if v not in ("", None, False)}
        if contact and not contact.get("name"):
            contact_form.add_error("name", _("A contact needs a name."))
            return render(
                request,
                "customers/customers/form.html",
                {
                    "form": form,
                    "contact_form": contact_form,
                    "breadcrumbs": crumbs((_("New customer"), None)),
                },
            )
        try:
            customer = services.customer_create(
                actor=request.user,
                data=form.service_data(),
                contacts=[contact_form.cleaned_data] if contact.get("name") else [],
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Customer %(name)s created.") % {"name": customer.name})
            return redirect("customers:detail", pk=customer.pk)
    return render(
        request,
        "customers/customers/form.html",
        {
            "form": form,
            "contact_form": contact_form,
            "breadcrumbs": crumbs((_("New customer"), None)),
        },
    )


@page_permission("customers.change_customer")
def customer_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, pk=pk)
    form = CustomerForm(request.POST or None, instance=customer, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_update(
                actor=request.user, customer=customer, data=form.service_data()
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("customers:detail", pk=customer.pk)
    return render(
        request,
        "customers/customers/form.html",
        {
            "form": form,
            "customer": customer,
            "breadcrumbs": customer_crumbs(customer, _("Edit")),
        },
    )


@page_permission()
@require_POST
@customer_gate("customers.deactivate_customer")
def customer_deactivate(request: AuthenticatedHttpRequest, customer: Customer) -> HttpResponse:
    try:
        if customer.status == CustomerStatus.CLOSED:
            services.customer_reactivate(actor=request.user, customer=customer)
            messages.success(request, _("Customer reactivated."))
        else:
            services.customer_deactivate(
                actor=request.user, customer=customer, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Customer deactivated."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("customers:detail", pk=customer.pk)


@page_permission()
@require_POST
@customer_gate("customers.delete_customer")
def customer_delete(request: AuthenticatedHttpRequest, customer: Customer) -> HttpResponse:
    try:
        services.customer_delete(actor=request.user, customer=customer)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("customers:detail", pk=customer.pk)
    messages.success(request, _("Customer %(name)s deleted.") % {"name": customer.name})
    return redirect("customers:list")


@page_permission()
@require_POST
@customer_gate("customers.merge_customer")
def customer_merge(request: AuthenticatedHttpRequest, source: Customer) -> HttpResponse:
    form = MergeForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return redirect("customers:detail", pk=source.pk)
    number = form.cleaned_data["target_number"].strip().upper()
    target = selectors.customer_by_number(user=request.user, number=number)
    if target is None:
        messages.error(request, _("No customer numbered %(number)s.") % {"number": number})
        return redirect("customers:detail", pk=source.pk)
    try:
        services.customer_merge(actor=request.user, source=source, target=target)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("customers:detail", pk=source.pk)
    messages.success(
        request,
        _("%(source)s was merged into %(target)s.")
        % {"source": source.number, "target": target.number},
    )
    return redirect("customers:detail", pk=target.pk)
