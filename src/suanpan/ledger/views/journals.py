"""Journals: the account summary (科目汇总表) and the chronological journal (序时账), each with
its xlsx."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from suanpan.core.listing import paginate
from suanpan.core.transfer_pages import xlsx_response
from suanpan.ledger import selectors
from suanpan.ledger.filters.journals import ALL
from suanpan.ledger.forms.journals import AccountSummaryForm
from suanpan.ledger.services.journal_sheets import (
    journal_sheet_header,
    journal_sheet_rows,
    summary_sheet_rows,
)
from suanpan.ledger.views.reports import _page, _wants_xlsx, report_view
from suanpan.users.http import AuthenticatedHttpRequest


def _latest_month(request: AuthenticatedHttpRequest, *names: str) -> QueryDict:
    """The request's parameters, dated over the latest period when none of `names` is given."""
    params = request.GET.copy()
    if not any(params.get(name) for name in names):
        periods = selectors.period_choices()
        if periods:
            params["date_from"] = selectors.period_first_day(periods[-1]).isoformat()
            params["date_to"] = selectors.period_last_day(periods[-1]).isoformat()
    return params


@report_view
def account_summary(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    title = _("Account summary")
    form = AccountSummaryForm(_latest_month(request, "period", "date_from", "date_to"))
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        summary = selectors.account_summary(**form.summary_kwargs())
        if _wants_xlsx(request):
            return xlsx_response(
                filename=f"account-summary-{summary.date_from.isoformat()}",
                title=title,
                header=[_("Code"), _("Account"), _("Level"), _("Debit"), _("Credit")],
                rows=summary_sheet_rows(summary),
            )
        context["summary"] = summary
    return _page(request, "ledger/journals/account_summary.html", title, **context)


@report_view
def journal(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    title = _("Journal")
    params = _latest_month(request, "date_from", "date_to")
    lines, filterset = selectors.journal_list(filters=params)
    form = filterset.form
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        all_vouchers = form.cleaned_data.get("status") == ALL
        totals = selectors.journal_totals(lines)
        names = selectors.account_full_names()
        if _wants_xlsx(request):
            return xlsx_response(
                filename="journal",
                title=title,
                header=journal_sheet_header(all_vouchers=all_vouchers),
                rows=journal_sheet_rows(
                    lines, names=names, all_vouchers=all_vouchers, totals=totals
                ),
            )
        page = paginate(request, lines)
        rows = [(line, names.get(line.account_id, "")) for line in page["page_obj"].object_list]
        context.update(page, rows=rows, totals=totals, all_vouchers=all_vouchers)
    return _page(request, "ledger/journals/journal.html", title, **context)
