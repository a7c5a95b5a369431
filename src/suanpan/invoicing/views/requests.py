"""Invoice request pages: the list (`invoicing:home`), raising one from an order, deliveries
or a contract instalment, detail, edit, approve, reject, cancel and recording the number of an
invoice issued at the tax platform by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core.capitals import amount_in_capitals
from suanpan.core.errors import DomainError
from suanpan.core.forms import flash_refusal, form_service_submit
from suanpan.core.listing import list_render, paginate
from suanpan.core.sorting import sort_headers
from suanpan.invoicing.choices import (
    REQUEST_EDITABLE_STATUSES,
    REQUEST_ISSUABLE_STATUSES,
    REQUEST_OPEN_STATUSES,
    InvoiceType,
    RequestSource,
    RequestStatus,
)
from suanpan.invoicing.forms.requests import (
    BUYER_FIELDS,
    IssueForm,
    RejectForm,
    RequestForm,
    TypedLineBaseFormSet,
    request_errors_place,
    typed_lines_formset,
)
from suanpan.invoicing.models import InvoiceRequest
from suanpan.invoicing.selectors import requests as selectors
from suanpan.invoicing.services import invoice_issue
from suanpan.invoicing.services import requests as services
from suanpan.invoicing.services.buyers import buyer_defaults
from suanpan.sales import selectors as sales_selectors
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Number")),
    ("customer", gettext_lazy("Customer")),
    ("buyer", gettext_lazy("Buyer"), "d-none d-xxl-table-cell"),
    (None, gettext_lazy("Raised from"), "d-none d-sm-table-cell"),
    ("type", gettext_lazy("Invoice type"), "d-none d-sm-table-cell"),
    ("status", gettext_lazy("Status")),
    ("requested", gettext_lazy("Request date"), "d-none d-sm-table-cell"),
    ("amount", gettext_lazy("Amount including tax"), "text-end"),
]
FILTER_NAMES = ("q", "status", "customer", "invoice_type", "requested_from", "requested_to")


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Invoice requests"), reverse("invoicing:home")), *items]


def _request_page(invoice_request: InvoiceRequest) -> HttpResponse:
    return redirect("invoicing:request_detail", pk=invoice_request.pk)


def _tabs(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    """One tab per status with its count; an approver's first tab is what waits for them."""
    counts = selectors.request_counts(user=request.user)
    statuses = list(RequestStatus)
    if request.user.has_perm("invoicing.approve_invoicerequest"):
        statuses.remove(RequestStatus.PENDING)
        statuses.insert(0, RequestStatus.PENDING)
    params = request.GET.copy()
    params.pop("page", None)
    current = request.GET.get("status", "")
    tabs = []
    params.pop("status", None)
    tabs.append(
        {
            "label": _("All"),
            "count": sum(counts.values()),
            "url": f"?{params.urlencode()}",
            "active": not current,
        }
    )
    for status in statuses:
        params["status"] = status.value
        tabs.append(
            {
                "label": status.label,
                "count": counts[status.value],
                "url": f"?{params.urlencode()}",
                "active": current == status.value,
            }
        )
    return tabs


@page_permission("invoicing.view_invoicerequest")
def request_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.request_list(user=request.user, filters=request.GET)
    context: dict[str, Any] = {
        "filter": filterset,
        "columns": sort_headers(request, LIST_COLUMNS),
        "tabs": _tabs(request),
        "breadcrumbs": _crumbs(),
        "subnav": "requests",
        "filtered": any(request.GET.get(name) for name in FILTER_NAMES),
        **paginate(request, queryset),
    }
    template = "invoicing/requests/list.html"
    return list_render(request, template, context)


def _ids(raw: str) -> list[int]:
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    if not ids or not all(part.isdigit() for part in ids):
        raise Http404
    return sorted({int(part) for part in ids})


def _instalment_initial(instalment: Any, room: Any) -> list[dict[str, Any]]:
    """One line for what remains of the instalment, under the contract's products' tax
    category where one has one."""
    category = selectors.instalment_tax_category(instalment=instalment)
    line: dict[str, Any] = {
        "item_name": (instalment.description or instalment.contract.title)[:100],
        "amount": room if room > 0 else None,
    }
    if category is not None:
        line.update(tax_code=category.code, vat_rate_key=category.vat_rate_key)
    return [line]


def _source(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """What `?order=`, `?deliveries=` or `?instalment=` (kept in the form as hidden fields)
    names: the documents, the customer and the service's source arguments."""
    params = request.POST if request.method == "POST" else request.GET
    user = request.user
    if params.get("deliveries"):
        ids = _ids(params["deliveries"])
        deliveries = selectors.deliveries_for_request(user=user, ids=ids)
        order = sales_selectors.order_for_invoicing(user=user, pk=deliveries[0].order_id)
        delivered: dict[int, Any] = {}
        for delivery in deliveries:
            for line in delivery.lines.all():
                delivered[line.order_line_id] = (
                    delivered.get(line.order_line_id, 0) + line.quantity - line.returned_quantity
                )
        rows = [row for row in selectors.order_line_rows(order=order) if row.line.pk in delivered]
        return {
            "kind": RequestSource.DELIVERIES,
            "order": order,
            "deliveries": deliveries,
            "delivery_ids": ",".join(str(pk) for pk in ids),
            "delivered": delivered,
            "customer": order.customer,
            "rows": rows,
            "args": {"source": RequestSource.DELIVERIES, "delivery_ids": tuple(ids)},
        }
    if params.get("instalment"):
        instalment = sales_selectors.instalment_for_invoicing(user=user, pk=params["instalment"])
        room = selectors.instalment_remaining(instalment=instalment)
        return {
            "kind": RequestSource.INSTALMENT,
            "instalment": instalment,
            "remaining": room,
            "customer": instalment.contract.customer,
            "initial_lines": _instalment_initial(instalment, room),
            "args": {"source": RequestSource.INSTALMENT, "instalment_id": instalment.pk},
        }
    if params.get("order"):
        order = sales_selectors.order_for_invoicing(user=user, pk=params["order"])
        return {
            "kind": RequestSource.ORDER,
            "order": order,
            "customer": order.customer,
            "rows": selectors.order_line_rows(order=order),
            "args": {"source": RequestSource.ORDER, "order_id": order.pk},
        }
    raise Http404


def _form_page(
    request: AuthenticatedHttpRequest,
    *,
    form: RequestForm,
    formset: TypedLineBaseFormSet | None,
    source: dict[str, Any],
    invoice_request: InvoiceRequest | None,
    breadcrumbs: list[Any],
) -> HttpResponse:
    return render(
        request,
        "invoicing/requests/form.html",
        {
            "form": form,
            "formset": formset,
            "source": source,
            "invoice_request": invoice_request,
            "buyer_fields": [form[name] for name in BUYER_FIELDS],
            "subnav": "requests",
            "breadcrumbs": breadcrumbs,
        },
    )


@page_permission("invoicing.add_invoicerequest")
def request_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    source = _source(request)
    data = request.POST if request.method == "POST" else None
    initial: dict[str, Any] = buyer_defaults(source["customer"])
    initial["invoice_type"] = (
        InvoiceType.E_NORMAL if initial["buyer_is_person"] else InvoiceType.E_SPECIAL
    )
    form = RequestForm(data, initial=initial, order_rows=source.get("rows", ()))
    formset = None
    if source["kind"] == RequestSource.INSTALMENT:
        formset = typed_lines_formset(data, initial=source["initial_lines"])

    def create() -> InvoiceRequest:
        args = dict(source["args"])
        if source["kind"] == RequestSource.ORDER:
            args["lines"] = form.lines()
        elif formset is not None:
            args["lines"] = formset.lines()
        return services.request_create(data=form.request_input(**args), actor=request.user)

    valid = form.is_valid() and (formset is None or formset.is_valid()) if data else False
    done = form_service_submit(
        request,
        form,
        create,
        valid=valid,
        on_error=lambda exc: request_errors_place(
            form,
            exc,
            line_keys=form.line_keys() if source["kind"] == RequestSource.ORDER else (),
            formset=formset,
        ),
        message=lambda made: (
            _("Invoice request %(number)s raised; it waits for approval.") % {"number": made.number}
        ),
        done=_request_page,
    )
    if done is not None:
        return done
    return _form_page(
        request,
        form=form,
        formset=formset,
        source=source,
        invoice_request=None,
        breadcrumbs=_crumbs((_("New invoice request"), None)),
    )


@page_permission("invoicing.view_invoicerequest")
def request_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invoice_request = selectors.request_get(user=request.user, pk=pk)
    user = request.user
    status = invoice_request.status
    reviewer = user.has_perm("invoicing.approve_invoicerequest")
    context = {
        "invoice_request": invoice_request,
        "lines": invoice_request.lines.all(),
        "invoice": selectors.request_invoice(request=invoice_request),
        "history": selectors.request_history(request=invoice_request),
        "capitals": amount_in_capitals(invoice_request.gross_amount),
        "can_edit": status in REQUEST_EDITABLE_STATUSES
        and user.has_perm("invoicing.change_invoicerequest"),
        "can_review": status == RequestStatus.PENDING
        and reviewer
        and invoice_request.requested_by_id != user.pk,
        "own_pending": status == RequestStatus.PENDING
        and reviewer
        and invoice_request.requested_by_id == user.pk,
        "can_cancel": status in REQUEST_OPEN_STATUSES
        and user.has_perm("invoicing.change_invoicerequest"),
        "can_issue": status in REQUEST_ISSUABLE_STATUSES
        and user.has_perm("invoicing.issue_invoice"),
        "reject_form": RejectForm(),
        "subnav": "requests",
        "breadcrumbs": _crumbs((invoice_request.number, None)),
    }
    return render(request, "invoicing/requests/detail.html", context)


def _edit_source(request: AuthenticatedHttpRequest, invoice_request: InvoiceRequest) -> Any:
    instalment = invoice_request.instalment
    if instalment is not None:
        return {
            "kind": RequestSource.INSTALMENT,
            "instalment": instalment,
            "remaining": selectors.instalment_remaining(
                instalment=instalment, request=invoice_request
            ),
            "customer": invoice_request.customer,
            "initial_lines": [
                {
                    "item_name": line.item_name,
                    "tax_code": line.tax_code,
                    "vat_rate_key": line.vat_rate_key,
                    "amount": line.gross_amount + line.discount_amount,
                    "discount": line.discount_amount or None,
                }
                for line in invoice_request.lines.all()
            ],
            "args": {"source": invoice_request.source},
        }
    order = sales_selectors.order_for_invoicing(user=request.user, pk=invoice_request.order_id or 0)
    rows = selectors.order_line_rows(order=order, request=invoice_request)
    if invoice_request.source == RequestSource.DELIVERIES:
        rows = [row for row in rows if row.current > 0]
    return {
        "kind": RequestSource.ORDER,
        "order": order,
        "customer": invoice_request.customer,
        "rows": rows,
        "delivery_numbers": invoice_request.delivery_numbers,
        "args": {"source": invoice_request.source, "order_id": order.pk},
    }


@page_permission("invoicing.change_invoicerequest")
def request_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invoice_request = selectors.request_get(user=request.user, pk=pk)
    if invoice_request.status not in REQUEST_EDITABLE_STATUSES:
        messages.error(
            request,
            _("%(number)s is %(status)s; it no longer changes.")
            % {"number": invoice_request.number, "status": invoice_request.get_status_display()},
        )
        return _request_page(invoice_request)
    source = _edit_source(request, invoice_request)
    data = request.POST if request.method == "POST" else None
    form = RequestForm(
        data, instance=invoice_request, order_rows=source.get("rows", ()), editing=True
    )
    formset = None
    if source["kind"] == RequestSource.INSTALMENT:
        formset = typed_lines_formset(data, initial=source["initial_lines"])

    def update() -> InvoiceRequest:
        lines = formset.lines() if formset is not None else form.lines()
        return services.request_update(
            request=invoice_request,
            data=form.request_input(lines=lines, **source["args"]),
            actor=request.user,
        )

    valid = form.is_valid() and (formset is None or formset.is_valid()) if data else False
    done = form_service_submit(
        request,
        form,
        update,
        valid=valid,
        on_error=lambda exc: request_errors_place(
            form,
            exc,
            line_keys=form.line_keys() if formset is None else (),
            formset=formset,
        ),
        message=_("Changes saved; the request waits for approval again."),
        done=_request_page,
    )
    if done is not None:
        return done
    return _form_page(
        request,
        form=form,
        formset=formset,
        source=source,
        invoice_request=invoice_request,
        breadcrumbs=_crumbs(
            (
                invoice_request.number,
                reverse("invoicing:request_detail", args=[invoice_request.pk]),
            ),
            (_("Edit"), None),
        ),
    )


def _not_now(request: AuthenticatedHttpRequest, invoice_request: InvoiceRequest) -> HttpResponse:
    messages.error(
        request,
        _("%(number)s is %(status)s; this cannot be done now.")
        % {"number": invoice_request.number, "status": invoice_request.get_status_display()},
    )
    return _request_page(invoice_request)


def _refused(
    request: AuthenticatedHttpRequest, invoice_request: InvoiceRequest, error: DomainError
) -> HttpResponse:
    flash_refusal(request, error=error)
    return _request_page(invoice_request)


@page_permission("invoicing.approve_invoicerequest")
@require_POST
def request_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invoice_request = selectors.request_get(user=request.user, pk=pk)
    try:
        services.request_approve(request=invoice_request, actor=request.user)
    except DomainError as exc:
        return _refused(request, invoice_request, exc)
    messages.success(
        request, _("Invoice request %(number)s approved.") % {"number": invoice_request.number}
    )
    return _request_page(invoice_request)


@page_permission("invoicing.approve_invoicerequest")
def request_reject(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invoice_request = selectors.request_get(user=request.user, pk=pk)
    if invoice_request.status != RequestStatus.PENDING:
        return _not_now(request, invoice_request)
    form = RejectForm(request.POST or None)
    done = form_service_submit(
        request,
        form,
        lambda: services.request_reject(
            request=invoice_request, reason=form.cleaned_data["reason"], actor=request.user
        ),
        message=_("Invoice request %(number)s sent back to its maker.")
        % {"number": invoice_request.number},
        done=_request_page,
    )
    if done is not None:
        return done
    return render(
        request,
        "invoicing/requests/reject.html",
        {
            "form": form,
            "invoice_request": invoice_request,
            "subnav": "requests",
            "breadcrumbs": _crumbs(
                (
                    invoice_request.number,
                    reverse("invoicing:request_detail", args=[invoice_request.pk]),
                ),
                (_("Reject"), None),
            ),
        },
    )


@page_permission("invoicing.change_invoicerequest")
@require_POST
def request_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invoice_request = selectors.request_get(user=request.user, pk=pk)
    try:
        services.request_cancel(request=invoice_request, actor=request.user)
    except DomainError as exc:
        return _refused(request, invoice_request, exc)
    messages.success(
        request, _("Invoice request %(number)s cancelled.") % {"number": invoice_request.number}
    )
    return _request_page(invoice_request)


@page_permission("invoicing.issue_invoice")
def request_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    invoice_request = selectors.request_get(user=request.user, pk=pk)
    if invoice_request.status not in REQUEST_ISSUABLE_STATUSES:
        return _not_now(request, invoice_request)
    form = IssueForm(request.POST or None)
    done = form_service_submit(
        request,
        form,
        lambda: invoice_issue(request=invoice_request, data=form.issue_input(), actor=request.user),
        message=lambda invoice: (
            _("Invoice %(number)s recorded for request %(request)s.")
            % {"number": invoice.number, "request": invoice_request.number}
        ),
        done=lambda invoice: _request_page(invoice_request),
    )
    if done is not None:
        return done
    return render(
        request,
        "invoicing/requests/issue.html",
        {
            "form": form,
            "invoice_request": invoice_request,
            "subnav": "requests",
            "breadcrumbs": _crumbs(
                (
                    invoice_request.number,
                    reverse("invoicing:request_detail", args=[invoice_request.pk]),
                ),
                (_("Record invoice number"), None),
            ),
        },
    )
