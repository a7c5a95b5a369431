"""Quote pages: parse, call a selector or service, render the page or its htmx fragment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core.capitals import amount_in_capitals
from suanpan.core.errors import DomainError
from suanpan.core.forms import form_service_submit, plain
from suanpan.core.listing import paginate
from suanpan.sales.choices import QuoteStatus
from suanpan.sales.forms.contracts import ContractFromQuoteForm
from suanpan.sales.forms.lines import line_formset
from suanpan.sales.forms.quotes import QuoteForm, ReasonForm
from suanpan.sales.models import Quote
from suanpan.sales.selectors import quotes as selectors
from suanpan.sales.selectors.opportunities import opportunity_for_quote
from suanpan.sales.services import contracts as contract_services
from suanpan.sales.services import quotes as services
from suanpan.sales.services.quote_pdf import quote_pdf_render
from suanpan.sales.views.common import list_page, sales_crumbs
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Number")),
    (None, gettext_lazy("Customer")),
    ("quoted_on", gettext_lazy("Date")),
    ("valid_until", gettext_lazy("Valid until")),
    ("status", gettext_lazy("Status")),
    ("amount", gettext_lazy("Amount including tax"), "text-end"),
    (None, gettext_lazy("Owner")),
]
FILTER_KEYS = ("q", "status", "expired", "owner", "customer", "quoted_after", "quoted_before")


def _quote_page(quote: Quote) -> HttpResponse:
    return redirect("sales:quote_detail", pk=quote.pk)


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return sales_crumbs((_("Quotes"), reverse("sales:quote_list")), *items)


@page_permission("sales.view_quote")
def quote_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.quote_list(user=request.user, filters=request.GET)
    return list_page(
        request,
        "sales/quotes/list.html",
        filterset=filterset,
        columns=LIST_COLUMNS,
        filtered=any(request.GET.get(key) for key in FILTER_KEYS),
        breadcrumbs=_crumbs(),
        subnav="quotes",
        **paginate(request, queryset),
    )


def _form_context(
    request: AuthenticatedHttpRequest, form: QuoteForm, formset: Any, quote: Quote | None
) -> dict[str, Any]:
    title = _("Edit quote %(number)s") % {"number": quote.number} if quote else _("New quote")
    crumbs = (
        _crumbs((quote.number, reverse("sales:quote_detail", args=[quote.pk])), (_("Edit"), None))
        if quote
        else _crumbs((_("New quote"), None))
    )
    return {
        "form": form,
        "formset": formset,
        "quote": quote,
        "title": title,
        "breadcrumbs": crumbs,
        "subnav": "quotes",
    }


@page_permission("sales.add_quote")
def quote_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"price_includes_tax": True, "quoted_on": timezone.localdate()}
    opportunity_id = request.GET.get("opportunity", "")
    if opportunity_id.isdigit():
        opportunity = opportunity_for_quote(user=request.user, pk=opportunity_id)
        if opportunity is not None:
            initial.update(opportunity=opportunity.pk, customer=opportunity.customer_id)
    customer_id = request.GET.get("customer", "")
    if customer_id.isdigit() and "customer" not in initial:
        initial["customer"] = int(customer_id)
    form = QuoteForm(request.POST or None, user=request.user, initial=initial)
    formset = line_formset(request.POST or None)
    done = form_service_submit(
        request,
        form,
        lambda: services.quote_create(
            actor=request.user,
            customer=form.cleaned_data["customer"],
            data=form.service_data(),
            lines=formset.line_inputs(),
        ),
        valid=all([form.is_valid(), formset.is_valid()]),
        message=lambda quote: _("Quote %(number)s created.") % {"number": quote.number},
        done=_quote_page,
    )
    if done is not None:
        return done
    return render(request, "sales/quotes/form.html", _form_context(request, form, formset, None))


@page_permission("sales.change_quote")
def quote_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    quote = selectors.quote_get(user=request.user, pk=pk)
    if quote.status != QuoteStatus.DRAFT:
        messages.error(request, _("Only draft quotes can be changed; copy this one instead."))
        return redirect("sales:quote_detail", pk=quote.pk)
    form = QuoteForm(request.POST or None, user=request.user, instance=quote)
    formset = line_formset(request.POST or None, lines=quote.lines.all())
    done = form_service_submit(
        request,
        form,
        lambda: services.quote_update(
            actor=request.user, quote=quote, data=form.service_data(), lines=formset.line_inputs()
        ),
        valid=all([form.is_valid(), formset.is_valid()]),
        message=_("Changes saved."),
        done=_quote_page,
    )
    if done is not None:
        return done
    return render(request, "sales/quotes/form.html", _form_context(request, form, formset, quote))


@page_permission("sales.view_quote")
def quote_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    quote = selectors.quote_get(user=request.user, pk=pk)
    lines = list(quote.lines.all())
    for line in lines:
        line.discount_display = (  # type: ignore[attr-defined]
            f"{plain(line.discount_rate * 100)}%" if line.discount_rate else ""
        )
    context = {
        "quote": quote,
        "lines": lines,
        "capitals": amount_in_capitals(quote.gross_amount),
        "contracts": quote.contracts.all(),
        "orders": quote.orders.all(),
        "conversions": selectors.quote_conversions(quote),
        "history": selectors.quote_history(quote=quote),
        "reason_form": ReasonForm(),
        "breadcrumbs": _crumbs((quote.number, None)),
        "subnav": "quotes",
    }
    return render(request, "sales/quotes/detail.html", context)


ACTIONS: dict[str, tuple[Callable[..., Quote], str, bool]] = {
    # action: (service, permission, takes a reason)
    "send": (services.quote_send, "sales.change_quote", False),
    "accept": (services.quote_accept, "sales.change_quote", False),
    "reject": (services.quote_reject, "sales.change_quote", True),
    "cancel": (services.quote_cancel, "sales.change_quote", True),
    "copy": (services.quote_copy, "sales.add_quote", False),
}


# The permission depends on the action (ACTIONS), so it is checked inside, not by a gate.
@page_permission()
@require_POST
def quote_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    service, permission, takes_reason = ACTIONS[action]
    quote = selectors.quote_get(user=request.user, pk=pk)
    if not request.user.has_perm(permission):
        raise PermissionDenied
    kwargs: dict[str, Any] = {}
    if takes_reason:
        form = ReasonForm(request.POST)
        kwargs["reason"] = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        result = service(actor=request.user, quote=quote, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("sales:quote_detail", pk=quote.pk)
    if action == "copy":
        messages.success(
            request,
            _("Quote %(number)s copied into the new draft %(copy)s.")
            % {"number": quote.number, "copy": result.number},
        )
        return redirect("sales:quote_edit", pk=result.pk)
    messages.success(
        request,
        _("Quote %(number)s is now %(status)s.")
        % {"number": result.number, "status": result.get_status_display()},
    )
    return redirect("sales:quote_detail", pk=quote.pk)


@page_permission("sales.add_contract")
def quote_convert_contract(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A quote already made into a contract goes to that contract, saying so."""
    quote = selectors.quote_get(user=request.user, pk=pk)
    existing = selectors.quote_contract(quote)
    if existing is not None:
        messages.info(
            request,
            _("Quote %(number)s was already converted to contract %(contract)s.")
            % {"number": quote.number, "contract": existing.number},
        )
        return redirect("sales:contract_detail", pk=existing.pk)
    form = ContractFromQuoteForm(
        request.POST or None,
        initial={"title": _("Contract for quote %(number)s") % {"number": quote.number}},
    )
    done = form_service_submit(
        request,
        form,
        lambda: contract_services.contract_create_from_quote(
            actor=request.user, quote=quote, data=form.service_data()
        ),
        message=lambda contract: (
            _("Contract %(number)s made from quote %(quote)s.")
            % {"number": contract.number, "quote": quote.number}
        ),
        done=lambda contract: redirect("sales:contract_detail", pk=contract.pk),
    )
    if done is not None:
        return done
    return render(
        request,
        "sales/quotes/convert_contract.html",
        {
            "quote": quote,
            "form": form,
            "breadcrumbs": _crumbs(
                (quote.number, reverse("sales:quote_detail", args=[quote.pk])),
                (_("Make a contract"), None),
            ),
            "subnav": "quotes",
        },
    )


@page_permission("sales.view_quote")
def quote_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    quote = selectors.quote_get(user=request.user, pk=pk)
    response = HttpResponse(quote_pdf_render(quote=quote), content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{quote.number}.pdf"'
    return response
