"""Period-end transfer pages (期末结转): a month's transfers with their previews and post
buttons, and the transfer templates (list, form, detail with history)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suanpan.core.errors import DomainError
from suanpan.core.forms import form_add_domain_error, form_service_submit
from suanpan.ledger import selectors, services
from suanpan.ledger.choices import TransferKind
from suanpan.ledger.forms import TransferTemplateForm, template_input, transfer_line_formset
from suanpan.ledger.models import Period, TransferTemplate
from suanpan.ledger.views.base import _crumbs, _error_text, ledger_page
from suanpan.users.http import AuthenticatedHttpRequest


def _period_crumbs(period: Period) -> list[tuple[str, str | None]]:
    return _crumbs(
        (_("Periods"), reverse("ledger:periods")),
        (_("Period-end transfers %(period)s") % {"period": period.key}, None),
    )


@ledger_page("ledger.view_transfertemplate")
def transfers_current(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The month the books are working in: the earliest open one."""
    company = services.company_get()
    period = selectors.period_current()
    key = period.key if period else company.first_period.strftime("%Y%m")
    return redirect("ledger:transfers", key=key)


@ledger_page("ledger.view_transfertemplate")
def transfers_page(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    period = selectors.transfer_period(key=key)
    previews = selectors.transfer_overview(period=period)
    first = services.company_get().first_period
    previous = date(period.year, period.month, 1) - timedelta(days=1)
    following = selectors.period_last_day(period) + timedelta(days=1)
    context: dict[str, Any] = {
        "period": period,
        "period_end": selectors.period_last_day(period).isoformat(),
        "previous_key": previous.strftime("%Y%m") if previous >= first else "",
        "next_key": following.strftime("%Y%m")
        if selectors.period_by_key(following.strftime("%Y%m"))
        else "",
        "previews": previews,
        "has_templates": selectors.transfer_template_list().exists(),
        "breadcrumbs": _period_crumbs(period),
    }
    return render(request, "ledger/transfers/period.html", context)


def _transfer_target(kind: str, pk: int | None) -> tuple[str, TransferTemplate | None]:
    if kind == "template" and pk is not None:
        return TransferKind.TEMPLATE, selectors.transfer_template_get(pk=pk)
    if kind in (TransferKind.VAT, TransferKind.PNL, TransferKind.YEAR_END) and pk is None:
        return kind, None
    raise Http404


@ledger_page("ledger.run_transfer")
@require_POST
def transfer_post(
    request: AuthenticatedHttpRequest, key: str, kind: str, pk: int | None = None
) -> HttpResponse:
    period = selectors.transfer_period(key=key)
    kind, template = _transfer_target(kind, pk)
    try:
        voucher = services.transfer_post(
            actor=request.user, period=period, kind=kind, template=template
        )
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        if voucher is None:
            messages.info(request, _("Nothing left to post: the books already hold this transfer."))
        else:
            messages.success(
                request,
                _("Voucher %(voucher)s posted.") % {"voucher": voucher.display_number},
            )
    anchor = f"#transfer-{kind}-{template.pk}" if template else f"#transfer-{kind}"
    return redirect(reverse("ledger:transfers", args=[key.replace("-", "")]) + anchor)


# ------------------------------------------------------------------------------ templates


def _template_crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return _crumbs((_("Transfer templates"), reverse("ledger:transfer_templates")), *items)


@ledger_page("ledger.view_transfertemplate")
def template_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.company_get()
    return render(
        request,
        "ledger/transfers/template_list.html",
        {"templates": selectors.transfer_template_list(), "breadcrumbs": _template_crumbs()},
    )


@ledger_page("ledger.view_transfertemplate")
def template_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    template = selectors.transfer_template_get(pk=pk)
    return render(
        request,
        "ledger/transfers/template_detail.html",
        {
            "template": template,
            "lines": list(template.lines.all()),
            "vouchers": selectors.transfer_template_vouchers(template=template),
            "history": selectors.transfer_template_history(template=template),
            "breadcrumbs": _template_crumbs((template.name, None)),
        },
    )


def _template_form_page(
    request: AuthenticatedHttpRequest, template: TransferTemplate | None
) -> HttpResponse:
    services.company_get()
    initial = (
        {
            "name": template.name,
            "summary": template.summary,
            "sequence": template.sequence,
            "is_active": template.is_active,
        }
        if template
        else None
    )
    form = TransferTemplateForm(request.POST or None, initial=initial)
    formset = transfer_line_formset(
        request.POST if request.method == "POST" else None, template=template
    )

    def save() -> TransferTemplate:
        data = template_input(form, formset)
        if template is None:
            return services.transfer_template_create(actor=request.user, data=data)
        return services.transfer_template_update(actor=request.user, template=template, data=data)

    def on_error(exc: DomainError) -> None:
        # A line's problem goes on its row; the rest (name, the lines as a whole) on the form.
        placed = formset.add_domain_error(exc)
        exc.fields = {k: v for k, v in exc.fields.items() if not k.startswith("lines.")}
        if exc.fields or not placed:
            form_add_domain_error(form, exc)
        else:
            form.add_error(None, _("Please correct the lines marked below."))

    done = form_service_submit(
        request,
        form,
        save,
        valid=all([form.is_valid(), formset.is_valid()]),
        on_error=on_error,
        message=_("Transfer template saved."),
        done=lambda saved: redirect("ledger:transfer_template", pk=saved.pk),
    )
    if done is not None:
        return done
    title = (
        _("Edit transfer template %(name)s") % {"name": template.name}
        if template
        else _("New transfer template")
    )
    crumbs = (
        _template_crumbs(
            (template.name, reverse("ledger:transfer_template", args=[template.pk])),
            (_("Edit"), None),
        )
        if template
        else _template_crumbs((_("New transfer template"), None))
    )
    return render(
        request,
        "ledger/transfers/template_form.html",
        {
            "form": form,
            "formset": formset,
            "template": template,
            "title": title,
            "breadcrumbs": crumbs,
        },
    )


@ledger_page("ledger.add_transfertemplate")
def template_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _template_form_page(request, None)


@ledger_page("ledger.change_transfertemplate")
def template_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _template_form_page(request, selectors.transfer_template_get(pk=pk))


@ledger_page("ledger.delete_transfertemplate")
@require_POST
def template_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    template = selectors.transfer_template_get(pk=pk)
    try:
        services.transfer_template_delete(actor=request.user, template=template)
    except DomainError as exc:
        messages.error(request, _error_text(exc))
        return redirect("ledger:transfer_template", pk=template.pk)
    messages.success(request, _("Transfer template %(name)s deleted.") % {"name": template.name})
    return redirect("ledger:transfer_templates")
