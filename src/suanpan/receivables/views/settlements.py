"""Settlement pages (核销): the 核销 screen of one customer (open debits and credits side by
side, settled by hand oldest first up to the amounts typed, or by automatic matching), the
list of settlements, one settlement with its lines, and undoing it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core import listing
from suanpan.core.errors import DomainError
from suanpan.core.forms import form_service_submit
from suanpan.core.sorting import sort_headers
from suanpan.customers.selectors import customer_by_id, customer_get, customer_is_visible
from suanpan.customers.widgets import CustomerPicker
from suanpan.receivables import selectors, services
from suanpan.receivables.calculations.pairing import pairs_oldest_first
from suanpan.receivables.errors import SettlementInvalid
from suanpan.receivables.forms.settlements import ACTION_AUTO, SettleForm
from suanpan.receivables.selectors import pages
from suanpan.receivables.views._common import ItemRow, item_rows, nav_context, source_url
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Settlement number")),
    ("settled", gettext_lazy("Settled on")),
    ("customer", gettext_lazy("Customer")),
    (None, gettext_lazy("Kind"), "d-none d-sm-table-cell"),
    (None, gettext_lazy("Receipt"), "d-none d-sm-table-cell"),
    (None, gettext_lazy("Status")),
    ("amount", gettext_lazy("Amount settled"), "text-end"),
]
FILTER_KEYS = ("q", "kind", "customer", "undone")


def _undone_choices(filterset: Any) -> None:
    """The undone filter in the list's words: its widget's own "Unknown / Yes / No" reads as a
    question nobody asked."""
    field = filterset.form.fields.get("undone")
    if field is not None:
        field.widget.choices = [
            ("unknown", _("Undone or not")),
            ("false", _("Not undone")),
            ("true", _("Undone")),
        ]


@page_permission("receivables.view_settlement")
def settlement_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    rows, filterset = selectors.settlement_list(user=request.user, filters=request.GET)
    _undone_choices(filterset)
    raw = request.GET.get("customer", "")
    customer = (
        customer_by_id(int(raw))
        if raw.isdigit()
        and len(raw) < 12
        and customer_is_visible(user=request.user, customer_id=int(raw))
        else None
    )
    context: dict[str, Any] = {
        "filter": filterset,
        "columns": sort_headers(request, LIST_COLUMNS),
        "filtered": any(request.GET.get(key) for key in FILTER_KEYS),
        "filter_customer": customer,
        **nav_context("settlements"),
        **listing.list_page(request, rows, rows_name="settlements"),
    }
    context["breadcrumbs"] = [
        (_("Receivables"), reverse("receivables:home")),
        (_("Settlements"), None),
    ]
    template = "receivables/settlements/list.html"
    return listing.list_render(request, template, context)


@page_permission("receivables.view_settlement")
def settlement_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    settlement = selectors.settlement_get(user=request.user, pk=pk)
    lines: list[dict[str, Any]] = [
        {
            "line": line,
            "debit_url": source_url(line.debit_source_type, line.debit_source_id),
            "credit_url": source_url(line.credit_source_type, line.credit_source_id),
        }
        for line in pages.settlement_lines(settlement)
    ]
    return render(
        request,
        "receivables/settlements/detail.html",
        {
            "settlement": settlement,
            "lines": [row for row in lines if not row["line"].is_transfer],
            "transfers": [row for row in lines if row["line"].is_transfer],
            "vouchers": pages.settlement_vouchers(settlement=settlement),
            "history": pages.settlement_history(settlement=settlement),
            **nav_context(
                "settlements",
                (_("Settlements"), reverse("receivables:settlement_list")),
                (settlement.number, None),
            ),
        },
    )


@require_POST
@page_permission("receivables.view_settlement")
def settlement_undo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Undo as a whole; the detail page asks first. Someone else's answers 404 before 403."""
    settlement = selectors.settlement_get(user=request.user, pk=pk)
    if not request.user.has_perm("receivables.undo_settlement"):
        raise PermissionDenied
    try:
        services.settlement_undo(settlement=settlement, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Settlement %(number)s undone: what it settled is open again.")
            % {"number": settlement.number},
        )
    return redirect("receivables:settlement_detail", pk=settlement.pk)


def _side_rows(rows: list[ItemRow], form: SettleForm, side: str) -> list[dict[str, Any]]:
    """Each row with whether it is ticked and the amount in its cell (its open amount until
    the user typed another)."""
    ticked = form.ticked(side)
    return [
        {
            "row": row,
            "checked": row.pk in ticked,
            "typed": form.data.get(f"amount-{row.pk}", row.open_amount)
            if form.is_bound
            else row.open_amount,
        }
        for row in rows
    ]


def _settle_run(form: SettleForm, customer: Any, user: Any) -> Any:
    data = form.cleaned_data
    if data["action"] == ACTION_AUTO:
        return services.settlement_auto(
            customer_id=customer.pk, actor=user, rule=data["rule"], on=data["settled_on"]
        )
    pairs = [
        services.Pair(pair.debit_item_id, pair.credit_item_id, pair.amount)
        for pair in pairs_oldest_first(form.debits, form.credits)
    ]
    return services.settlement_make(
        customer_id=customer.pk,
        pairs=pairs,
        actor=user,
        on=data["settled_on"],
        notes=data.get("notes", ""),
    )


def _settle_done(request: AuthenticatedHttpRequest, customer: Any, settlement: Any) -> HttpResponse:
    if settlement is None:
        messages.info(request, _("Nothing could be settled: no credit matched an amount owed."))
        return redirect(f"{reverse('receivables:settle')}?customer={customer.pk}")
    messages.success(
        request,
        _("Settlement %(number)s made: %(amount)s settled.")
        % {"number": settlement.number, "amount": f"{settlement.amount:,.2f}"},
    )
    return redirect("receivables:settlement_detail", pk=settlement.pk)


@page_permission("receivables.view_settlement")
def settle(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The 核销 screen. Without `customer`: the picker. Another salesperson's customer
    answers 404; settling needs `receivables.add_settlement` (403 without)."""
    raw = request.GET.get("customer", "")
    context: dict[str, Any] = nav_context("settle", (_("Settle"), None))
    customer = customer_get(user=request.user, pk=raw) if raw else None
    # The picker names the chosen customer only once the user is known to see it.
    picker = CustomerPicker(attrs={"id": "id_customer"})
    context["picker"] = picker.render("customer", customer.pk if customer else None)
    if customer is None:
        return render(request, "receivables/settlements/settle.html", context)
    if request.method == "POST" and not request.user.has_perm("receivables.add_settlement"):
        raise PermissionDenied
    try:
        sides = selectors.customer_open_sides(customer=customer)
    except SettlementInvalid as exc:
        context.update({"customer": customer, "sides_error": exc.message})
        return render(request, "receivables/settlements/settle.html", context)
    debits, credits = item_rows(sides.debits), item_rows(sides.credits, credit=True)
    form = SettleForm(
        request.POST if request.method == "POST" else None,
        debit_order=[row.pk for row in debits],
        credit_order=[row.pk for row in credits],
    )
    done = form_service_submit(
        request,
        form,
        lambda: _settle_run(form, customer, request.user),
        done=lambda settlement: _settle_done(request, customer, settlement),
    )
    if done is not None:
        return done
    context.update(
        {
            "customer": customer,
            "form": form,
            "debits": _side_rows(debits, form, "debit"),
            "credits": _side_rows(credits, form, "credit"),
            "debit_total": sides.debit_total,
            "credit_total": sides.credit_total,
        }
    )
    return render(request, "receivables/settlements/settle.html", context)
