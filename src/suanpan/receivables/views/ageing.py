"""The receivables ageing (账龄分析) by customer, salesperson or region, with the
reconciliation of open items against the control accounts beneath it when asked for (a pass
over every item and line of those accounts); xlsx of the table."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.listing import paginate
from suanpan.core.transfer_pages import xlsx_response
from suanpan.receivables.forms.ageing import AgeingForm
from suanpan.receivables.selectors.ageing import ageing_grouped, bucket_label, reconciliation
from suanpan.receivables.views._common import nav_context
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

ROWS_PER_PAGE = 100  # customers, salespeople or regions on a page


@page_permission("ledger.view_ledger_reports")
def ageing(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    # The form shows what the report uses: today, by due date, by customer, unless chosen.
    data = request.GET.copy()
    data.setdefault("as_of", timezone.localdate().isoformat())
    data.setdefault("basis", "due")
    data.setdefault("group", "customer")
    form = AgeingForm(data)
    context: dict[str, Any] = {"form": form, **nav_context("ageing", (_("Ageing"), None))}
    if form.is_valid():
        chosen = form.choices()
        # A salesperson's or region's row links here with its key: its customers alone.
        narrow = {
            name: request.GET[name][:100]
            for name in ("salesperson", "region")
            if name in request.GET
        }
        report = ageing_grouped(
            user=request.user,
            **chosen,
            salesperson=narrow.get("salesperson"),
            region=narrow.get("region"),
        )
        labels = [bucket_label(b.low, b.high) for b in report.buckets] if report else []
        if report is not None and request.GET.get("format") == "xlsx":
            rows: list[list[Any]] = [
                [row.label, row.customers, *row.amounts, row.total] for row in report.rows
            ]
            rows.append([_("Total"), "", *report.totals, report.total])
            return xlsx_response(
                filename=f"ageing-{report.group}-{report.as_of.isoformat()}",
                title=_("Ageing"),
                header=[_("Group"), _("Customers"), *labels, _("Total")],
                rows=rows,
            )
        params = data.copy()
        params.pop("page", None)
        context["drill_query"] = _with(
            params, group="customer", salesperson=None, region=None, format=None, reconcile=None
        )
        context["narrowed"] = narrow
        context.update(
            report=report,
            labels=labels,
            # A pass over every item and line of the control accounts: on request only.
            reconciliation=(
                reconciliation(as_of=chosen["as_of"]) if request.GET.get("reconcile") else None
            ),
            reconcile_query=_with(params, reconcile="1", format=None),
            export_query=_with(params, format="xlsx", reconcile=None),
            # A page of rows: by customer at 200,000 customers the whole table would be tens
            # of megabytes of HTML. The totals row covers every row, the xlsx lists them all.
            **paginate(request, report.rows if report else [], per_page=ROWS_PER_PAGE),
        )
    return _render(request, context)


def _with(params: QueryDict, **changes: str | None) -> str:
    """The query string of `params` with some parameters set (or removed, when None)."""
    changed = params.copy()
    for name, value in changes.items():
        changed.pop(name, None)
        if value is not None:
            changed[name] = value
    return changed.urlencode()


def _render(request: AuthenticatedHttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "receivables/ageing.html", context)
