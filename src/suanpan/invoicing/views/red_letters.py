"""Red-letter pages: the form list, a form entered from an invoice, its detail with the
platform's actions and the red invoice, and the invoice's void and deduction actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.core.forms import flash_refusal, form_service_submit
from suanpan.core.listing import list_render, paginate
from suanpan.core.sorting import sort_headers
from suanpan.invoicing.choices import RED_FORM_ISSUABLE, RED_FORM_PENDING
from suanpan.invoicing.forms.red_letters import RedFormForm, RedIssueForm, VoidForm
from suanpan.invoicing.models import Invoice, RedLetterForm
from suanpan.invoicing.selectors import invoice_get, red_form_get, red_form_list, red_remaining
from suanpan.invoicing.services import red_invoices, voids
from suanpan.invoicing.services import red_letters as services
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Form number")),
    ("entered", gettext_lazy("Entered at")),
    ("customer", gettext_lazy("Customer")),
    (None, gettext_lazy("Invoice")),
    (None, gettext_lazy("Reason")),
    ("status", gettext_lazy("Status")),
    ("amount", gettext_lazy("Amount excl. tax"), "text-end"),
]


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Red-letter forms"), reverse("invoicing:red_form_list")), *items]


def _form_page(form: RedLetterForm) -> HttpResponse:
    return redirect("invoicing:red_form_detail", pk=form.pk)


def _errors_place(form: RedFormForm, error: DomainError) -> None:
    """The service's message on top; a line's message (`lines.<i>`) on that line's inputs."""
    form.add_error(None, error.message)
    chosen = form.lines() or []
    for name, field_messages in error.fields.items():
        parts = name.split(".")
        target: str | None = name if name in form.fields else None
        if parts[0] == "lines" and len(parts) > 1 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(chosen):
                entry = chosen[index]
                kind = "quantity" if entry.quantity is not None else "amount"
                target = f"{kind}_{entry.blue_line_id}"
        for message in field_messages:
            form.add_error(target, message)


@page_permission("invoicing.view_redletterform")
def red_form_list_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = red_form_list(user=request.user, filters=request.GET)
    context: dict[str, Any] = {
        "filter": filterset,
        "columns": sort_headers(request, LIST_COLUMNS),
        "breadcrumbs": _crumbs(),
        "filtered": any(request.GET.get(name) for name in ("q", "status", "reason", "invoice")),
        **paginate(request, queryset),
    }
    template = "invoicing/red_letters/list.html"
    return list_render(request, template, context)


@page_permission("invoicing.add_redletterform")
def red_form_create_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    invoice = invoice_get(
        user=request.user, pk=request.GET.get("invoice") or request.POST.get("invoice") or ""
    )
    form = RedFormForm(request.POST or None, invoice=invoice, remaining=red_remaining(invoice))
    done = form_service_submit(
        request,
        form,
        lambda: services.red_form_create(
            blue_invoice=invoice,
            initiator=form.cleaned_data["initiator"],
            reason=form.cleaned_data["reason"],
            lines=form.lines(),
            warehouse=form.cleaned_data.get("warehouse"),
            notes=form.cleaned_data.get("notes") or "",
            actor=request.user,
        ),
        on_error=lambda exc: _errors_place(form, exc),
        message=lambda created: (
            _("Red-letter form %(number)s entered.") % {"number": created.number}
        ),
        done=_form_page,
    )
    if done is not None:
        return done
    return render(
        request,
        "invoicing/red_letters/form.html",
        {
            "form": form,
            "invoice": invoice,
            "breadcrumbs": _crumbs((_("New red-letter form"), None)),
        },
    )


@page_permission("invoicing.view_redletterform")
def red_form_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = red_form_get(user=request.user, pk=pk)
    return render(
        request,
        "invoicing/red_letters/detail.html",
        {
            "red_form": form,
            "lines": form.lines.all(),
            "pending": form.status in RED_FORM_PENDING,
            "issuable": form.status in RED_FORM_ISSUABLE and form.red_invoice_id is None,
            "issue_form": RedIssueForm(),
            "breadcrumbs": _crumbs((form.number, None)),
        },
    )


def _form_action(
    request: AuthenticatedHttpRequest,
    pk: int,
    act: Callable[[RedLetterForm], Any],
    done: str,
) -> HttpResponse:
    form = red_form_get(user=request.user, pk=pk)
    try:
        act(form)
    except DomainError as exc:
        flash_refusal(request, error=exc, headline=True)
    else:
        messages.success(request, done % {"number": form.number})
    return _form_page(form)


@page_permission("invoicing.change_redletterform")
@require_POST
def red_form_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        lambda form: services.red_form_confirm(form=form, actor=request.user),
        _("Red-letter form %(number)s confirmed."),
    )


@page_permission("invoicing.change_redletterform")
@require_POST
def red_form_deny(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        lambda form: services.red_form_deny(form=form, actor=request.user),
        _("Red-letter form %(number)s denied."),
    )


@page_permission("invoicing.change_redletterform")
@require_POST
def red_form_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        lambda form: services.red_form_withdraw(form=form, actor=request.user),
        _("Red-letter form %(number)s withdrawn."),
    )


@page_permission("invoicing.change_redletterform")
@require_POST
def red_form_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _form_action(
        request,
        pk,
        lambda form: services.red_form_cancel(form=form, actor=request.user),
        _("Red-letter form %(number)s cancelled."),
    )


@page_permission("invoicing.issue_redletter")
@require_POST
def red_invoice_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = red_form_get(user=request.user, pk=pk)
    issue_form = RedIssueForm(request.POST)
    if not issue_form.is_valid():
        flash_refusal(request, form=issue_form)
        return _form_page(form)
    try:
        red = red_invoices.red_invoice_issue(
            form=form,
            number=issue_form.cleaned_data["number"],
            code=issue_form.cleaned_data.get("code") or "",
            issued_on=issue_form.cleaned_data["issued_on"],
            actor=request.user,
        )
    except DomainError as exc:
        flash_refusal(request, error=exc, headline=True)
    else:
        messages.success(request, _("Red invoice %(number)s recorded.") % {"number": str(red)})
    return _form_page(form)


def _invoice_back(request: AuthenticatedHttpRequest, invoice: Invoice) -> HttpResponse:
    """Back where the button was: the invoice page when it exists, else the form list."""
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(f"{reverse('invoicing:red_form_list')}?invoice={invoice.pk}")


@page_permission("invoicing.void_invoice")
@require_POST
def invoice_void(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invoice = invoice_get(user=request.user, pk=pk)
    form = VoidForm(request.POST)
    if not form.is_valid():
        flash_refusal(request, form=form)
        return _invoice_back(request, invoice)
    try:
        voids.invoice_void(
            invoice=invoice,
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data.get("on"),
            actor=request.user,
        )
    except DomainError as exc:
        flash_refusal(request, error=exc, headline=True)
    else:
        messages.success(request, _("Invoice %(number)s voided.") % {"number": str(invoice)})
    return _invoice_back(request, invoice)


@page_permission("invoicing.change_invoice")
@require_POST
def invoice_deducted(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invoice = invoice_get(user=request.user, pk=pk)
    deducted = request.POST.get("deducted", "1") != "0"
    try:
        voids.invoice_mark_deducted(invoice=invoice, actor=request.user, deducted=deducted)
    except DomainError as exc:
        flash_refusal(request, error=exc, headline=True)
    else:
        messages.success(
            request,
            (
                _("Invoice %(number)s recorded as used by the buyer.")
                if deducted
                else _("Invoice %(number)s no longer recorded as used by the buyer.")
            )
            % {"number": str(invoice)},
        )
    return _invoice_back(request, invoice)
