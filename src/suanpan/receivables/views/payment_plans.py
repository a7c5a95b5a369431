"""Payment plan pages (回款计划): the instalments of every contract with what was invoiced and
received of each (filters, search, sort, pages, xlsx export), one contract's plan, and the
company's reminder setting."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core import listing
from suanpan.core.forms import form_service_submit
from suanpan.core.sorting import sort_headers
from suanpan.core.transfer_pages import stamped, xlsx_response
from suanpan.receivables import selectors, services
from suanpan.receivables.forms.payment_plans import ReceivablesSettingsForm
from suanpan.receivables.views._common import nav_context
from suanpan.sales.selectors import contract_get
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("due", gettext_lazy("Due date")),
    ("contract", gettext_lazy("Contract")),
    ("customer", gettext_lazy("Customer")),
    (None, gettext_lazy("Owner"), "d-none d-sm-table-cell"),
    ("amount", pgettext_lazy("payment plan", "Planned"), "text-end"),
    (None, pgettext_lazy("payment plan", "Invoiced"), "text-end d-none d-sm-table-cell"),
    (None, pgettext_lazy("payment plan", "Received"), "text-end d-none d-sm-table-cell"),
    (None, gettext_lazy("Still to receive"), "text-end"),
    (None, gettext_lazy("Status")),
]
FILTER_KEYS = ("q", "status", "owner", "customer", "contract", "due_from", "due_to")


def _settings_form(request: AuthenticatedHttpRequest) -> ReceivablesSettingsForm | None:
    if not request.user.has_perm("receivables.change_receivablessettings"):
        return None
    return ReceivablesSettingsForm(instance=selectors.receivables_settings_get())


def _list_context(
    request: AuthenticatedHttpRequest, *, settings_form: ReceivablesSettingsForm | None
) -> dict[str, Any]:
    rows, filterset = selectors.payment_plans(user=request.user, filters=request.GET)
    params = request.GET.copy()
    params.pop("page", None)
    params["format"] = "xlsx"
    page = listing.list_page(request, rows, rows_name="instalments")
    return {
        **page,
        "rows": selectors.plan_rows(page["instalments"]),
        "filter": filterset,
        "columns": sort_headers(request, LIST_COLUMNS),
        "filtered": any(request.GET.get(key) for key in FILTER_KEYS),
        "export_query": params.urlencode(),
        "settings_form": settings_form,
        "remind_days": selectors.receivables_settings_get().remind_days_before,
        **nav_context("payment_plans", (_("Payment plans"), None)),
    }


@page_permission("receivables.view_receipt")
def payment_plan_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    if request.GET.get("format") == "xlsx":
        rows, _filterset = selectors.payment_plans(user=request.user, filters=request.GET)
        return _export(rows)
    context = _list_context(request, settings_form=_settings_form(request))
    template = "receivables/payment_plans/list.html"
    return listing.list_render(request, template, context)


def _export_rows(rows: Any) -> Iterator[Sequence[Any]]:
    # A thousand instalments at a time, each chunk's figures in a few queries.
    chunk: list[Any] = []
    for instalment in rows.iterator(chunk_size=1000):
        chunk.append(instalment)
        if len(chunk) == 1000:
            yield from _export_chunk(chunk)
            chunk = []
    yield from _export_chunk(chunk)


def _export_chunk(instalments: list[Any]) -> Iterator[Sequence[Any]]:
    for row in selectors.plan_rows(instalments):
        instalment = row.instalment
        contract = instalment.contract
        yield (
            contract.number,
            contract.title,
            instalment.position,
            instalment.description,
            contract.customer.number,
            contract.customer.name,
            str(contract.owner) if contract.owner else "",
            instalment.due_on,
            row.figures.planned,
            row.figures.invoiced,
            row.figures.received,
            row.figures.open,
            row.status_label,
            row.figures.days_overdue or "",
        )


def _export(rows: Any) -> HttpResponseBase:
    header = [
        _("Contract number"),
        _("Contract"),
        _("Instalment"),
        _("Description"),
        _("Customer number"),
        _("Customer"),
        _("Owner"),
        _("Due date"),
        pgettext_lazy("payment plan", "Planned"),
        pgettext_lazy("payment plan", "Invoiced"),
        pgettext_lazy("payment plan", "Received"),
        _("Still to receive"),
        _("Status"),
        _("Days overdue"),
    ]
    return xlsx_response(
        filename=stamped("payment-plans"),
        title=_("Payment plans"),
        header=[str(title) for title in header],
        rows=_export_rows(rows),
    )


@page_permission("receivables.view_receipt")
def contract_plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = contract_get(user=request.user, pk=pk)
    plan = selectors.payment_plan(contract=contract)
    return render(
        request,
        "receivables/payment_plans/contract.html",
        {
            "contract": contract,
            "plan": plan,
            **nav_context(
                "payment_plans",
                (_("Payment plans"), reverse("receivables:payment_plan_list")),
                (contract.number, None),
            ),
        },
    )


@require_POST
@page_permission("receivables.change_receivablessettings")
def plan_settings(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    form = ReceivablesSettingsForm(request.POST, instance=selectors.receivables_settings_get())
    done = form_service_submit(
        request,
        form,
        lambda: services.receivables_settings_update(actor=request.user, **form.cleaned_data),
        message=_("Settings saved."),
        done=lambda _row: redirect("receivables:payment_plan_list"),
    )
    if done is not None:
        return done
    return render(
        request,
        "receivables/payment_plans/list.html",
        _list_context(request, settings_form=form),
        status=400,
    )
