"""Bad-debt pages (坏账): the period-end provision run (required against existing, posted on
confirmation), the provision matrix, individual provisions, write-offs with their approval by
another user, and recoveries on the write-off's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suanpan.core import listing
from suanpan.core.errors import DomainError
from suanpan.core.forms import form_service_submit, plain
from suanpan.customers.selectors import customer_get
from suanpan.customers.widgets import CustomerPicker
from suanpan.receivables import selectors, services
from suanpan.receivables.choices import ProvisionBucket, WriteOffStatus
from suanpan.receivables.errors import ProvisionNotUsed, SettlementInvalid
from suanpan.receivables.forms.bad_debts import (
    IndividualProvisionForm,
    MatrixForm,
    PeriodForm,
    RecoveryForm,
    ReverseForm,
    WriteOffForm,
)
from suanpan.receivables.selectors.bad_debts import provision_rates
from suanpan.receivables.views._common import item_rows, nav_context, source_url
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest


def _crumbs(*more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Bad debts"), reverse("receivables:provision")), *more]


@page_permission("receivables.view_provisionrun")
def provision(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The period-end run: the preview for the period chosen, and posting the difference (the
    page asks first)."""
    context: dict[str, Any] = nav_context("bad_debts", *_crumbs())
    # The runs' pagination alone (?page=) asks for no preview.
    data = request.POST if request.method == "POST" else None
    if data is None and "period" in request.GET:
        data = request.GET
    form = PeriodForm(data)
    context["form"] = form
    if request.method == "POST" and not request.user.has_perm("receivables.add_provisionrun"):
        raise PermissionDenied
    if form.is_bound and form.is_valid():
        period = form.cleaned_data["period"]
        done = form_service_submit(
            request,
            form,
            lambda: services.provision_post(period=period, actor=request.user),
            done=lambda run: redirect(f"{reverse('receivables:provision')}?period={period}"),
            message=lambda run: (
                _("Nothing to post: the provision is as required.")
                if run is None
                else _("Posted %(amount)s.") % {"amount": f"{run.change_amount:,.2f}"}
            ),
        )
        if done is not None:
            return done
        try:
            context["preview"] = selectors.provision_preview(period=period)
        except ProvisionNotUsed as exc:
            context["not_used"] = exc.message
        except DomainError as exc:
            form.add_error("period", exc.message)
    runs = selectors.provision_run_list()
    page = listing.paginate(request, runs)
    context.update(page)
    context["vouchers"] = selectors.provision_run_vouchers(runs=list(page["page_obj"]))
    context["bucket_labels"] = dict(ProvisionBucket.choices)
    context["keeps_provision"] = selectors.books_keep_provision()
    return render(request, "receivables/bad_debts/provision.html", context)


@page_permission("receivables.view_provisionrate")
def matrix(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The rates per ageing bucket, for every customer and per customer grade."""
    if request.method == "POST" and not request.user.has_perm("receivables.change_provisionrate"):
        raise PermissionDenied
    form = MatrixForm(request.POST if request.method == "POST" else None, rates=provision_rates())
    done = form_service_submit(
        request,
        form,
        lambda: services.provision_rates_save(rates=form.rate_inputs(), actor=request.user),
        done=lambda _saved: redirect("receivables:provision_matrix"),
        message=_("The provision matrix is saved."),
    )
    if done is not None:
        return done
    return render(
        request,
        "receivables/bad_debts/matrix.html",
        {
            "form": form,
            "rows": form.rows(),
            "buckets": ProvisionBucket.choices,
            **nav_context("bad_debts", *_crumbs((_("Provision matrix"), None))),
        },
    )


@page_permission("receivables.view_individualprovision")
def individual_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    rows = selectors.individual_provision_list(user=request.user, q=q)
    context = {
        "q": q,
        **listing.paginate(request, rows),
        **nav_context("bad_debts", *_crumbs((_("Individual provisions"), None))),
    }
    return render(request, "receivables/bad_debts/individual_list.html", context)


@page_permission("receivables.add_individualprovision")
def individual_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    found = selectors.individual_provision_get(user=request.user, pk=pk) if pk else None
    initial = (
        {
            "customer": found.customer_id,
            "amount": plain(found.amount),
            "rate": plain(found.rate),
            "reason": found.reason,
            "is_active": found.is_active,
        }
        if found
        else None
    )
    form = IndividualProvisionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        user=request.user,
        editing=found is not None,
    )
    done = form_service_submit(
        request,
        form,
        lambda: services.individual_provision_save(
            data=form.individual_input(), actor=request.user
        ),
        done=lambda _saved: redirect("receivables:individual_list"),
        message=_("The individual provision is saved."),
    )
    if done is not None:
        return done
    title = _("Individual provision") if found else _("New individual provision")
    return render(
        request,
        "receivables/bad_debts/individual_form.html",
        {
            "form": form,
            "found": found,
            "title": title,
            **nav_context(
                "bad_debts",
                *_crumbs(
                    (_("Individual provisions"), reverse("receivables:individual_list")),
                    (title, None),
                ),
            ),
        },
    )


@page_permission("receivables.view_writeoff")
def writeoff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = {"q": request.GET.get("q", ""), "status": request.GET.get("status", "")}
    if filters["status"] not in WriteOffStatus.values:
        filters["status"] = ""
    rows = selectors.writeoff_list(user=request.user, filters=filters)
    context = {
        "q": filters["q"][:100],
        "status": filters["status"],
        "statuses": WriteOffStatus.choices,
        "filtered": any(filters.values()),
        **listing.list_page(request, rows, rows_name="writeoffs"),
        **nav_context("writeoffs", *_crumbs((_("Write-offs"), None))),
    }
    return render(request, "receivables/bad_debts/writeoff_list.html", context)


@page_permission("receivables.add_writeoff")
def writeoff_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Without `customer`: the picker; then the customer's open invoices to tick, the amounts
    (each invoice's open amount until typed), the reason and the date."""
    raw = request.GET.get("customer", "")
    context: dict[str, Any] = nav_context(
        "writeoffs",
        *_crumbs(
            (_("Write-offs"), reverse("receivables:writeoff_list")), (_("New write-off"), None)
        ),
    )
    customer = customer_get(user=request.user, pk=raw) if raw else None
    context["picker"] = CustomerPicker(attrs={"id": "id_customer"}).render(
        "customer", customer.pk if customer else None
    )
    if customer is None:
        return render(request, "receivables/bad_debts/writeoff_form.html", context)
    try:
        debits = item_rows(selectors.customer_open_sides(customer=customer).debits)
    except SettlementInvalid as exc:
        context.update({"customer": customer, "sides_error": exc.message})
        return render(request, "receivables/bad_debts/writeoff_form.html", context)
    form = WriteOffForm(
        request.POST if request.method == "POST" else None, item_order=[d.pk for d in debits]
    )
    done = form_service_submit(
        request,
        form,
        lambda: services.writeoff_create(
            data=services.WriteOffInput(
                customer_id=customer.pk,
                reason=form.cleaned_data["reason"],
                items=form.items,
                written_off_on=form.cleaned_data["written_off_on"],
            ),
            actor=request.user,
        ),
        done=lambda writeoff: redirect("receivables:writeoff_detail", pk=writeoff.pk),
        message=lambda writeoff: (
            _("Write-off %(number)s recorded; it is posted once another user approves it.")
            % {"number": writeoff.number}
        ),
    )
    if done is not None:
        return done
    ticked = form.ticked()
    context.update(
        {
            "customer": customer,
            "form": form,
            "rows": [
                {
                    "row": row,
                    "checked": row.pk in ticked,
                    "typed": form.data.get(f"amount-{row.pk}", row.open_amount)
                    if form.is_bound
                    else row.open_amount,
                }
                for row in debits
            ],
        }
    )
    return render(request, "receivables/bad_debts/writeoff_form.html", context)


def _detail_context(request: AuthenticatedHttpRequest, writeoff: Any) -> dict[str, Any]:
    return {
        "writeoff": writeoff,
        "lines": [
            {"line": line, "url": source_url(line.source_type, line.source_id)}
            for line in writeoff.lines.all()
        ],
        "can_approve": writeoff.status == WriteOffStatus.DRAFT
        and request.user.has_perm("receivables.approve_writeoff")
        and writeoff.created_by_id != request.user.pk,
        "vouchers": selectors.writeoff_vouchers(writeoff=writeoff),
        "history": selectors.writeoff_history(writeoff=writeoff),
        **nav_context(
            "writeoffs",
            *_crumbs(
                (_("Write-offs"), reverse("receivables:writeoff_list")), (writeoff.number, None)
            ),
        ),
    }


@page_permission("receivables.view_writeoff")
def writeoff_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    writeoff = selectors.writeoff_get(user=request.user, pk=pk)
    context = _detail_context(request, writeoff)
    context["recovery_form"] = RecoveryForm()
    context["reverse_form"] = ReverseForm()
    return render(request, "receivables/bad_debts/writeoff_detail.html", context)


def _act(
    request: AuthenticatedHttpRequest, pk: int, perm: str, act: Any, done: str
) -> HttpResponse:
    """A button on the write-off's page. Someone else's answers 404 before 403."""
    writeoff = selectors.writeoff_get(user=request.user, pk=pk)
    if not request.user.has_perm(perm):
        raise PermissionDenied
    try:
        act(writeoff)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done % {"number": writeoff.number})
    return redirect("receivables:writeoff_detail", pk=pk)


@require_POST
@page_permission("receivables.view_writeoff")
def writeoff_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "receivables.approve_writeoff",
        lambda writeoff: services.writeoff_approve(writeoff=writeoff, actor=request.user),
        _("Write-off %(number)s approved and posted."),
    )


@require_POST
@page_permission("receivables.view_writeoff")
def writeoff_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "receivables.add_writeoff",
        lambda writeoff: services.writeoff_cancel(writeoff=writeoff, actor=request.user),
        _("Write-off %(number)s cancelled."),
    )


@require_POST
@page_permission("receivables.view_writeoff")
def writeoff_recover(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The recovery form on the write-off's page; errors show there again."""
    writeoff = selectors.writeoff_get(user=request.user, pk=pk)
    if not request.user.has_perm("receivables.add_recovery"):
        raise PermissionDenied
    form = RecoveryForm(request.POST)
    done = form_service_submit(
        request,
        form,
        lambda: services.recovery_create(
            writeoff=writeoff,
            amount=form.cleaned_data["amount"],
            on=form.cleaned_data["recovered_on"],
            notes=form.cleaned_data.get("notes", ""),
            actor=request.user,
        ),
        done=lambda _recovery: redirect("receivables:writeoff_detail", pk=pk),
        message=lambda recovery: _("Recovery %(number)s recorded.") % {"number": recovery.number},
    )
    if done is not None:
        return done
    context = _detail_context(request, writeoff)
    context["recovery_form"] = form
    context["reverse_form"] = ReverseForm()
    return render(request, "receivables/bad_debts/writeoff_detail.html", context, status=422)


@require_POST
@page_permission("receivables.view_writeoff")
def writeoff_reverse(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The reversal form on a posted write-off's page; errors show there again."""
    writeoff = selectors.writeoff_get(user=request.user, pk=pk)
    if not request.user.has_perm("receivables.approve_writeoff"):
        raise PermissionDenied
    form = ReverseForm(request.POST)
    done = form_service_submit(
        request,
        form,
        lambda: services.writeoff_reverse(
            writeoff=writeoff,
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["reversed_on"],
            actor=request.user,
        ),
        done=lambda _reversed: redirect("receivables:writeoff_detail", pk=pk),
        message=lambda reversed_: (
            _("Write-off %(number)s reversed.") % {"number": reversed_.number}
        ),
    )
    if done is not None:
        return done
    context = _detail_context(request, writeoff)
    context["recovery_form"] = RecoveryForm()
    context["reverse_form"] = form
    return render(request, "receivables/bad_debts/writeoff_detail.html", context, status=422)
