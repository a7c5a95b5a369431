"""What every report page shares (the gate, filter defaults, xlsx download) and the index."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import wraps
from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.date_checks import business_window
from suanpan.ledger import selectors
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.errors import LedgerNotSetUp
from suanpan.ledger.forms.reports import ReportForm
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

PERMISSION = "ledger.view_ledger_reports"


View = Callable[..., HttpResponseBase]


def report_view(view: View) -> View:
    """`page_permission` for the reports, and an empty state for books not set up."""

    @wraps(view)
    def books(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            selectors.company_get()
        except LedgerNotSetUp as exc:
            return render(
                request,
                "ledger/reports/not_set_up.html",
                {"message": exc.message, "breadcrumbs": _crumbs()},
            )
        return view(request, *args, **kwargs)

    return page_permission(PERMISSION)(books)


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Ledger reports"), reverse("ledger_reports:index")), *items]


def _querystring(request: AuthenticatedHttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


def _wants_xlsx(request: AuthenticatedHttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def _side(amount: Decimal) -> str:
    side = selectors.Signed.side(amount)
    return {"debit": _("Dr"), "credit": _("Cr")}.get(side, _("Flat"))


def _defaults(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """The latest period, its dates and the receivable account when nothing is chosen."""
    periods = selectors.period_choices()
    last = periods[-1] if periods else None
    receivable = selectors.account_for_role(AccountRole.RECEIVABLE)
    return {
        "period_from": last.key if last else None,
        "period_to": last.key if last else None,
        "date_from": selectors.period_first_day(last).isoformat() if last else None,
        "date_to": selectors.period_last_day(last).isoformat() if last else None,
        # Today, or the end of the latest period when postings are dated ahead of today; never
        # past the window of report dates (old data may hold a period in year 9999).
        "as_of": min(
            max(timezone.localdate(), selectors.period_last_day(last) if last else date.min),
            business_window(first_period=None).latest,
        ).isoformat(),
        "account": receivable.code if receivable else None,
        "basis": selectors.AgeingBasis.DUE,
    }


def _form(request: AuthenticatedHttpRequest, *use: str, **defaults: Any) -> ReportForm:
    return ReportForm(request.GET, use=use, defaults={**_defaults(request), **defaults})


def _page(
    request: AuthenticatedHttpRequest, template: str, title: str, **context: Any
) -> HttpResponse:
    context.setdefault("breadcrumbs", _crumbs((title, None)))
    context.update(
        title=title, querystring=_querystring(request), has_postings=selectors.has_postings()
    )
    return render(request, template, context)


@report_view
def report_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "ledger/reports/index.html", {"breadcrumbs": _crumbs()})
