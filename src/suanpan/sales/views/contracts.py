"""Contract pages: list, detail, forms, status actions, payment plan and attachments."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core.capitals import amount_in_capitals
from suanpan.core.errors import DomainError
from suanpan.core.forms import flash_refusal, form_service_submit, plain
from suanpan.core.listing import paginate
from suanpan.sales.forms.contracts import (
    ActivateForm,
    AttachmentForm,
    BaseInstalmentFormSet,
    ContractForm,
    InstalmentFormSet,
    TerminateForm,
)
from suanpan.sales.models import Contract
from suanpan.sales.selectors import contracts as selectors
from suanpan.sales.services import contracts as services
from suanpan.sales.views.common import list_page, sales_crumbs
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("number", gettext_lazy("Number")),
    (None, gettext_lazy("Title")),
    (None, gettext_lazy("Customer")),
    ("signed_on", gettext_lazy("Signed on")),
    ("ends_on", gettext_lazy("Ends on")),
    ("status", gettext_lazy("Status")),
    ("amount", gettext_lazy("Amount"), "text-end"),
    (None, gettext_lazy("Owner")),
]
FILTER_KEYS = ("q", "status", "owner", "customer", "quote", "signed_after", "signed_before")
PLAN_PREFIX = "plan"


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return sales_crumbs((_("Contracts"), reverse("sales:contract_list")), *items)


def _contract_page(contract: Contract) -> HttpResponse:
    return redirect("sales:contract_detail", pk=contract.pk)


def _detail_crumbs(contract: Contract, *items: tuple[str, str | None]) -> list[Any]:
    return _crumbs((contract.number, reverse("sales:contract_detail", args=[contract.pk])), *items)


@page_permission("sales.view_contract")
def contract_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.contract_list(user=request.user, filters=request.GET)
    return list_page(
        request,
        "sales/contracts/list.html",
        filterset=filterset,
        columns=LIST_COLUMNS,
        filtered=any(request.GET.get(key) for key in FILTER_KEYS),
        breadcrumbs=_crumbs(),
        subnav="contracts",
        **paginate(request, queryset),
    )


@page_permission("sales.add_contract")
def contract_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {}
    customer_id = request.GET.get("customer", "")
    if customer_id.isdigit():
        initial["customer"] = int(customer_id)
    form = ContractForm(request.POST or None, user=request.user, initial=initial)
    done = form_service_submit(
        request,
        form,
        lambda: services.contract_create(
            actor=request.user, customer=form.cleaned_data["customer"], data=form.service_data()
        ),
        message=lambda contract: _("Contract %(number)s created.") % {"number": contract.number},
        done=_contract_page,
    )
    if done is not None:
        return done
    return render(
        request,
        "sales/contracts/form.html",
        {
            "form": form,
            "title": _("New contract"),
            "breadcrumbs": _crumbs((_("New contract"), None)),
            "subnav": "contracts",
        },
    )


@page_permission("sales.change_contract")
def contract_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get(user=request.user, pk=pk)
    form = ContractForm(request.POST or None, user=request.user, instance=contract)
    done = form_service_submit(
        request,
        form,
        lambda: services.contract_update(
            actor=request.user, contract=contract, data=form.service_data()
        ),
        message=_("Changes saved."),
        done=_contract_page,
    )
    if done is not None:
        return done
    return render(
        request,
        "sales/contracts/form.html",
        {
            "form": form,
            "contract": contract,
            "title": _("Edit contract %(number)s") % {"number": contract.number},
            "breadcrumbs": _detail_crumbs(contract, (_("Edit"), None)),
            "subnav": "contracts",
        },
    )


@page_permission("sales.view_contract")
def contract_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get(user=request.user, pk=pk)
    instalments = list(contract.instalments.all())
    for instalment in instalments:
        instalment.percent_display = (  # type: ignore[attr-defined]
            f"{plain(instalment.percentage * 100)}%" if instalment.percentage is not None else ""
        )
    plan_total = selectors.plan_total(contract)
    context = {
        "contract": contract,
        "capitals": amount_in_capitals(contract.amount),
        "instalments": instalments,
        "plan_total": plan_total,
        "plan_balanced": not instalments or plan_total == contract.amount,
        "attachments": contract.attachments.all(),
        "orders": contract.orders.select_related("customer").order_by("-ordered_on", "-id"),
        "history": selectors.contract_history(contract=contract),
        "is_editable": contract.status in services.EDITABLE_STATUSES,
        "activate_form": ActivateForm(initial={"signed_on": contract.signed_on}),
        "terminate_form": TerminateForm(),
        "attachment_form": AttachmentForm(),
        "breadcrumbs": _crumbs((contract.number, None)),
        "subnav": "contracts",
    }
    return render(request, "sales/contracts/detail.html", context)


@page_permission("sales.change_contract")
@require_POST
def contract_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ("activate", "complete", "terminate"):
        raise Http404
    contract = selectors.contract_get(user=request.user, pk=pk)
    try:
        if action == "activate":
            form = ActivateForm(request.POST)
            signed_on = form.cleaned_data.get("signed_on") if form.is_valid() else None
            contract = services.contract_activate(
                actor=request.user, contract=contract, signed_on=signed_on
            )
        elif action == "complete":
            contract = services.contract_complete(actor=request.user, contract=contract)
        else:
            contract = services.contract_terminate(
                actor=request.user, contract=contract, reason=request.POST.get("reason", "")
            )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Contract %(number)s is now %(status)s.")
            % {"number": contract.number, "status": contract.get_status_display()},
        )
    return redirect("sales:contract_detail", pk=contract.pk)


@page_permission("sales.change_contract")
def contract_plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get(user=request.user, pk=pk)
    if contract.status not in services.EDITABLE_STATUSES:
        messages.error(request, _("The payment plan of a finished contract no longer changes."))
        return redirect("sales:contract_detail", pk=contract.pk)
    initial = [
        {
            "due_on": i.due_on,
            "percentage": plain(i.percentage * 100) if i.percentage is not None else None,
            "amount": i.amount if i.percentage is None else None,
            "description": i.description,
        }
        for i in contract.instalments.all()
    ]
    formset = cast(
        BaseInstalmentFormSet,
        InstalmentFormSet(
            request.POST or None, prefix=PLAN_PREFIX, initial=None if request.POST else initial
        ),
    )
    error = ""
    if request.method == "POST" and formset.is_valid():
        try:
            services.contract_plan_set(
                actor=request.user, contract=contract, instalments=formset.instalments()
            )
        except DomainError as exc:
            error = exc.message
            _plan_field_errors(formset, exc)
        else:
            messages.success(request, _("Payment plan saved."))
            return redirect("sales:contract_detail", pk=contract.pk)
    return render(
        request,
        "sales/contracts/plan.html",
        {
            "contract": contract,
            "formset": formset,
            "error": error,
            "breadcrumbs": _detail_crumbs(contract, (_("Payment plan"), None)),
            "subnav": "contracts",
        },
    )


def _plan_field_errors(formset: Any, exc: DomainError) -> None:
    """Put `instalments.N.field` messages on the row of the N-th filled instalment."""
    filled = [form for form in formset.forms if form.has_changed()]
    for key, messages_ in exc.fields.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "instalments" and parts[1].isdigit():
            index, field = int(parts[1]), parts[2]
            if index < len(filled) and field in filled[index].fields:
                for message in messages_:
                    filled[index].add_error(field, message)


@page_permission("sales.change_contract")
@require_POST
def attachment_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = selectors.contract_get(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.contract_attachment_add(
                actor=request.user, contract=contract, upload=form.cleaned_data["file"]
            )
        except DomainError as exc:
            flash_refusal(request, error=exc, headline=True)
        else:
            messages.success(request, _("%(name)s attached.") % {"name": attachment.name})
    else:
        flash_refusal(request, form=form)
    return redirect(f"{reverse('sales:contract_detail', args=[contract.pk])}#attachments")


@page_permission("sales.view_contract")
def attachment_download(
    request: AuthenticatedHttpRequest, pk: int, attachment_pk: int
) -> FileResponse:
    attachment = selectors.attachment_get(user=request.user, contract_pk=pk, pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=request.GET.get("inline") is None,
        filename=attachment.name,
    )


@page_permission("sales.change_contract")
@require_POST
def attachment_delete(
    request: AuthenticatedHttpRequest, pk: int, attachment_pk: int
) -> HttpResponse:
    attachment = selectors.attachment_get(user=request.user, contract_pk=pk, pk=attachment_pk)
    try:
        services.contract_attachment_delete(actor=request.user, attachment=attachment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s deleted.") % {"name": attachment.name})
    return redirect(f"{reverse('sales:contract_detail', args=[pk])}#attachments")
