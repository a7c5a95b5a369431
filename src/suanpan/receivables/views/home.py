"""The receivables home page: where to go, and this month's receipts and settlements."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.receivables.selectors import pages
from suanpan.receivables.views._common import nav_context
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest


@page_permission("receivables.view_receipt")
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "today": today,
        **pages.month_figures(user=request.user, today=today),
        **nav_context("home"),
    }
    context["breadcrumbs"] = [(_("Receivables"), None)]
    return render(request, "receivables/home.html", context)
