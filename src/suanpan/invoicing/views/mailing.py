"""Mailing register pages (发票寄送): the register with filters and its xlsx export, the list
of parcels not confirmed after N days, a parcel registered from one invoice or several of one
customer, receipt and return, the settings, and the customer's confirmation page (no login)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.core.forms import flash_refusal, form_service_submit
from suanpan.core.listing import list_render, paginate
from suanpan.core.sorting import sort_headers
from suanpan.core.spreadsheets import CONTENT_TYPES, sheet_write
from suanpan.invoicing.choices import MailingStatus
from suanpan.invoicing.forms.mailing import (
    MailingForm,
    ReceiveForm,
    ReturnedForm,
    SettingsForm,
    TrackingForm,
)
from suanpan.invoicing.models import InvoiceMailing
from suanpan.invoicing.selectors import mailing as selectors
from suanpan.invoicing.services import mailing as services
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", pgettext_lazy("mailing", "Invoice number")),
    ("customer", gettext_lazy("Customer")),
    (None, pgettext_lazy("mailing", "Amount incl. tax"), "text-end"),
    ("sent", gettext_lazy("Sent on")),
    ("courier", gettext_lazy("Courier company")),
    (None, gettext_lazy("Tracking number")),
    ("status", gettext_lazy("Status")),
    ("received", gettext_lazy("Received on")),
]
FILTER_NAMES = ("q", "status", "customer", "invoice", "courier", "sent_from", "sent_to")


def confirm_link(request: HttpRequest, mailing: InvoiceMailing) -> str:
    """The absolute address the accountant sends the customer (e-mail, WeChat)."""
    return request.build_absolute_uri(
        reverse("invoicing:mailing_confirm", args=[selectors.mailing_token(mailing)])
    )


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Invoice mailing"), reverse("invoicing:mailing_list")), *items]


def _export_rows(rows: Any) -> Iterator[Sequence[Any]]:
    for row in rows.iterator(chunk_size=500):
        yield (
            str(row.invoice),
            row.invoice.customer.name,
            row.invoice.gross_amount,
            row.sent_on,
            row.courier,
            row.tracking_number,
            row.recipient,
            row.phone,
            row.address,
            row.get_status_display(),
            row.received_on,
            _("Yes") if row.confirmed_by_customer else "",
            row.notes,
        )


def _export(rows: Any) -> FileResponse:
    header = [
        pgettext("mailing", "Invoice number"),
        _("Customer"),
        pgettext("mailing", "Amount incl. tax"),
        _("Sent on"),
        _("Courier company"),
        _("Tracking number"),
        _("Recipient"),
        _("Phone"),
        _("Address"),
        _("Status"),
        _("Received on"),
        _("Confirmed by the customer"),
        _("Notes"),
    ]
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        sheet_write(
            handle, fmt="xlsx", header=header, rows=_export_rows(rows), title=_("Invoice mailing")
        )
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename="invoice-mailing.xlsx",
        content_type=CONTENT_TYPES["xlsx"],
    )


@page_permission("invoicing.view_invoicemailing")
def mailing_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    rows, filterset = selectors.mailing_list(user=request.user, filters=request.GET)
    if request.GET.get("format") == "xlsx":
        return _export(rows)
    params = request.GET.copy()
    params.pop("page", None)
    params["format"] = "xlsx"
    context: dict[str, Any] = {
        "filter": filterset,
        "columns": sort_headers(request, LIST_COLUMNS),
        "breadcrumbs": _crumbs(),
        "filtered": any(request.GET.get(name) for name in FILTER_NAMES),
        "export_query": params.urlencode(),
        "mailing_nav": "list",
        **paginate(request, rows),
    }
    return list_render(request, "invoicing/mailing/list.html", context)


@page_permission("invoicing.view_invoicemailing")
def mailing_unconfirmed(request: AuthenticatedHttpRequest) -> HttpResponse:
    days = selectors.settings_get().unconfirmed_after_days
    rows = selectors.mailings_unconfirmed(user=request.user)
    return render(
        request,
        "invoicing/mailing/unconfirmed.html",
        {
            "days": days,
            "breadcrumbs": _crumbs((_("Not confirmed"), None)),
            "mailing_nav": "unconfirmed",
            **paginate(request, rows),
        },
    )


def _chosen_ids(request: HttpRequest) -> list[int]:
    source = request.POST if request.method == "POST" else request.GET
    ids = []
    for raw in source.getlist("invoice"):
        if raw.isdigit() and len(raw) < 12:
            ids.append(int(raw))
    return ids


@page_permission("invoicing.add_invoicemailing")
def mailing_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Without invoices chosen: the issued invoices not yet mailed, to tick (one customer's
    when `customer` is given). With them: the parcel's details, defaults from the customer."""
    ids = _chosen_ids(request)
    if not ids:
        customer = request.GET.get("customer", "")
        invoices = selectors.invoices_to_mail(
            user=request.user,
            customer_id=int(customer) if customer.isdigit() and len(customer) < 12 else None,
        )
        return render(
            request,
            "invoicing/mailing/choose.html",
            {
                "breadcrumbs": _crumbs((_("Mail invoices"), None)),
                "mailing_nav": "create",
                **paginate(request, invoices, per_page=100),
            },
        )
    chosen = selectors.invoices_for_mailing(user=request.user, ids=ids)
    initial: dict[str, Any] = {}
    if chosen:
        defaults = selectors.mailing_defaults(customer=chosen[0].customer)
        initial = {
            "recipient": defaults.recipient,
            "phone": defaults.phone,
            "address": defaults.address,
        }
    form = MailingForm(request.POST or None, initial=initial)
    done = form_service_submit(
        request,
        form,
        lambda: services.mailing_create(invoice_ids=ids, actor=request.user, **form.details()),
        message=lambda mailings: (
            _("%(count)s invoice(s) registered as mailed.") % {"count": len(mailings)}
        ),
        done=lambda mailings: redirect("invoicing:mailing_detail", pk=mailings[0].pk),
    )
    if done is not None:
        return done
    return render(
        request,
        "invoicing/mailing/form.html",
        {
            "form": form,
            "invoices": chosen,
            "missing": len(chosen) < len(set(ids)),
            "breadcrumbs": _crumbs((_("Mail invoices"), None)),
            "mailing_nav": "create",
        },
    )


@page_permission("invoicing.view_invoicemailing")
def mailing_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mailing = selectors.mailing_get(user=request.user, pk=pk)
    return render(
        request,
        "invoicing/mailing/detail.html",
        {
            "mailing": mailing,
            "parcel": selectors.mailing_parcel(mailing),
            "link": confirm_link(request, mailing) if mailing.status == MailingStatus.SENT else "",
            "receive_form": ReceiveForm(),
            "returned_form": ReturnedForm(),
            "history": selectors.mailing_history(mailing=mailing),
            "breadcrumbs": _crumbs((str(mailing.invoice), None)),
            "mailing_nav": "list",
        },
    )


@page_permission("invoicing.change_invoicemailing")
def mailing_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mailing = selectors.mailing_get(user=request.user, pk=pk)
    form = TrackingForm(request.POST or None, instance=mailing)
    done = form_service_submit(
        request,
        form,
        lambda: services.mailing_update(
            mailing=mailing,
            courier=form.cleaned_data["courier"],
            tracking_number=form.cleaned_data["tracking_number"],
            notes=form.cleaned_data["notes"],
            actor=request.user,
        ),
        message=_("Changes saved."),
        done=lambda saved: redirect("invoicing:mailing_detail", pk=saved.pk),
    )
    if done is not None:
        return done
    return render(
        request,
        "invoicing/mailing/edit.html",
        {
            "form": form,
            "mailing": mailing,
            "breadcrumbs": _crumbs(
                (str(mailing.invoice), reverse("invoicing:mailing_detail", args=[mailing.pk])),
                (_("Edit"), None),
            ),
            "mailing_nav": "list",
        },
    )


@require_POST
@page_permission("invoicing.change_invoicemailing")
def mailing_receive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mailing = selectors.mailing_get(user=request.user, pk=pk)
    form = ReceiveForm(request.POST)
    if not form.is_valid():
        flash_refusal(request, form=form)
    else:
        try:
            services.mailing_receive(
                mailing=mailing, received_on=form.cleaned_data["received_on"], actor=request.user
            )
        except DomainError as exc:
            flash_refusal(request, error=exc)
        else:
            messages.success(
                request, _("Invoice %(number)s recorded as received.") % {"number": mailing.invoice}
            )
    return redirect("invoicing:mailing_detail", pk=mailing.pk)


@require_POST
@page_permission("invoicing.change_invoicemailing")
def mailing_returned(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mailing = selectors.mailing_get(user=request.user, pk=pk)
    form = ReturnedForm(request.POST)
    if not form.is_valid():
        flash_refusal(request, form=form)
    else:
        try:
            services.mailing_returned(
                mailing=mailing, notes=form.cleaned_data["notes"], actor=request.user
            )
        except DomainError as exc:
            flash_refusal(request, error=exc)
        else:
            messages.success(
                request,
                _("Invoice %(number)s recorded as returned undelivered; it may be mailed again.")
                % {"number": mailing.invoice},
            )
    return redirect("invoicing:mailing_detail", pk=mailing.pk)


@page_permission("invoicing.change_invoicingsettings")
def mailing_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST or None, instance=selectors.settings_get())
    done = form_service_submit(
        request,
        form,
        lambda: services.settings_update(actor=request.user, **form.cleaned_data),
        message=_("Settings saved."),
        done=lambda _row: redirect("invoicing:mailing_settings"),
    )
    if done is not None:
        return done
    return render(
        request,
        "invoicing/mailing/settings.html",
        {
            "form": form,
            "breadcrumbs": _crumbs((pgettext("mailing", "Settings"), None)),
            "mailing_nav": "settings",
        },
    )


def mailing_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The customer's page (no login): what was sent, and a button that records receipt
    today. A changed link answers 400, an expired one 410, and nothing is written."""
    try:
        mailing = selectors.mailing_token_read(token)
    except DomainError as exc:
        return render(
            request,
            "invoicing/mailing/confirm.html",
            {"error": exc.message},
            status=exc.http_status,
        )
    confirmed: list[InvoiceMailing] = []
    error = ""
    if request.method == "POST":
        try:
            confirmed = services.mailing_confirm_by_customer(token=token)
        except DomainError as exc:
            error = exc.message
    parcel = selectors.mailing_parcel(mailing)
    return render(
        request,
        "invoicing/mailing/confirm.html",
        {
            "parcel": parcel,
            "mailing": mailing,
            "pending": any(m.status == MailingStatus.SENT for m in parcel),
            "just_confirmed": bool(confirmed),
            "error": error,
        },
        status=422 if error else 200,
    )
