"""Financial statements: the statement of a month with its checks, xlsx and PDF, the drill-down
behind a figure, the definition editor, the counter-account mapping and tagging cash lines."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.core.forms import form_add_domain_error
from suanpan.core.listing import paginate
from suanpan.ledger import selectors, services
from suanpan.ledger.choices import FinancialStatementKind, StatementFormat
from suanpan.ledger.forms.statements import (
    CashLinesForm,
    DefinitionFormSet,
    MappingFormSet,
    StatementForm,
    TagForm,
)
from suanpan.ledger.services.statement_files import statement_pdf, statement_xlsx
from suanpan.ledger.views.reports import _crumbs, report_view
from suanpan.users.http import AuthenticatedHttpRequest

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FILE_NAMES = {
    FinancialStatementKind.BALANCE_SHEET: "balance-sheet",
    FinancialStatementKind.INCOME: "income-statement",
    FinancialStatementKind.CASH_FLOW: "cash-flow-statement",
}

View = Callable[..., HttpResponseBase]


def statement_page(perm: str | None = None) -> Callable[[View], View]:
    """The reports' gate (and empty state without books), then `perm` for pages that write."""

    def decorate(view: View) -> View:
        @wraps(view)
        def gated(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if perm and not request.user.has_perm(perm):
                raise PermissionDenied
            if "kind" in kwargs and kwargs["kind"] not in FinancialStatementKind.values:
                raise Http404
            return view(request, *args, **kwargs)

        return report_view(gated)

    return decorate


def _statement_form(request: AuthenticatedHttpRequest) -> StatementForm:
    return StatementForm(
        request.GET,
        default_period=selectors.statement_month_default().key,
        default_format=selectors.statement_format_default(),
    )


def _statement_of(
    request: AuthenticatedHttpRequest, kind: str
) -> tuple[StatementForm, selectors.Statement | None]:
    form = _statement_form(request)
    if not form.is_valid():
        return form, None
    try:
        month = form.month()
    except DomainError as exc:
        form_add_domain_error(form, exc)
        return form, None
    return form, selectors.statement_build(kind=kind, fmt=form.cleaned_data["format"], month=month)


def _tabs(form: StatementForm | None = None) -> list[tuple[str, str, str]]:
    data = form.data if form is not None else {}
    query = urlencode({k: data[k] for k in ("period", "format") if data.get(k)})
    return [
        (
            kind.value,
            str(kind.label),
            reverse("ledger_reports:statement", args=[kind.value]) + f"?{query}",
        )
        for kind in FinancialStatementKind
    ]


@statement_page()
def statement(request: AuthenticatedHttpRequest, kind: str) -> HttpResponseBase:
    """A statement of a month in a format, its checks, and links to the figures behind it."""
    form, result = _statement_of(request, kind)
    title = str(FinancialStatementKind(kind).label)
    query = urlencode(
        {"period": form.data.get("period", ""), "format": form.data.get("format", "")}
    )
    return render(
        request,
        "ledger/statements/statement.html",
        {
            "title": title,
            "kind": kind,
            "form": form,
            "statement": result,
            "query": query,
            "tabs": _tabs(form),
            "has_postings": selectors.has_postings(),
            "breadcrumbs": _crumbs((title, None)),
        },
    )


@statement_page()
def statement_file(request: AuthenticatedHttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    """The statement as xlsx or PDF in the official layout."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    _form, result = _statement_of(request, kind)
    if result is None:
        messages.error(request, _("Correct the month and format to download the statement."))
        return redirect(reverse("ledger_reports:statement", args=[kind]))
    body = statement_xlsx(result) if fmt == "xlsx" else statement_pdf(result)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = f"{FILE_NAMES[FinancialStatementKind(kind)]}-{result.fmt}-{result.month.key}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@statement_page()
def statement_drilldown(request: AuthenticatedHttpRequest, kind: str) -> HttpResponseBase:
    """What makes up a figure: the accounts (or items, or lines) behind it, each linking on to
    the general ledger, the detail ledger and the vouchers."""
    form = _statement_form(request)
    line = request.GET.get("line", "")
    column = request.GET.get("column", "")
    if not form.is_valid() or not line.isdigit():
        raise Http404
    try:
        drill = selectors.statement_drilldown(
            kind=kind,
            fmt=form.cleaned_data["format"],
            month=form.month(),
            line_no=int(line),
            column_key=column,
        )
    except DomainError as exc:
        raise Http404 from exc
    period_from = selectors.period_by_key(drill.column.start.key)
    first = selectors.period_choices()
    context: dict[str, Any] = {
        "drill": drill,
        "kind": kind,
        "query": urlencode(
            {"period": form.cleaned_data["period"], "format": form.cleaned_data["format"]}
        ),
        # The ledgers behind a figure: movements over the column's months, balances from the
        # first month of the books.
        "period_from": (period_from.key if period_from else (first[0].key if first else "")),
        "books_from": first[0].key if first else "",
        "period_to": drill.column.end.key,
    }
    if drill.item_codes:
        context.update(
            paginate(
                request,
                selectors.statement_item_lines(item_codes=drill.item_codes, column=drill.column),
            )
        )
    title = _("Behind line %(line)s: %(label)s") % {"line": line, "label": drill.line.label}
    statement_url = reverse("ledger_reports:statement", args=[kind]) + "?" + context["query"]
    return render(
        request,
        "ledger/statements/drilldown.html",
        {
            **context,
            "title": title,
            "breadcrumbs": _crumbs(
                (str(FinancialStatementKind(kind).label), statement_url), (title, None)
            ),
        },
    )


@statement_page("ledger.change_statementdefinition")
def definition_edit(request: AuthenticatedHttpRequest, kind: str) -> HttpResponseBase:
    """The rows of a statement in a format: labels, line numbers, kinds and formulas."""
    fmt = request.GET.get("format") or selectors.statement_format_default()
    if fmt not in StatementFormat.values:
        raise Http404
    definition = selectors.statement_definition(kind=kind, fmt=fmt)
    if request.method == "POST":
        formset = DefinitionFormSet(request.POST, prefix="rows")
        if formset.is_valid():
            # In the order the positions give; rows ticked for deletion and blank ones left out.
            kept = [f for f in formset.ordered_forms if f.cleaned_data.get("label")]
            try:
                services.statement_definition_save(
                    actor=request.user, kind=kind, fmt=fmt, rows=[f.row() for f in kept]
                )
            except DomainError as exc:
                _place_row_errors(formset, kept, exc)
            else:
                messages.success(request, _("The statement's rows are saved."))
                return redirect(_edit_url(kind, fmt))
    else:
        formset = DefinitionFormSet(
            prefix="rows",
            initial=[
                {
                    "line_no": r.line_no,
                    "label": r.label,
                    "kind": r.kind,
                    "formula": r.formula,
                    "side": r.side,
                    "indent": r.indent,
                    "key": r.key,
                    "ORDER": position,
                }
                for position, r in enumerate(definition.rows, start=1)
            ],
        )
    title = _("Rows of the %(statement)s") % {"statement": FinancialStatementKind(kind).label}
    return render(
        request,
        "ledger/statements/definition.html",
        {
            "title": title,
            "kind": kind,
            "fmt": fmt,
            "fmt_label": StatementFormat(fmt).label,
            "definition": definition,
            "formset": formset,
            "two_sided": kind == FinancialStatementKind.BALANCE_SHEET,
            "breadcrumbs": _crumbs(
                (
                    str(FinancialStatementKind(kind).label),
                    reverse("ledger_reports:statement", args=[kind]) + f"?format={fmt}",
                ),
                (title, None),
            ),
        },
    )


def _edit_url(kind: str, fmt: str) -> str:
    return reverse("ledger_reports:statement_definition", args=[kind]) + f"?format={fmt}"


def _place_row_errors(formset: Any, forms_in_order: list[Any], exc: DomainError) -> None:
    """The service names rows by their position among those saved (rows.3.formula)."""
    top: list[str] = []
    for name, msgs in exc.fields.items():
        parts = name.split(".")
        if (
            parts[0] == "rows"
            and len(parts) == 3
            and parts[1].isdigit()
            and int(parts[1]) < len(forms_in_order)
        ):
            row = forms_in_order[int(parts[1])]
            field = parts[2] if parts[2] in row.fields else None
            for message in msgs:
                row.add_error(field, message)
        else:
            top += msgs
    if top or not exc.fields:
        formset._non_form_errors = formset.error_class(top or [exc.message])


@statement_page("ledger.change_statementdefinition")
@require_POST
def definition_restore(request: AuthenticatedHttpRequest, kind: str) -> HttpResponseBase:
    fmt = request.POST.get("format") or selectors.statement_format_default()
    try:
        services.statement_definition_restore(actor=request.user, kind=kind, fmt=fmt)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The standard's default rows are back."))
    return redirect(_edit_url(kind, fmt))


@statement_page()
def cash_flow_lines(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Cash lines of a range of months, untagged ones by default, to tag in bulk."""
    default = selectors.statement_month_default().key
    form = CashLinesForm(request.GET, default_period=default)
    tag_form = TagForm(request.POST if request.method == "POST" else None)
    can_tag = request.user.has_perm("ledger.change_cashflowtag")
    if request.method == "POST":
        if not can_tag:
            raise PermissionDenied
        if tag_form.is_valid():
            code = tag_form.cleaned_data.get("item") or ""
            item = selectors.cash_flow_item_by_code(code=code) if code else None
            ids = [int(x) for x in request.POST.getlist("lines") if x.isdigit()]
            try:
                count = services.cash_flow_tags_set(actor=request.user, line_ids=ids, item=item)
            except DomainError as exc:
                messages.error(
                    request,
                    " ".join(m for msgs in exc.fields.values() for m in msgs) or exc.message,
                )
            else:
                messages.success(request, _("%(count)s lines tagged.") % {"count": count})
                return redirect(request.get_full_path())
    context: dict[str, Any] = {"form": form, "tag_form": tag_form, "can_tag": can_tag}
    if form.is_valid():
        start, end = form.periods()
        lines = selectors.cash_flow_lines(
            period_from=start, period_to=end, untagged_only=not form.cleaned_data["all_lines"]
        )
        context.update(paginate(request, lines))
        shown = list(context["page_obj"].object_list)
        counters = selectors.counter_accounts(lines=shown)
        for line in shown:
            line.counter_text = counters.get(line.pk, "")
        context["lines"] = shown
    title = _("Cash-flow items of cash lines")
    return render(
        request,
        "ledger/statements/cash_lines.html",
        {**context, "title": title, "tabs": _tabs(), "breadcrumbs": _crumbs((title, None))},
    )


@statement_page("ledger.change_cashflowtag")
@require_POST
def cash_flow_defaults(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    form = CashLinesForm(request.POST, default_period=selectors.statement_month_default().key)
    if form.is_valid():
        start, end = form.periods()
        count = services.cash_flow_defaults_apply(
            actor=request.user, period_from=start, period_to=end
        )
        messages.success(request, _("%(count)s lines took their default items.") % {"count": count})
        query = urlencode({"period_from": start.key, "period_to": end.key})
    else:
        messages.error(request, _("Correct the months first."))
        query = ""
    return redirect(reverse("ledger_reports:cash_flow_lines") + (f"?{query}" if query else ""))


@statement_page("ledger.change_cashflowmapping")
def cash_flow_mapping(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Which item a cash line takes by default from its counter-account."""
    rows, stored = selectors.cash_flow_mapping()
    if request.method == "POST":
        formset = MappingFormSet(request.POST, prefix="rows")
        if formset.is_valid():
            kept = [
                f
                for f in formset.forms
                if f.cleaned_data.get("account") and not f.cleaned_data.get("DELETE")
            ]
            try:
                services.cash_flow_mapping_save(actor=request.user, rows=[f.row() for f in kept])
            except DomainError as exc:
                _place_row_errors(formset, kept, exc)
            else:
                messages.success(request, _("The mapping is saved."))
                return redirect("ledger_reports:cash_flow_mapping")
    else:
        formset = MappingFormSet(
            prefix="rows",
            initial=[
                {
                    "account": f"{r.account.code} {r.account.name}",
                    "inflow": r.inflow.code if r.inflow else "",
                    "outflow": r.outflow.code if r.outflow else "",
                }
                for r in rows
            ],
        )
    title = _("Cash-flow items by counter-account")
    return render(
        request,
        "ledger/statements/mapping.html",
        {
            "title": title,
            "formset": formset,
            "stored": stored,
            "tabs": _tabs(),
            "breadcrumbs": _crumbs((title, None)),
        },
    )


@statement_page("ledger.change_cashflowmapping")
@require_POST
def cash_flow_mapping_restore(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    services.cash_flow_mapping_restore(actor=request.user)
    messages.success(request, _("The standard's default mapping is back."))
    return redirect("ledger_reports:cash_flow_mapping")
