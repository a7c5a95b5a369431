"""Ledger report pages: trial balance, general and detail ledgers, customer balances, open items
and ageing; each page exports the same table as xlsx (`?format=xlsx`).

Views parse the filter form, call one selector and render; the selectors keep the query count
constant, so a page costs the same with a month of postings or ten years.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.core.forms import StyledFormMixin
from suanpan.core.pagination import paginate
from suanpan.core.spreadsheets import CONTENT_TYPES, sheet_write
from suanpan.ledger import calculations, selectors, services
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.errors import LedgerNotSetUp
from suanpan.ledger.models import Account, Dimension
from suanpan.users.http import AuthenticatedHttpRequest

PERMISSION = "ledger.view_ledger_reports"
LEVELS = [("", gettext_lazy("All levels")), ("1", "1"), ("2", "2"), ("3", "3")]

View = Callable[..., HttpResponseBase]


def report_view(view: View) -> View:
    """Login, the report permission (403 otherwise), and an empty state for books not set up."""

    @login_required
    @permission_required(PERMISSION, raise_exception=True)
    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            services.company_get()
        except LedgerNotSetUp as exc:
            return render(
                request,
                "ledger/reports/not_set_up.html",
                {"message": exc.message, "breadcrumbs": _crumbs()},
            )
        return view(request, *args, **kwargs)

    return wrapped


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Ledger reports"), reverse("ledger_reports:index")), *items]


def _querystring(request: AuthenticatedHttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return params.urlencode()


def _wants_xlsx(request: AuthenticatedHttpRequest) -> bool:
    return request.GET.get("format") == "xlsx"


def xlsx_response(
    *, filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> FileResponse:
    """The table as a streamed xlsx download (openpyxl write-only, via core.spreadsheets)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        sheet_write(handle, fmt="xlsx", header=header, rows=rows, title=title)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=CONTENT_TYPES["xlsx"]
    )


def _side(amount: Decimal) -> str:
    side = selectors.Signed.side(amount)
    return {"debit": _("Dr"), "credit": _("Cr")}.get(side, _("Flat"))


# ---------------------------------------------------------------------------- filter forms


def _period_choices() -> list[tuple[str, str]]:
    return [(p.key, f"{p.year}-{p.month:02d}") for p in selectors.period_choices()]


def _account_choices() -> list[tuple[str, str]]:
    return [(a.code, f"{a.code} {a.name}") for a in selectors.account_choices()]


class ReportForm(StyledFormMixin, forms.Form):
    """Filters shared by the reports; each report keeps the fields it needs."""

    fields_used: tuple[str, ...] = ()

    account = forms.ChoiceField(label=gettext_lazy("Account"))
    customer = forms.CharField(label=gettext_lazy("Customer number"), max_length=30, required=False)
    period_from = forms.ChoiceField(label=gettext_lazy("From period"))
    period_to = forms.ChoiceField(label=gettext_lazy("To period"))
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=LEVELS, required=False)
    date_from = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    as_of = forms.DateField(
        label=gettext_lazy("As of"), widget=forms.DateInput(attrs={"type": "date"})
    )
    bounds = forms.CharField(
        label=gettext_lazy("Bucket bounds (days)"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("Upper bounds separated by commas, e.g. 30,90,180,365."),
    )
    basis = forms.ChoiceField(
        label=gettext_lazy("Age by"), choices=selectors.AgeingBasis.choices, required=False
    )
    show_all = forms.BooleanField(label=gettext_lazy("Settled items too"), required=False)

    def __init__(self, data: Any, *, use: tuple[str, ...], defaults: dict[str, Any]) -> None:
        merged = {k: v for k, v in defaults.items() if v is not None}
        merged.update({k: v for k, v in data.items() if k in use and v != ""})
        super().__init__(merged)
        for name in list(self.fields):
            if name not in use:
                del self.fields[name]
        if "period_from" in self.fields:
            choices = _period_choices()
            self.fields["period_from"].choices = choices  # type: ignore[attr-defined]
            self.fields["period_to"].choices = choices  # type: ignore[attr-defined]
        if "account" in self.fields:
            self.fields["account"].choices = _account_choices()  # type: ignore[attr-defined]

    def clean_customer(self) -> Dimension | None:
        code = self.cleaned_data.get("customer", "").strip()
        if not code:
            return None
        dimension = selectors.dimension_by_code(code=code)
        if dimension is None:
            raise forms.ValidationError(_("No customer with this number in the books."))
        return dimension

    def clean_account(self) -> Account:
        account = selectors.account_by_code(code=self.cleaned_data["account"])
        if account is None:
            raise forms.ValidationError(_("Choose an account."))
        return account

    def clean_bounds(self) -> tuple[calculations.Bucket, ...]:
        text = self.cleaned_data.get("bounds", "").replace("，", ",").strip()
        if not text:
            return calculations.DEFAULT_BUCKETS
        try:
            return calculations.buckets_from_days([int(x) for x in text.split(",") if x.strip()])
        except ValueError as exc:
            raise forms.ValidationError(
                _("Enter increasing whole numbers of days, e.g. 30,90,180,365.")
            ) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("period_from", "period_to"):
            if name in data:
                data[name] = selectors.period_by_key(data[name])
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and (start.year, start.month) > (end.year, end.month):
            self.add_error("period_to", _("The range ends before it starts."))
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The range ends before it starts."))
        return data


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
        # Today, or the end of the latest period when postings are dated ahead of today.
        "as_of": max(
            timezone.localdate(), selectors.period_last_day(last) if last else date.min
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


# ---------------------------------------------------------------------------- pages


@report_view
def report_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "ledger/reports/index.html", {"breadcrumbs": _crumbs()})


@report_view
def trial_balance(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    title = _("Trial balance")
    form = _form(request, "period_from", "period_to", "level")
    balance = None
    if form.is_valid():
        level = form.cleaned_data.get("level")
        balance = selectors.trial_balance(
            period_from=form.cleaned_data["period_from"],
            period_to=form.cleaned_data["period_to"],
            level=int(level) if level else None,
        )
        if _wants_xlsx(request):
            header = [
                _("Code"),
                _("Account"),
                _("Opening debit"),
                _("Opening credit"),
                _("Period debit"),
                _("Period credit"),
                _("Closing debit"),
                _("Closing credit"),
            ]
            rows: list[list[Any]] = [
                [
                    r.account.code,
                    r.account.name,
                    r.opening_debit,
                    r.opening_credit,
                    r.debit,
                    r.credit,
                    r.closing_debit,
                    r.closing_credit,
                ]
                for r in balance.rows
            ]
            rows.append(
                [
                    "",
                    _("Total"),
                    balance.opening_debit,
                    balance.opening_credit,
                    balance.period_debit,
                    balance.period_credit,
                    balance.closing_debit,
                    balance.closing_credit,
                ]
            )
            return xlsx_response(
                filename=f"trial-balance-{form.cleaned_data['period_from'].key}-"
                f"{form.cleaned_data['period_to'].key}",
                title=title,
                header=header,
                rows=rows,
            )
    return _page(request, "ledger/reports/trial_balance.html", title, form=form, balance=balance)


@report_view
def drilldown(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The posted vouchers behind a balance: an account (subtree), a period range, a customer."""
    title = _("Vouchers behind a balance")
    form = _form(request, "account", "period_from", "period_to", "customer")
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        vouchers = selectors.voucher_drilldown(
            account=data["account"],
            period_from=data["period_from"],
            period_to=data["period_to"],
            dimension=data.get("customer"),
        ).prefetch_related("lines__account", "lines__dimension")
        if _wants_xlsx(request):
            return xlsx_response(
                filename=f"vouchers-{data['account'].code}",
                title=title,
                header=[_("Date"), _("Voucher"), _("Summary"), _("Debit"), _("Credit")],
                rows=(
                    [v.date, v.display_number, v.summary, *_voucher_totals(v)]
                    for v in vouchers.iterator(chunk_size=500)
                ),
            )
        context.update(paginate(request, vouchers), account=data["account"])
    return _page(request, "ledger/reports/drilldown.html", title, **context)


def _voucher_totals(voucher: Any) -> tuple[Decimal, Decimal]:
    lines = list(voucher.lines.all())
    return (
        sum((x.debit_amount for x in lines), calculations.ZERO),
        sum((x.credit_amount for x in lines), calculations.ZERO),
    )


@report_view
def general_ledger(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    title = _("General ledger")
    form = _form(request, "account", "period_from", "period_to")
    rows = None
    if form.is_valid():
        data = form.cleaned_data
        rows = selectors.general_ledger(
            account=data["account"], period_from=data["period_from"], period_to=data["period_to"]
        )
        if _wants_xlsx(request):
            return xlsx_response(
                filename=f"general-ledger-{data['account'].code}",
                title=title,
                header=[
                    _("Period"),
                    _("Opening"),
                    _("Debit"),
                    _("Credit"),
                    _("Year-to-date debit"),
                    _("Year-to-date credit"),
                    _("Direction"),
                    _("Closing"),
                ],
                rows=(
                    [
                        r.key,
                        r.opening,
                        r.debit,
                        r.credit,
                        r.year_debit,
                        r.year_credit,
                        _side(r.closing),
                        r.closing_abs,
                    ]
                    for r in rows
                ),
            )
    return _page(request, "ledger/reports/general_ledger.html", title, form=form, rows=rows)


@report_view
def account_detail(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    title = _("Detail ledger")
    form = _form(request, "account", "date_from", "date_to", "customer")
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        detail = selectors.account_detail(
            account=data["account"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            dimension=data.get("customer"),
        )
        if _wants_xlsx(request):
            head = [
                [
                    data["date_from"],
                    "",
                    _("Opening balance"),
                    "",
                    "",
                    "",
                    _side(detail.opening),
                    abs(detail.opening),
                ]
            ]
            body = (
                [
                    line.date,
                    line.voucher_number,
                    line.summary,
                    f"{line.account_code} {line.account_name}",
                    line.debit_amount,
                    line.credit_amount,
                    _side(line.balance),
                    abs(line.balance),
                ]
                for line in detail.lines.iterator(chunk_size=1000)
            )
            tail = [
                [
                    "",
                    "",
                    _("Total for the range"),
                    "",
                    detail.debit,
                    detail.credit,
                    _side(detail.closing),
                    abs(detail.closing),
                ]
            ]
            return xlsx_response(
                filename=f"detail-ledger-{data['account'].code}",
                title=title,
                header=[
                    _("Date"),
                    _("Voucher"),
                    _("Summary"),
                    _("Account"),
                    _("Debit"),
                    _("Credit"),
                    _("Direction"),
                    _("Balance"),
                ],
                rows=_chain(head, body, tail),
            )
        context.update(paginate(request, detail.lines), detail=detail)
    return _page(request, "ledger/reports/account_detail.html", title, **context)


def _chain(*parts: Iterable[Sequence[Any]]) -> Iterable[Sequence[Any]]:
    for part in parts:
        yield from part


@report_view
def customer_balances(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    title = _("Customer balances")
    form = _form(request, "account", "period_from", "period_to")
    report = None
    if form.is_valid():
        data = form.cleaned_data
        report = selectors.customer_balances(
            account=data["account"], period_from=data["period_from"], period_to=data["period_to"]
        )
        if _wants_xlsx(request):
            rows: list[list[Any]] = [
                [r.code, r.name, r.opening, r.debit, r.credit, r.closing] for r in report.rows
            ]
            rows.append(
                ["", _("Total"), report.opening, report.debit, report.credit, report.closing]
            )
            return xlsx_response(
                filename=f"customer-balances-{data['account'].code}",
                title=title,
                header=[
                    _("Customer number"),
                    _("Customer"),
                    _("Opening"),
                    _("Debit"),
                    _("Credit"),
                    _("Closing"),
                ],
                rows=rows,
            )
    return _page(request, "ledger/reports/customer_balances.html", title, form=form, report=report)


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
        report = selectors.ageing(
            as_of=data["as_of"],
            account=data["account"],
            buckets=data["bounds"],
            basis=data.get("basis") or selectors.AgeingBasis.DUE,
        )
        labels = [_bucket_label(b) for b in report.buckets]
        if _wants_xlsx(request):
            rows: list[list[Any]] = [[r.code, r.name, *r.amounts, r.total] for r in report.rows]
            rows.append(["", _("Total"), *report.totals, report.total])
            return xlsx_response(
                filename=f"ageing-{report.as_of.isoformat()}",
                title=title,
                header=[_("Customer number"), _("Customer"), *labels, _("Total")],
                rows=rows,
            )
        return _page(
            request,
            "ledger/reports/ageing.html",
            title,
            form=form,
            report=report,
            labels=labels,
            # A page of customers: at 200,000 customers the whole table would be megabytes of
            # HTML; the totals row still covers them all, and the xlsx export lists every one.
            **paginate(request, report.rows, per_page=100),
        )
    return _page(request, "ledger/reports/ageing.html", title, form=form, report=None)


def _bucket_label(bucket: calculations.Bucket) -> str:
    if bucket.high is not None and bucket.high <= 0:
        return _("Not yet due")
    if bucket.high is None:
        return _("Over %(days)s days") % {"days": bucket.low - 1}
    return _("%(low)s–%(high)s days") % {"low": bucket.low, "high": bucket.high}
