"""Accounting periods: the list, closing and reopening."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.ledger import selectors, services
from suanpan.ledger.errors import PeriodCloseFailed
from suanpan.ledger.forms import (
    ReopenForm,
)
from suanpan.ledger.views.base import _crumbs, _error_text, ledger_page
from suanpan.users.http import AuthenticatedHttpRequest


def _period_page(
    request: AuthenticatedHttpRequest, *, problems: dict[str, list[str]] | None = None
) -> HttpResponse:
    services.company_get()
    return render(
        request,
        "ledger/periods/list.html",
        {
            "periods": selectors.period_list(),
            "events": selectors.period_events(),
            "problems": problems or {},
            "reopen_form": ReopenForm(),
            "breadcrumbs": _crumbs((_("Periods"), None)),
        },
        status=409 if problems else 200,
    )


@ledger_page("ledger.view_period")
def period_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _period_page(request)


@ledger_page("ledger.close_period")
@require_POST
def period_close(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    period = selectors.period_get(key=key)
    try:
        services.period_close(actor=request.user, period=period)
    except PeriodCloseFailed as exc:
        found = str(exc.params.get("problems", "")).split(services.PROBLEM_SEPARATOR)
        messages.error(request, _("Period %(period)s was not closed.") % {"period": period.key})
        return _period_page(request, problems={period.key: found})
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Period %(period)s closed.") % {"period": period.key})
    return redirect("ledger:periods")


@ledger_page("ledger.reopen_period")
@require_POST
def period_reopen(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    period = selectors.period_get(key=key)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the period is re-opened."))
        return redirect("ledger:periods")
    try:
        services.period_reopen(
            actor=request.user, period=period, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Period %(period)s re-opened.") % {"period": period.key})
    return redirect("ledger:periods")
