"""The company's ledger settings, set-up and account roles."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.core.forms import form_add_domain_error, form_service_submit
from suanpan.ledger import selectors, services
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.errors import LedgerNotSetUp
from suanpan.ledger.forms import (
    CompanyForm,
    CompanySetupForm,
    RoleForm,
)
from suanpan.ledger.views.base import (
    _crumbs,
    _error_text,
    _form_error_text,
    _number_example,
    ledger_page,
)
from suanpan.users.http import AuthenticatedHttpRequest


@ledger_page()
def company(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        current = services.company_get()
    except LedgerNotSetUp:
        return _company_setup(request)
    form = CompanyForm.for_company(current, request.POST or None)
    if request.method == "POST" and not request.user.has_perm("ledger.change_company"):
        raise PermissionDenied
    done = form_service_submit(
        request,
        form,
        lambda: services.company_update(actor=request.user, data=form.cleaned_data),
        message=_("Changes saved."),
        done=lambda _company: redirect("ledger:company"),
    )
    if done is not None:
        return done
    mapped = selectors.role_mappings()
    roles = [(value, label, mapped.get(value)) for value, label in AccountRole.choices]
    return render(
        request,
        "ledger/company/detail.html",
        {
            "company": current,
            "form": form,
            "roles": roles,
            "role_accounts": selectors.postable_accounts(),
            "number_example": _number_example(current),
            "has_vouchers": selectors.vouchers_exist(),
            "breadcrumbs": _crumbs((_("Company settings"), None)),
        },
    )


def _company_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    can_setup = request.user.has_perm("ledger.add_company")
    form = CompanySetupForm(request.POST or None)
    if request.method == "POST":
        if not can_setup:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.company_setup(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_add_domain_error(form, exc)
            except FileNotFoundError:
                form.add_error("standard", _("The chart of this standard is not installed."))
            else:
                messages.success(request, _("The books are set up."))
                return redirect("ledger:company")
    return render(
        request,
        "ledger/company/setup.html",
        {
            "form": form,
            "can_setup": can_setup,
            "breadcrumbs": _crumbs((_("Set up the books"), None)),
        },
    )


@ledger_page("ledger.change_company")
@require_POST
def company_role(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.company_get()
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.account_role_set(
                actor=request.user,
                role=form.cleaned_data["role"],
                account=form.cleaned_data["account"],
            )
        except DomainError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Role mapping saved."))
    else:
        messages.error(request, _form_error_text(form))
    return redirect(f"{reverse('ledger:company')}#roles")
