"""Statement pages (对账单, 询证函): the list, a new statement (customer and period, previewed
before it is made), one statement with its lines, ageing, downloads, sending, marking the
customer's answer, its events and history; the customer's own page at the signed link (no
login); the monthly schedule switched on the customer's tab."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core import listing
from suanpan.core.errors import DomainError
from suanpan.core.forms import form_add_domain_error, form_service_submit
from suanpan.core.sorting import sort_headers
from suanpan.core.transfer_pages import xlsx_response
from suanpan.customers.selectors import customer_get
from suanpan.ledger.selectors import DetailLine
from suanpan.receivables import selectors, services
from suanpan.receivables.choices import StatementStatus
from suanpan.receivables.errors import (
    CustomerStatementAnswered,
    CustomerStatementInvalid,
    SettlementInvalid,
)
from suanpan.receivables.forms.statements import AnswerForm, ScheduleForm, SendForm, StatementForm
from suanpan.receivables.selectors.statements import (
    CustomerStatement,
    statement_events,
    statement_history,
)
from suanpan.receivables.services.statement_sheet import (
    statement_sheet_header,
    statement_sheet_rows,
)
from suanpan.receivables.views._common import nav_context, source_url
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Statement number")),
    ("customer", gettext_lazy("Customer")),
    ("end", gettext_lazy("Period"), "d-none d-sm-table-cell"),
    (None, gettext_lazy("Kind"), "d-none d-sm-table-cell"),
    (None, gettext_lazy("Status")),
    ("closing", gettext_lazy("Closing balance"), "text-end"),
]
FILTER_KEYS = ("q", "status", "kind", "customer")
PUBLIC_LANGUAGES = ("zh-hans", "en")


def _line_rows(lines: Sequence[DetailLine]) -> list[dict[str, Any]]:
    rows = []
    for line in lines:
        kind, number = selectors.line_document(line)
        rows.append(
            {
                "line": line,
                "document": f"{kind} {number}".strip(),
                "url": source_url(line.source_type, line.source_id),
            }
        )
    return rows


def _report_context(request: HttpRequest, report: CustomerStatement) -> dict[str, Any]:
    """The statement's lines a page at a time (oldest first), with opening, closing and the
    ageing."""
    lines = report.lines
    if isinstance(lines, list):
        paged: dict[str, Any] = {"lines": lines, "page": {}, "querystring_base": ""}
    else:
        paged = listing.list_page(request, lines, rows_name="lines", per_page=100)
    return {"report": report, "line_rows": _line_rows(paged.pop("lines")), **paged}


@page_permission("receivables.view_statement")
def statement_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    rows, filterset = selectors.statement_list(user=request.user, filters=request.GET)
    context: dict[str, Any] = {
        "filter": filterset,
        "columns": sort_headers(request, LIST_COLUMNS),
        "filtered": any(request.GET.get(key) for key in FILTER_KEYS),
        **nav_context("statements", (_("Statements"), None)),
        **listing.list_page(request, rows, rows_name="statements"),
    }
    template = "receivables/statements/list.html"
    return listing.list_render(request, template, context)


@page_permission("receivables.view_statement")
def statement_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Choose the customer and period: the statement is previewed from the ledger; making it
    (a POST) keeps its balances and number."""
    if request.method == "POST":
        form = StatementForm(request.POST, user=request.user)
    elif "customer" in request.GET:
        form = StatementForm(request.GET, user=request.user)
    else:
        form = StatementForm(user=request.user)
    done = form_service_submit(
        request,
        form,
        lambda: services.statement_create(data=form.statement_input(), actor=request.user),
        message=lambda made: _("Statement %(number)s made.") % {"number": made.number},
        done=lambda made: redirect("receivables:statement_detail", pk=made.pk),
    )
    if done is not None:
        return done
    context: dict[str, Any] = {
        "form": form,
        **nav_context(
            "statements",
            (_("Statements"), reverse("receivables:statement_list")),
            (_("New statement"), None),
        ),
    }
    if form.is_bound and form.is_valid() and not form.errors:
        data = form.cleaned_data
        if data["start_on"] <= data["end_on"]:
            try:
                report = selectors.statement_of(
                    customer=data["customer"], start=data["start_on"], end=data["end_on"]
                )
            except SettlementInvalid as exc:
                context["report_error"] = exc.message
            else:
                context.update(_report_context(request, report))
        else:
            form.add_error("end_on", _("The period cannot end before it starts."))
    return render(request, "receivables/statements/new.html", context)


def _detail_context(
    request: HttpRequest,
    statement: Any,
    *,
    send_form: SendForm | None = None,
    mark_form: AnswerForm | None = None,
) -> dict[str, Any]:
    report = selectors.statement_of(
        customer=statement.customer, start=statement.start_on, end=statement.end_on
    )
    schedule = selectors.statement_schedule_of(customer=statement.customer)
    default_email = statement.sent_to or (schedule.email if schedule else "")
    return {
        "statement": statement,
        "answered": statement.status in (StatementStatus.CONFIRMED, StatementStatus.DISPUTED),
        "send_form": send_form or SendForm(initial={"email": default_email}),
        "mark_form": mark_form or AnswerForm(),
        "events": statement_events(statement=statement)[:50],
        "history": statement_history(statement=statement),
        "changed": report.closing != statement.closing_amount,
        **_report_context(request, report),
        **nav_context(
            "statements",
            (_("Statements"), reverse("receivables:statement_list")),
            (statement.number, None),
        ),
    }


@page_permission("receivables.view_statement")
def statement_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = selectors.statement_get(user=request.user, pk=pk)
    return render(
        request, "receivables/statements/detail.html", _detail_context(request, statement)
    )


@page_permission("receivables.view_statement")
def statement_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = selectors.statement_get(user=request.user, pk=pk)
    response = HttpResponse(services.statement_pdf(statement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{statement.number}.pdf"'
    return response


@page_permission("receivables.view_statement")
def statement_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    statement = selectors.statement_get(user=request.user, pk=pk)
    return xlsx_response(
        filename=statement.number,
        title=statement.number,
        header=statement_sheet_header(),
        rows=statement_sheet_rows(statement),
    )


@require_POST
@page_permission("receivables.add_statement")
def statement_send(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """E-mail it (the page asks first); someone else's statement answers 404 first."""
    statement = selectors.statement_get(user=request.user, pk=pk)
    form = SendForm(request.POST)
    done = form_service_submit(
        request,
        form,
        lambda: services.statement_send(
            statement=statement,
            email=form.cleaned_data["email"],
            actor=request.user,
            site_url=request.build_absolute_uri("/"),
        ),
        message=lambda sent: (
            _("Statement %(number)s sent to %(email)s.")
            % {"number": sent.number, "email": sent.sent_to}
        ),
        done=lambda sent: redirect("receivables:statement_detail", pk=sent.pk),
    )
    if done is not None:
        return done
    return render(
        request,
        "receivables/statements/detail.html",
        _detail_context(request, statement, send_form=form),
        status=422,
    )


@require_POST
@page_permission("receivables.change_statement")
def statement_mark(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = selectors.statement_get(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    done = form_service_submit(
        request,
        form,
        lambda: services.statement_mark(
            statement=statement,
            answer=form.cleaned_data["answer"],
            notes=form.cleaned_data.get("notes", ""),
            actor=request.user,
        ),
        message=lambda marked: (
            _("Statement %(number)s marked %(status)s.")
            % {"number": marked.number, "status": marked.get_status_display()}
        ),
        done=lambda marked: redirect("receivables:statement_detail", pk=marked.pk),
    )
    if done is not None:
        return done
    return render(
        request,
        "receivables/statements/detail.html",
        _detail_context(request, statement, mark_form=form),
        status=422,
    )


@require_POST
@page_permission("receivables.add_statement")
def statement_schedule(request: AuthenticatedHttpRequest, customer_id: int) -> HttpResponse:
    """Switch the customer's monthly statement on or off (from the customer's tab)."""
    customer = customer_get(user=request.user, pk=customer_id)
    form = ScheduleForm(request.POST)
    back = reverse("customers:detail", args=[customer.pk]) + "?tab=receivables"
    done = form_service_submit(
        request,
        form,
        lambda: services.statement_schedule_set(
            customer_id=customer.pk,
            email=form.cleaned_data.get("email", ""),
            is_active=form.cleaned_data.get("is_active", False),
            actor=request.user,
        ),
        message=lambda schedule: (
            _("Monthly statements to %(email)s switched on.") % {"email": schedule.email}
            if schedule.is_active
            else _("Monthly statements switched off.")
        ),
        done=lambda _schedule: redirect(back),
    )
    if done is not None:
        return done
    errors = [str(e) for errors in form.errors.values() for e in errors]
    messages.error(request, " ".join(errors) or _("The schedule cannot be saved."))
    return redirect(back)


def _client(request: HttpRequest) -> tuple[str | None, str]:
    """The address and browser the customer answers from, for the statement's log."""
    return request.META.get("REMOTE_ADDR") or None, request.META.get("HTTP_USER_AGENT", "")[:300]


def statement_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's page at the signed link (no login): the statement and a confirm /
    dispute form. A changed link answers 400, an expired one 410, too many requests 429;
    those write nothing. Every view is logged; an answer is taken once."""
    language = request.GET.get("lang", "zh-hans")
    if language not in PUBLIC_LANGUAGES:
        language = "zh-hans"
    with translation.override(language):
        return _answer_page(request, token, language)


def _answer_page(request: HttpRequest, token: str, language: str) -> HttpResponse:
    ip, agent = _client(request)
    template = "receivables/statements/answer.html"
    form = AnswerForm(request.POST if request.method == "POST" else None)
    just_answered = False
    try:
        if request.method == "POST" and form.is_valid():
            try:
                statement = services.statement_answer_online(
                    token=token,
                    answer=form.cleaned_data["answer"],
                    notes=form.cleaned_data.get("notes", ""),
                    ip=ip,
                    user_agent=agent,
                )
                just_answered = True
            except (CustomerStatementAnswered, CustomerStatementInvalid) as exc:
                # Answered already, or not answerable: the page says why and still shows it.
                form_add_domain_error(form, exc)
                statement = services.statement_view_online(token=token, ip=ip, user_agent=agent)
        else:
            statement = services.statement_view_online(token=token, ip=ip, user_agent=agent)
    except DomainError as exc:
        return render(
            request,
            template,
            {"error": exc.message, "language": language},
            status=exc.http_status,
        )
    report = selectors.statement_of(
        customer=statement.customer, start=statement.start_on, end=statement.end_on
    )
    return render(
        request,
        template,
        {
            "statement": statement,
            "report": report,
            "line_rows": _line_rows(list(report.lines[:500])),
            "more_lines": report.lines[500:501].exists()
            if not isinstance(report.lines, list)
            else False,
            "form": form,
            "just_answered": just_answered,
            "answered": statement.status in (StatementStatus.CONFIRMED, StatementStatus.DISPUTED),
            "language": language,
        },
        status=422 if form.errors else 200,
    )
