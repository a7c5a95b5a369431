"""What every customer page shares: breadcrumbs, the way back to a tab of the customer page,
and how a form posted from a tab reports its errors there."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from suanpan.core.errors import DomainError
from suanpan.core.forms import form_add_domain_error
from suanpan.customers import selectors
from suanpan.customers.models import Customer
from suanpan.users.http import AuthenticatedHttpRequest


def customer_gate(
    perm: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The gate of a page acting on one customer (`<pk>/…`): 404 unless the user sees the
    customer (someone else's customer answers as if it did not exist), then 403 without
    `perm` (the permission the service checks). The view gets the customer, not its pk.
    Put it below `page_permission()` and any method check."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def gated(request: AuthenticatedHttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
            customer = selectors.customer_get(user=request.user, pk=pk)
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, customer, **kwargs)

        return gated

    return decorate


def crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Customers"), reverse("customers:list")), *items]


def customer_crumbs(customer: Customer, label: str) -> list[tuple[str, str | None]]:
    """Customers › the customer › `label`."""
    return crumbs((customer.name, reverse("customers:detail", args=[customer.pk])), (label, None))


def redirect_to_tab(customer: Customer, tab: str) -> HttpResponse:
    return redirect(f"{reverse('customers:detail', args=[customer.pk])}?tab={tab}")


def form_errors_to_messages(request: AuthenticatedHttpRequest, form: Any) -> None:
    """A tab's form posts and redirects back, so its errors travel as messages."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def tab_form_submit(
    request: AuthenticatedHttpRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], object],
    success: str,
) -> None:
    """Validate a form posted from a tab of the customer page and hand it to `save` (a
    service); report success or every error as a message."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
            messages.success(request, success)
        except DomainError as exc:
            form_add_domain_error(form, exc)
            form_errors_to_messages(request, form)
    else:
        form_errors_to_messages(request, form)


def service_call(
    request: AuthenticatedHttpRequest, call: Callable[[], object], success: str
) -> bool:
    """Run a one-click action (delete, close): its success or its refusal becomes a message."""
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True
