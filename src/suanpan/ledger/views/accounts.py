"""The chart of accounts: list, sub-accounts, (de)activation and deletion."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.core.forms import form_service_submit
from suanpan.ledger import selectors, services
from suanpan.ledger.forms import (
    SubAccountForm,
)
from suanpan.ledger.views.base import _crumbs, _error_text, ledger_page
from suanpan.users.http import AuthenticatedHttpRequest


@ledger_page("ledger.view_account")
def account_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.company_get()
    return render(
        request,
        "ledger/accounts/list.html",
        {
            "rows": selectors.account_tree(),
            "breadcrumbs": _crumbs((_("Chart of accounts"), None)),
        },
    )


@ledger_page("ledger.add_account")
def account_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services.company_get()
    parent = selectors.account_get(pk=pk)
    form = SubAccountForm(
        request.POST or None,
        initial={
            "code": f"{parent.code}.",
            "requires_customer": parent.requires_customer,
            "is_open_item": parent.is_open_item,
        },
    )
    done = form_service_submit(
        request,
        form,
        lambda: services.account_create(actor=request.user, parent=parent, **form.cleaned_data),
        message=lambda account: _("Account %(account)s added.") % {"account": account},
        done=lambda _account: redirect("ledger:accounts"),
    )
    if done is not None:
        return done
    return render(
        request,
        "ledger/accounts/form.html",
        {
            "form": form,
            "parent": parent,
            "breadcrumbs": _crumbs(
                (_("Chart of accounts"), reverse("ledger:accounts")), (_("New sub-account"), None)
            ),
        },
    )


@ledger_page("ledger.change_account")
@require_POST
def account_set_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.account_set_active(actor=request.user, account=account, active=active)
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        if active:
            messages.success(request, _("Account %(account)s reactivated.") % {"account": account})
        else:
            messages.success(request, _("Account %(account)s deactivated.") % {"account": account})
    return redirect("ledger:accounts")


@ledger_page("ledger.delete_account")
@require_POST
def account_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(pk=pk)
    label = str(account)
    try:
        services.account_delete(actor=request.user, account=account)
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Account %(account)s deleted.") % {"account": label})
    return redirect("ledger:accounts")
