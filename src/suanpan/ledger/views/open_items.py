"""Open items, one item's history and ageing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import Http404
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

from suanpan.core.listing import page_number, paginate, paginate_fetched
from suanpan.core.transfer_pages import xlsx_response
from suanpan.ledger import calculations, selectors
from suanpan.ledger.views.reports import (
    _crumbs,
    _form,
    _page,
    _wants_xlsx,
    report_view,
)
from suanpan.users.http import AuthenticatedHttpRequest

AGEING_PER_PAGE = 100  # customers on a page of the ageing


@report_view
def open_items(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    title = _("Open items")
    form = _form(request, "account", "customer", "as_of", "show_all")
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        items = selectors.open_items(
            account=data["account"],
            dimension=data.get("customer"),
            as_of=data["as_of"],
            only_open=not data.get("show_all"),
        )
        if _wants_xlsx(request):
            return xlsx_response(
                filename=f"open-items-{data['as_of'].isoformat()}",
                title=title,
                header=[
                    _("Customer number"),
                    _("Customer"),
                    _("Voucher"),
                    _("Posting date"),
                    _("Due date"),
                    _("Summary"),
                    _("Amount"),
                    _("Open amount"),
                ],
                rows=(
                    [
                        item.dimension_code,
                        item.dimension_name,
                        item.voucher_number,
                        item.posted_on,
                        item.due_on,
                        item.summary,
                        item.amount,
                        item.open_amount,
                    ]
                    for item in items.iterator(chunk_size=1000)
                ),
            )
        context.update(paginate(request, items))
    return _page(request, "ledger/reports/open_items.html", title, **context)


@report_view
def item_history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    item = selectors.open_item_get(pk=pk)
    if item is None:
        raise Http404
    history = selectors.item_history(item=item)
    title = _("Open item %(voucher)s") % {"voucher": item.line.voucher.display_number}
    if _wants_xlsx(request):
        return xlsx_response(
            filename=f"open-item-{item.pk}",
            title=_("Open item"),
            header=[
                _("Match date"),
                _("Voucher"),
                _("Summary"),
                _("Amount"),
                _("Undone on"),
                _("By"),
            ],
            rows=(
                [
                    row.matched_on,
                    row.voucher_number,
                    row.summary,
                    row.amount,
                    row.undone_on,
                    row.created_by,
                ]
                for row in history.rows
            ),
        )
    crumbs = _crumbs(
        (_("Open items"), f"{reverse('ledger_reports:open_items')}?customer={item.dimension.code}"),
        (title, None),
    )
    return _page(
        request, "ledger/reports/item_history.html", title, history=history, breadcrumbs=crumbs
    )


@report_view
def ageing(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    title = _("Ageing")
    form = _form(request, "account", "as_of", "bounds", "basis")
    report = None
    if form.is_valid():
        data = form.cleaned_data
        basis = data.get("basis") or selectors.AgeingBasis.DUE
        if _wants_xlsx(request):
            stream = selectors.AgeingStream(
                as_of=data["as_of"], account=data["account"], buckets=data["bounds"], basis=basis
            )
            return xlsx_response(
                filename=f"ageing-{stream.as_of.isoformat()}",
                title=title,
                header=[
                    _("Customer number"),
                    _("Customer"),
                    *(_bucket_label(b) for b in stream.buckets),
                    _("Total"),
                ],
                rows=_ageing_sheet_rows(stream),
            )
        # A page of customers, asked of the database with the totals of all of them: at
        # 200,000 customers the whole table would be megabytes of HTML, and only the page's
        # rows reach Python; the xlsx export lists every one.
        asked = {
            "as_of": data["as_of"],
            "account": data["account"],
            "buckets": data["bounds"],
            "basis": basis,
            "per_page": AGEING_PER_PAGE,
        }
        report = selectors.ageing_page(**asked, number=page_number(request.GET.get("page")))
        if not report.rows and report.number > report.pages:  # past the end: the last page
            report = selectors.ageing_page(**asked, number=report.pages)
        labels = [_bucket_label(b) for b in report.buckets]
        return _page(
            request,
            "ledger/reports/ageing.html",
            title,
            form=form,
            report=report,
            labels=labels,
            **paginate_fetched(
                request,
                report.rows,
                count=report.count,
                number=report.number,
                per_page=report.per_page,
            ),
        )
    return _page(request, "ledger/reports/ageing.html", title, form=form, report=None)


def _ageing_sheet_rows(stream: selectors.AgeingStream) -> Iterator[list[Any]]:
    """Each customer's row as the database hands it over, then the totals of all of them."""
    for row in stream:
        yield [row.code, row.name, *row.amounts, row.total]
    totals = stream.totals
    if totals is not None:
        yield ["", _("Total"), *totals.totals, totals.total]


def _bucket_label(bucket: calculations.Bucket) -> str:
    if bucket.high is not None and bucket.high <= 0:
        return _("Not yet due")
    if bucket.high is None:
        return _("Over %(days)s days") % {"days": bucket.low - 1}
    return _("%(low)s–%(high)s days") % {"low": bucket.low, "high": bucket.high}
