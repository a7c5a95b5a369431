"""Customer pages: parse, call a selector or service, render the page or its htmx fragment."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.core.forms import form_add_domain_error
from suanpan.core.pagination import paginate
from suanpan.core.sorting import sort_headers
from suanpan.customers import selectors, services
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.forms import AddressForm, ContactForm, CustomerForm, FollowUpForm, MergeForm
from suanpan.customers.models import Customer
from suanpan.customers.tabs import customer_tabs_for
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Number")),
    ("name", gettext_lazy("Name")),
    (None, gettext_lazy("Primary contact")),
    (None, gettext_lazy("Owner")),
    ("status", gettext_lazy("Status")),
    ("grade", gettext_lazy("Grade")),
    ("payment_terms", gettext_lazy("Terms (days)")),
    ("credit_limit", gettext_lazy("Credit limit")),
]

DETAIL_TABS = [
    ("overview", gettext_lazy("Overview")),
    ("contacts", gettext_lazy("Contacts")),
    ("addresses", gettext_lazy("Addresses")),
    ("followups", gettext_lazy("Follow-ups")),
    ("history", gettext_lazy("History")),
]


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Customers"), reverse("customers:list")), *items]


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.customer_list(user=request.user, filters=request.GET)
    queryset = queryset.prefetch_related("contacts")
    context: dict[str, Any] = {
        "filter": filterset,
        "columns": sort_headers(request, LIST_COLUMNS),
        "breadcrumbs": _crumbs(),
        **paginate(request, queryset),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "customers/customer_list.html#results", context)
    return render(request, "customers/customer_list.html", context)


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_search(request: AuthenticatedHttpRequest) -> JsonResponse:
    """JSON for customer pickers on document forms: `?q=` as the list's search box."""
    try:
        limit = int(request.GET.get("limit", 10))
    except ValueError:
        limit = 10
    rows = selectors.customer_search(user=request.user, q=request.GET.get("q", ""), limit=limit)
    return JsonResponse(rows, safe=False)


@login_required
@permission_required("customers.add_customer", raise_exception=True)
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
                "customers/customer_form.html",
                {
                    "form": form,
                    "contact_form": contact_form,
                    "breadcrumbs": _crumbs((_("New customer"), None)),
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
        "customers/customer_form.html",
        {
            "form": form,
            "contact_form": contact_form,
            "breadcrumbs": _crumbs((_("New customer"), None)),
        },
    )


@login_required
@permission_required("customers.change_customer", raise_exception=True)
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
        "customers/customer_form.html",
        {
            "form": form,
            "customer": customer,
            "breadcrumbs": _crumbs(
                (customer.name, reverse("customers:detail", args=[customer.pk])), (_("Edit"), None)
            ),
        },
    )


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, pk=pk)
    extra_tabs = {t.key: t for t in customer_tabs_for(request.user)}
    tab = request.GET.get("tab", "overview")
    if tab not in dict(DETAIL_TABS) and tab not in extra_tabs:
        tab = "overview"
    context: dict[str, Any] = {
        "customer": customer,
        "tab": tab,
        "contacts": selectors.contact_list(customer=customer),
        "addresses": customer.addresses.all(),
        "followups": selectors.followup_list(customer=customer)[:50],
        "contact_form": ContactForm(prefix="contact"),
        "address_form": AddressForm(prefix="address"),
        "followup_form": FollowUpForm(prefix="followup"),
        "merge_form": MergeForm(),
        "breadcrumbs": _crumbs((customer.name, None)),
        "tabs": [*DETAIL_TABS, *((t.key, t.label) for t in extra_tabs.values())],
        # Filled by the invoicing, receivables and service modules as they arrive.
        "future_tabs": [
            gettext_lazy("Invoices"),
            gettext_lazy("Receivables"),
            gettext_lazy("Tickets"),
        ],
    }
    if tab in extra_tabs:
        context["tab_template"] = extra_tabs[tab].template
        context.update(extra_tabs[tab].context(request.user, customer, request.GET))
    if tab == "history":
        context["history"] = selectors.customer_history(customer=customer)
    return render(request, "customers/customer_detail.html", context)


def _customer_for(request: AuthenticatedHttpRequest, pk: int, perm: str) -> Customer:
    """The customer a sub-URL acts on: 404 unless the user sees it, then 403 without `perm`."""
    customer = selectors.customer_get(user=request.user, pk=pk)
    if not request.user.has_perm(perm):
        raise PermissionDenied
    return customer


def _redirect_to_tab(customer: Customer, tab: str) -> HttpResponse:
    return redirect(f"{reverse('customers:detail', args=[customer.pk])}?tab={tab}")


def _child_form_invalid(request: AuthenticatedHttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@login_required
@require_POST
def contact_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk, "customers.add_contact")
    form = ContactForm(request.POST, prefix="contact")
    if form.is_valid():
        try:
            services.contact_create(actor=request.user, customer=customer, data=form.cleaned_data)
            messages.success(request, _("Contact added."))
        except DomainError as exc:
            form_add_domain_error(form, exc)
            _child_form_invalid(request, form)
    else:
        _child_form_invalid(request, form)
    return _redirect_to_tab(customer, "contacts")


@login_required
def contact_edit(request: AuthenticatedHttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    customer = _customer_for(request, pk, "customers.change_contact")
    contact = get_object_or_404(customer.contacts, pk=contact_pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(actor=request.user, contact=contact, data=form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Contact saved."))
            return _redirect_to_tab(customer, "contacts")
    return render(
        request,
        "customers/child_form.html",
        {
            "form": form,
            "customer": customer,
            "title": _("Edit contact"),
            "breadcrumbs": _crumbs(
                (customer.name, reverse("customers:detail", args=[customer.pk])),
                (_("Edit contact"), None),
            ),
        },
    )


@login_required
@require_POST
def contact_delete(request: AuthenticatedHttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    customer = _customer_for(request, pk, "customers.delete_contact")
    contact = get_object_or_404(customer.contacts, pk=contact_pk)
    try:
        services.contact_delete(actor=request.user, contact=contact)
        messages.success(request, _("Contact deleted."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _redirect_to_tab(customer, "contacts")


@login_required
@require_POST
def address_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk, "customers.add_address")
    form = AddressForm(request.POST, prefix="address")
    if form.is_valid():
        try:
            services.address_create(actor=request.user, customer=customer, data=form.cleaned_data)
            messages.success(request, _("Address added."))
        except DomainError as exc:
            form_add_domain_error(form, exc)
            _child_form_invalid(request, form)
    else:
        _child_form_invalid(request, form)
    return _redirect_to_tab(customer, "addresses")


@login_required
@require_POST
def address_delete(request: AuthenticatedHttpRequest, pk: int, address_pk: int) -> HttpResponse:
    customer = _customer_for(request, pk, "customers.delete_address")
    address = get_object_or_404(customer.addresses, pk=address_pk)
    try:
        services.address_delete(actor=request.user, address=address)
        messages.success(request, _("Address deleted."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _redirect_to_tab(customer, "addresses")


@login_required
@require_POST
def followup_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk, "customers.add_followup")
    form = FollowUpForm(request.POST, prefix="followup")
    if form.is_valid():
        try:
            services.followup_create(actor=request.user, customer=customer, data=form.cleaned_data)
            messages.success(request, _("Follow-up recorded."))
        except DomainError as exc:
            form_add_domain_error(form, exc)
            _child_form_invalid(request, form)
    else:
        _child_form_invalid(request, form)
    return _redirect_to_tab(customer, "followups")


@login_required
@require_POST
def customer_deactivate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk, "customers.deactivate_customer")
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


@login_required
@require_POST
def customer_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    customer = _customer_for(request, pk, "customers.delete_customer")
    try:
        services.customer_delete(actor=request.user, customer=customer)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("customers:detail", pk=customer.pk)
    messages.success(request, _("Customer %(name)s deleted.") % {"name": customer.name})
    return redirect("customers:list")


@login_required
@require_POST
def customer_merge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    source = _customer_for(request, pk, "customers.merge_customer")
    form = MergeForm(request.POST)
    if not form.is_valid():
        _child_form_invalid(request, form)
        return redirect("customers:detail", pk=source.pk)
    number = form.cleaned_data["target_number"].strip().upper()
    target = selectors.customer_visible(user=request.user).filter(number=number).first()
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
