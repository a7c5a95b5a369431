"""The ledger overview page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from suanpan.ledger import selectors, services
from suanpan.ledger.views.base import ledger_page
from suanpan.users.http import AuthenticatedHttpRequest


@ledger_page("ledger.view_voucher")
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    company = services.company_get()
    context = {
        "company": company,
        "period": selectors.period_current(),
        "counts": selectors.voucher_counts(),
        "recent": selectors.voucher_list(filters={})[0][:10],
        "breadcrumbs": [(_("Ledger"), None)],
    }
    return render(request, "ledger/home.html", context)
