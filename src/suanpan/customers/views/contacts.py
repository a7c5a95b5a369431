"""Contact and address actions posted from the customer page's tabs."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.core.forms import form_add_domain_error
from suanpan.customers import selectors, services
from suanpan.customers.forms import AddressForm, ContactForm
from suanpan.customers.models import Customer
from suanpan.customers.views._pages import (
    customer_crumbs,
    customer_gate,
    redirect_to_tab,
    service_call,
    tab_form_submit,
)
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest


@page_permission()
@require_POST
@customer_gate("customers.add_contact")
def contact_add(request: AuthenticatedHttpRequest, customer: Customer) -> HttpResponse:
    tab_form_submit(
        request,
        ContactForm(request.POST, prefix="contact"),
        save=lambda data: services.contact_create(actor=request.user, customer=customer, data=data),
        success=_("Contact added."),
    )
    return redirect_to_tab(customer, "contacts")


@page_permission()
@customer_gate("customers.change_contact")
def contact_edit(
    request: AuthenticatedHttpRequest, customer: Customer, contact_pk: int
) -> HttpResponse:
    contact = selectors.contact_get(customer=customer, pk=contact_pk)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(actor=request.user, contact=contact, data=form.cleaned_data)
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Contact saved."))
            return redirect_to_tab(customer, "contacts")
    return render(
        request,
        "customers/customers/child_form.html",
        {
            "form": form,
            "customer": customer,
            "title": _("Edit contact"),
            "breadcrumbs": customer_crumbs(customer, _("Edit contact")),
        },
    )


@page_permission()
@require_POST
@customer_gate("customers.delete_contact")
def contact_delete(
    request: AuthenticatedHttpRequest, customer: Customer, contact_pk: int
) -> HttpResponse:
    contact = selectors.contact_get(customer=customer, pk=contact_pk)
    service_call(
        request,
        lambda: services.contact_delete(actor=request.user, contact=contact),
        _("Contact deleted."),
    )
    return redirect_to_tab(customer, "contacts")


@page_permission()
@require_POST
@customer_gate("customers.add_address")
def address_add(request: AuthenticatedHttpRequest, customer: Customer) -> HttpResponse:
    tab_form_submit(
        request,
        AddressForm(request.POST, prefix="address"),
        save=lambda data: services.address_create(actor=request.user, customer=customer, data=data),
        success=_("Address added."),
    )
    return redirect_to_tab(customer, "addresses")


@page_permission()
@require_POST
@customer_gate("customers.delete_address")
def address_delete(
    request: AuthenticatedHttpRequest, customer: Customer, address_pk: int
) -> HttpResponse:
    address = selectors.address_get(customer=customer, pk=address_pk)
    service_call(
        request,
        lambda: services.address_delete(actor=request.user, address=address),
        _("Address deleted."),
    )
    return redirect_to_tab(customer, "addresses")
