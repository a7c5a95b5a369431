"""The pages goods receipts and stock adjustments share: list, detail, the create and edit
form with its line grid, and the post/cancel confirmation. Each document's module describes
itself in a `DocumentPages` (URL names, templates, words) and keeps its own permission gates,
services and messages."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.errors import DomainError
from suanpan.core.forms import form_add_domain_error
from suanpan.inventory.choices import StockDocumentStatus
from suanpan.inventory.forms.lines import (
    LINE_PREFIX,
    BaseStockLineFormSet,
    line_errors_place,
    line_initial,
)
from suanpan.inventory.models import GoodsReceipt, StockAdjustment
from suanpan.inventory.views.lists import list_page
from suanpan.users.http import AuthenticatedHttpRequest
from suanpan.users.models import User

Document = GoodsReceipt | StockAdjustment
FILTER_NAMES = ("q", "warehouse", "status", "date_from", "date_to")


@dataclass(frozen=True)
class Confirmation:
    """What the confirmation page of an action says."""

    title: str
    explanation: str
    button: str


@dataclass(frozen=True)
class DocumentPages:
    """How one stock document's pages differ from the other's."""

    name: str  # URL names inventory:<name>_list, _detail, …; the template context's key
    subnav: str
    title: Callable[[], str]  # the list's title, the root of the breadcrumbs
    document_name: Callable[[], str]  # what one document is called: "Goods receipt"
    new_title: Callable[[], str]  # the title of the page that creates one
    list_columns: Sequence[tuple[Any, ...]]
    list_read: Callable[..., tuple[QuerySet[Any], Any]]
    get: Callable[..., Any]
    vouchers: Callable[[Any], Any]
    # The confirmation of an action ("post" or "cancel"), or None when the status refuses it.
    confirmation: Callable[[Any, str], Confirmation | None]
    # Do the action as the user; the success message.
    act: Callable[[User, Any, str], str]
    form_class: type[forms.ModelForm]
    formset_class: type[BaseStockLineFormSet]
    date_field: str  # today's date for a new document
    # A service's line input from a grid row's product, quantity and unit cost.
    line_input: Callable[[Any, Any, Any], Any]
    create: Callable[..., Any]  # the service: (actor=, data=, lines=)
    update: Callable[[User, Any, Mapping[str, Any], list[Any]], Any]
    created: Callable[[Any], str]  # the message a new draft gets

    def template(self, page: str) -> str:
        return f"inventory/{self.name}s/{self.name}_{page}.html"

    def detail_url(self, document: Document) -> str:
        return reverse(f"inventory:{self.name}_detail", args=[document.pk])

    def crumbs(self, *items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
        return [(self.title(), reverse(f"inventory:{self.name}_list")), *items]

    def detail_crumbs(self, document: Document, *items: tuple[str, str | None]) -> list[Any]:
        return self.crumbs((document.number, self.detail_url(document)), *items)


def document_list(pages: DocumentPages, request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = pages.list_read(user=request.user, filters=request.GET)
    return list_page(
        request,
        pages.template("list"),
        rows=queryset,
        filterset=filterset,
        columns=pages.list_columns,
        breadcrumbs=pages.crumbs(),
        subnav=pages.subnav,
        filter_names=FILTER_NAMES,
    )


def document_detail(
    pages: DocumentPages, request: AuthenticatedHttpRequest, pk: int
) -> HttpResponse:
    document = pages.get(user=request.user, pk=pk)
    return render(
        request,
        pages.template("detail"),
        {
            pages.name: document,
            "document": document,
            "document_name": pages.document_name(),
            "lines": document.lines.all(),
            "vouchers": pages.vouchers(document),
            "breadcrumbs": pages.crumbs((document.number, None)),
            "subnav": pages.subnav,
        },
    )


def _errors_show(form: forms.BaseForm, formset: BaseStockLineFormSet, exc: DomainError) -> None:
    if not line_errors_place(formset, exc.fields):
        form_add_domain_error(form, exc)
    elif any(not key.startswith("lines.") for key in exc.fields):
        header = DomainError(
            fields={k: v for k, v in exc.fields.items() if not k.startswith("lines.")}
        )
        form_add_domain_error(form, header)


def _form_page(
    pages: DocumentPages,
    request: AuthenticatedHttpRequest,
    *,
    form: forms.BaseForm,
    formset: BaseStockLineFormSet,
    save: Callable[[list[Any]], Any],
    saved: Callable[[Any], str],
    breadcrumbs: list[Any],
    document: Document | None = None,
) -> HttpResponse:
    """On a valid POST `save` the lines, say `saved` and show the document; a refusal shows
    its messages next to the header fields or the lines they concern."""
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        lines = [pages.line_input(*values) for values in formset.line_values()]
        try:
            document = save(lines)
        except DomainError as exc:
            _errors_show(form, formset, exc)
        else:
            messages.success(request, saved(document))
            return redirect(f"inventory:{pages.name}_detail", pk=document.pk)
    context: dict[str, Any] = {"form": form, "formset": formset}
    if document is not None:
        context[pages.name] = document
        context["document"] = document
        context["detail_url"] = pages.detail_url(document)
    context["breadcrumbs"] = breadcrumbs
    context["new_title"] = pages.new_title()
    context["list_url"] = reverse(f"inventory:{pages.name}_list")
    return render(request, pages.template("form"), {"subnav": pages.subnav, **context})


def document_create(pages: DocumentPages, request: AuthenticatedHttpRequest) -> HttpResponse:
    form = pages.form_class(request.POST or None, initial={pages.date_field: timezone.localdate()})
    return _form_page(
        pages,
        request,
        form=form,
        formset=pages.formset_class(request.POST or None, prefix=LINE_PREFIX),
        save=lambda lines: pages.create(actor=request.user, data=form.cleaned_data, lines=lines),
        saved=pages.created,
        breadcrumbs=pages.crumbs((pages.new_title(), None)),
    )


def document_edit(pages: DocumentPages, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Change a draft; anything else goes back to its page with why."""
    document = pages.get(user=request.user, pk=pk)
    if document.status != StockDocumentStatus.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect(f"inventory:{pages.name}_detail", pk=document.pk)
    form = pages.form_class(request.POST or None, instance=document)
    return _form_page(
        pages,
        request,
        form=form,
        formset=pages.formset_class(
            request.POST or None, prefix=LINE_PREFIX, initial=line_initial(document.lines.all())
        ),
        save=lambda lines: pages.update(request.user, document, form.cleaned_data, lines),
        saved=lambda _document: _("Changes saved."),
        breadcrumbs=pages.detail_crumbs(document, (_("Edit"), None)),
        document=document,
    )


def document_action(
    pages: DocumentPages, request: AuthenticatedHttpRequest, pk: int, *, action: str
) -> HttpResponse:
    """GET asks for confirmation, saying what will happen; POST does it."""
    document = pages.get(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            messages.success(request, pages.act(request.user, document, action))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(f"inventory:{pages.name}_detail", pk=document.pk)
    confirmation = pages.confirmation(document, action)
    if confirmation is None:
        messages.error(
            request,
            _("%(number)s is %(status)s; this cannot be done now.")
            % {"number": document.number, "status": document.get_status_display()},
        )
        return redirect(f"inventory:{pages.name}_detail", pk=document.pk)
    return render(
        request,
        "inventory/stock/confirm.html",
        {
            "title": confirmation.title,
            "explanation": confirmation.explanation,
            "button": confirmation.button,
            "danger": action == "cancel",
            "back_url": pages.detail_url(document),
            "breadcrumbs": pages.detail_crumbs(document, (confirmation.button, None)),
            "subnav": pages.subnav,
        },
    )
