"""Bank statement pages (银行流水): importing a file (upload → what it holds → confirm), and the
queue of unmatched lines, confirmed as receipts many at a time or ignored with a reason, or one
line opened to choose its customer and the invoices it settles before confirming it; and a bank
account's column mapping, edited from a preset with a preview of a sample file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from suanpan.core import listing
from suanpan.core.errors import DomainError
from suanpan.core.forms import form_add_domain_error, form_service_submit
from suanpan.core.sorting import sort_headers
from suanpan.core.uploads import PendingUploads, filename_clean
from suanpan.receivables import selectors, services
from suanpan.receivables.calculations.bank_layouts import PRESETS
from suanpan.receivables.choices import BankLineStatus
from suanpan.receivables.forms.bank_statements import (
    IgnoreForm,
    LineConfirmForm,
    MappingForm,
    StatementFileForm,
    customer_picker_html,
    lines_to_confirm,
    mapping_initial,
    suggested_amounts,
    ticked_ids,
)
from suanpan.receivables.views._common import nav_context, open_invoices_context
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

IMPORT_PERMISSION = "receivables.add_statementimport"
UPLOADS = PendingUploads("receivables_statement")
SHOWN_ERRORS = 200
LIST_COLUMNS = [
    (None, ""),
    ("date", gettext_lazy("Date")),
    ("counterparty", gettext_lazy("Counterparty")),
    (None, gettext_lazy("Summary"), "d-none d-sm-table-cell"),
    (None, gettext_lazy("Bank account"), "d-none d-sm-table-cell"),
    (None, gettext_lazy("Suggested customer")),
    ("amount", gettext_lazy("Amount"), "text-end"),
    (None, ""),
]
FILTER_KEYS = ("q", "bank_account", "booked_from", "booked_to")


def _import_page(request: AuthenticatedHttpRequest, form: StatementFileForm) -> HttpResponse:
    return render(
        request,
        "receivables/bank_statements/import.html",
        {
            "form": form,
            "accounts": selectors.bank_accounts(),
            **nav_context("statement_import", (_("Import bank statement"), None)),
        },
        status=400 if form.is_bound else 200,
    )


def _report_page(
    request: AuthenticatedHttpRequest, report: Any, account: Any, token: str
) -> HttpResponse:
    errors = report.errors
    return render(
        request,
        "receivables/bank_statements/report.html",
        {
            "report": report,
            "account": account,
            "errors": errors[:SHOWN_ERRORS],
            "errors_hidden": max(len(errors) - SHOWN_ERRORS, 0),
            "new_lines": report.incoming + report.outgoing,
            "token": token,
            **nav_context(
                "statement_import",
                (_("Import bank statement"), reverse("receivables:statement_import")),
                (report.file_name, None),
            ),
        },
    )


def _commit(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    pending = UPLOADS.pending(request)
    if pending is None:
        messages.error(request, _("The upload has expired; upload the file again."))
        return redirect("receivables:statement_import")
    account = selectors.bank_account_get(pk=pending["bank_account"])
    try:
        report = services.statement_import(
            bank_account=account,
            data=UPLOADS.path(pending["token"]).read_bytes(),
            filename=pending["filename"],
            actor=request.user,
            preset=pending["preset"],
            encoding=pending["encoding"] or None,
            commit=True,
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("receivables:statement_import")
    UPLOADS.discard(request)
    messages.success(
        request,
        _("Imported %(added)s lines into %(account)s; %(duplicates)s were there already.")
        % {"added": report.added, "account": account, "duplicates": report.duplicates},
    )
    return redirect(
        f"{reverse('receivables:bank_lines')}?status=unmatched&bank_account={account.pk}"
    )


@page_permission(IMPORT_PERMISSION)
def statement_import(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """GET: the form. POST: a dry run shown for confirmation, then confirm (import) or cancel."""
    if request.method != "POST":
        return _import_page(request, StatementFileForm())
    action = request.POST.get("action", "preview")
    if action == "cancel":
        UPLOADS.discard(request)
        return redirect("receivables:statement_import")
    if action == "commit":
        return _commit(request)
    form = StatementFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        account = form.cleaned_data["bank_account"]
        data = upload.read()
        name = filename_clean(upload.name)
        preset = form.cleaned_data["preset"]
        encoding = form.cleaned_data.get("encoding") or ""
        try:
            report = services.statement_import(
                bank_account=account,
                data=data,
                filename=name,
                actor=request.user,
                preset=preset,
                encoding=encoding or None,
                commit=False,
            )
        except DomainError as exc:
            form.add_error("file", str(exc.message))
        else:
            token = UPLOADS.store(
                request,
                data=data,
                filename=name,
                bank_account=account.pk,
                preset=preset,
                encoding=encoding,
            )
            return _report_page(request, report, account, token)
    return _import_page(request, form)


def _queue_filters(request: AuthenticatedHttpRequest) -> Any:
    """The filters asked for; the queue (unmatched lines) unless a status is named."""
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = BankLineStatus.UNMATCHED
    return params


@page_permission("receivables.view_bankline")
def bank_lines(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = _queue_filters(request)
    rows, filterset = selectors.bank_line_list(user=request.user, filters=filters)
    page = listing.list_page(request, rows, rows_name="lines")
    lines = [
        {
            "line": line,
            "picker": customer_picker_html(line.pk)
            if line.status == BankLineStatus.UNMATCHED and line.suggested_customer_id is None
            else "",
        }
        for line in page["lines"]
    ]
    context: dict[str, Any] = {
        **page,
        "lines": lines,
        "filter": filterset,
        "accounts": selectors.bank_accounts(active_only=False),
        "columns": sort_headers(request, LIST_COLUMNS),
        "filtered": any(request.GET.get(key) for key in FILTER_KEYS),
        "queue": filters.get("status") == BankLineStatus.UNMATCHED,
        "back": request.get_full_path(),
        **nav_context("bank_lines", (_("Bank lines"), None)),
    }
    return render(request, "receivables/bank_statements/lines.html", context)


def _back(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Back to the queue as it was filtered (only a path of this site)."""
    back = str(request.POST.get("back", ""))
    if back.startswith(reverse("receivables:bank_lines")):
        return redirect(back)
    return redirect("receivables:bank_lines")


@require_POST
@page_permission("receivables.add_receipt")
@page_permission("receivables.view_bankline")
def bank_lines_confirm(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Confirm the ticked lines at once, each as a receipt of its customer (the one picked,
    else the suggested one with the invoices suggested)."""
    ids = ticked_ids(request.POST)
    lines = selectors.bank_lines_get(user=request.user, pks=ids)
    if not lines:
        messages.error(request, _("Tick the lines to confirm."))
        return _back(request)
    confirms, missing = lines_to_confirm(request.POST, lines)
    if missing:
        messages.error(
            request,
            _("Choose the customer of the lines from %(payers)s, or untick them.")
            % {"payers": "、".join(line.counterparty_name or str(line.amount) for line in missing)},
        )
        return _back(request)
    try:
        receipts = services.bank_lines_confirm(lines=confirms, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return _back(request)
    messages.success(
        request,
        ngettext("%(count)s receipt recorded.", "%(count)s receipts recorded.", len(receipts))
        % {"count": len(receipts)},
    )
    return _back(request)


@require_POST
@page_permission("receivables.add_receipt")
@page_permission("receivables.view_bankline")
def bank_line_ignore(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    line = selectors.bank_line_get(user=request.user, pk=pk)
    # The queue posts every row's reason box; this row's is the one that counts.
    form = IgnoreForm({"reason": request.POST.get(f"reason_{pk}", request.POST.get("reason", ""))})
    if not form.is_valid():
        messages.error(request, _("Say why the line is ignored."))
        return _back(request)
    try:
        services.bank_line_ignore(line=line, reason=form.cleaned_data["reason"], actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return _back(request)
    messages.success(request, _("The line is ignored."))
    return _back(request)


@page_permission("receivables.add_receipt")
@page_permission("receivables.view_bankline")
def bank_line_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """One line of the queue opened: change its customer and which invoices it settles by how
    much (part of one, several, or none: the rest stays the customer's advance), then confirm
    it as a receipt. GET starts from the suggestion."""
    line = selectors.bank_line_get(user=request.user, pk=pk)
    data = request.POST if request.method == "POST" else None
    form = LineConfirmForm(data, user=request.user)
    customer = line.suggested_customer
    typed = suggested_amounts(line)
    if data is None:
        if customer is not None:
            form.initial["customer"] = customer.pk
    else:
        typed = form.allocations_typed()
        customer = form.cleaned_data["customer"] if form.is_valid() else None
    done = form_service_submit(
        request,
        form,
        lambda: services.bank_lines_confirm(lines=[form.line_confirm(line)], actor=request.user),
        message=lambda receipts: _("Receipt %(number)s recorded.") % {"number": receipts[0].number},
        done=lambda _receipts: _back(request),
    )
    if done is not None:
        return done
    back = str(request.GET.get("back") or request.POST.get("back") or "")
    return render(
        request,
        "receivables/bank_statements/line.html",
        {
            "line": line,
            "form": form,
            "unmatched": line.status == BankLineStatus.UNMATCHED,
            "back": back if back.startswith(reverse("receivables:bank_lines")) else "",
            **open_invoices_context(customer, typed),
            **nav_context(
                "bank_lines",
                (_("Bank lines"), reverse("receivables:bank_lines")),
                (f"{line.booked_on} {line.counterparty_name}".strip(), None),
            ),
        },
        status=400 if data is not None else 200,
    )


def _mapping_start(request: AuthenticatedHttpRequest, account: Any) -> tuple[dict[str, Any], str]:
    """The form's starting values: the preset asked for (`?preset=`), else the account's saved
    mapping; and the preset's code when one was asked for."""
    code = str(request.GET.get("preset", ""))
    if code in PRESETS:
        return mapping_initial(PRESETS[code].mapping.as_dict()), code
    return mapping_initial(account.statement_mapping or {}), ""


@page_permission(IMPORT_PERMISSION)
def bank_account_mapping(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """GET: the account's column mapping (or a preset's, to start from). POST `preview`: the
    first rows of a sample file as the mapping typed reads them, nothing saved; `save`: keep
    the mapping; `forget`: drop it (files are then read by the layout their headers match)."""
    account = selectors.bank_account_get(pk=pk)
    initial, preset = _mapping_start(request, account)
    action = str(request.POST.get("action", "")) if request.method == "POST" else ""
    form = MappingForm(request.POST or None, request.FILES or None, initial=initial)
    sample = None
    if action == "forget":
        services.bank_account_mapping_save(bank_account=account, mapping={}, actor=request.user)
        messages.success(request, _("The column mapping is forgotten."))
        return redirect("receivables:bank_account_mapping", pk=account.pk)
    if action == "save":
        done = form_service_submit(
            request,
            form,
            lambda: services.bank_account_mapping_save(
                bank_account=account, mapping=form.mapping(), actor=request.user
            ),
            message=_("The column mapping is saved."),
            done=lambda saved: redirect("receivables:bank_account_mapping", pk=saved.pk),
        )
        if done is not None:
            return done
    elif action == "preview" and form.is_valid():
        upload = form.cleaned_data.get("sample")
        if upload is None:
            form.add_error("sample", _("Choose a sample file to preview."))
        else:
            try:
                sample = services.statement_sample(
                    data=upload.read(),
                    filename=filename_clean(upload.name),
                    mapping=form.mapping(),
                    actor=request.user,
                )
            except DomainError as exc:
                form_add_domain_error(form, exc)
    return render(
        request,
        "receivables/bank_statements/mapping.html",
        {
            "account": account,
            "form": form,
            "sample": sample,
            "presets": PRESETS.values(),
            "preset": preset,
            "saved": bool(account.statement_mapping),
            **nav_context(
                "statement_import",
                (_("Import bank statement"), reverse("receivables:statement_import")),
                (_("Column mapping of %(account)s") % {"account": account}, None),
            ),
        },
        status=400 if form.errors else 200,
    )
