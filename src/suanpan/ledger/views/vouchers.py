"""Voucher pages: list, entry and editing, detail, workflow actions, print, look-ups."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from suanpan.core.capitals import amount_in_capitals
from suanpan.core.errors import DomainError
from suanpan.core.forms import form_add_domain_error
from suanpan.core.listing import list_render, paginate
from suanpan.core.sorting import sort_headers
from suanpan.ledger import selectors, services
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.choices import PrintLayout, VoucherStatus
from suanpan.ledger.forms import (
    LineForm,
    LineFormSet,
    ReverseForm,
    VoucherForm,
)
from suanpan.ledger.models import Voucher
from suanpan.ledger.services import LineInput
from suanpan.ledger.views.base import _crumbs, _error_text, _form_error_text, ledger_page
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("date", gettext_lazy("Date")),
    ("number", gettext_lazy("Voucher number")),
    ("summary", gettext_lazy("Summary")),
    (None, gettext_lazy("Amount"), "text-end"),
    ("status", gettext_lazy("Status")),
    (None, gettext_lazy("Maker"), "text-end"),
]


BLANK_ROWS = 4


def voucher_list_context(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """The voucher list of the request's filters, sort and page: the page and the batch
    actions' refusals render it alike."""
    company_ = services.company_get()
    queryset, filterset = selectors.voucher_list(filters=request.GET)
    context: dict[str, Any] = {
        "company": company_,
        "filter": filterset,
        "columns": sort_headers(request, LIST_COLUMNS),
        "filtered": any(
            request.GET.get(k)
            for k in (
                "period",
                "status",
                "word",
                "account",
                "customer",
                "q",
                "date_from",
                "date_to",
            )
        ),
        "breadcrumbs": _crumbs((_("Vouchers"), None)),
        **paginate(request, queryset),
    }
    for voucher in context["page_obj"].object_list:
        voucher.total_amount = selectors.voucher_debit_total(voucher)
    context["layouts"] = PrintLayout.choices
    return context


@ledger_page("ledger.view_voucher")
def voucher_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = voucher_list_context(request)
    return list_render(request, "ledger/vouchers/list.html", context)


def _line_initial(voucher: Voucher) -> list[dict[str, Any]]:
    return [
        {
            "account": f"{line.account.code} {line.account.name}",
            "dimension": f"{line.dimension.code} {line.dimension.name}" if line.dimension else "",
            "summary": line.summary,
            "debit": line.debit_amount or None,
            "credit": line.credit_amount or None,
            "due_on": line.due_on,
            "cash_flow_item": _entered_item(line),
        }
        for line in selectors.voucher_lines(voucher=voucher)
    ]


def _entered_item(line: Any) -> str:
    tag = getattr(line, "cash_flow_tag", None)
    return tag.item.code if tag is not None else ""


def _place_voucher_error(
    form: VoucherForm, formset: Any, positions: list[int], exc: DomainError
) -> None:
    """Service field names like "lines.2.debit" go next to the row they name."""
    header: dict[str, list[str]] = {}
    for name, msgs in exc.fields.items():
        parts = name.split(".")
        if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            row: LineForm | None = (
                formset.forms[positions[index]] if index < len(positions) else None
            )
            field = parts[2] if row is not None and parts[2] in row.fields else None
            if row is not None:
                for message in msgs:
                    row.add_error(field, message)
                continue
        header[name] = msgs
    if header or not exc.fields:
        form_add_domain_error(form, type(exc)(exc.message, fields=header))


def _voucher_entry(request: AuthenticatedHttpRequest, voucher: Voucher | None) -> HttpResponse:
    company_ = services.company_get()
    if request.method == "POST":
        form = VoucherForm(request.POST, words=company_.voucher_words)
        formset = LineFormSet(request.POST, prefix="lines")
    elif voucher is not None:
        form = VoucherForm(
            words=company_.voucher_words,
            initial={
                "date": voucher.date,
                "word": voucher.word,
                "summary": voucher.summary,
                "attachments": voucher.attachments,
            },
        )
        initial = _line_initial(voucher)
        formset = LineFormSet(prefix="lines", initial=initial + [{}] * 2)
    else:
        period = selectors.period_current()
        form = VoucherForm(
            words=company_.voucher_words,
            initial={"word": company_.default_word, "date": _default_date(period)},
        )
        formset = LineFormSet(prefix="lines", initial=[{}] * BLANK_ROWS)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        positions = [i for i, row in enumerate(formset.forms) if not row.is_blank()]
        lines = [_line_input(formset.forms[i]) for i in positions]
        try:
            data = {
                "actor": request.user,
                "date": form.cleaned_data["date"],
                "summary": form.cleaned_data["summary"],
                "word": form.cleaned_data["word"],
                "attachments": form.cleaned_data["attachments"] or 0,
                "lines": lines,
            }
            if voucher is None:
                saved = services.voucher_create(**data)
                messages.success(request, _("Voucher saved as a draft."))
            else:
                saved = services.voucher_update(voucher=voucher, **data)
                messages.success(request, _("Changes saved."))
        except DomainError as exc:
            _place_voucher_error(form, formset, positions, exc)
        else:
            if "save_new" in request.POST:
                return redirect("ledger:voucher_create")
            return redirect("ledger:voucher_detail", pk=saved.pk)
    title = _("Edit voucher %(voucher)s") % {"voucher": voucher} if voucher else _("New voucher")
    crumbs = [(_("Vouchers"), reverse("ledger:vouchers"))]
    if voucher is not None:
        crumbs.append((str(voucher), reverse("ledger:voucher_detail", args=[voucher.pk])))
    return render(
        request,
        "ledger/vouchers/form.html",
        {
            "form": form,
            "formset": formset,
            "voucher": voucher,
            "title": title,
            "breadcrumbs": _crumbs(*crumbs, (title, None)),
        },
    )


def _default_date(period: Any) -> Any:
    from django.utils import timezone

    return timezone.localdate()


def _line_input(row: LineForm) -> LineInput:
    debit, credit = row.amounts()
    data = row.cleaned_data
    return LineInput(
        account=data["account"],
        debit=debit,
        credit=credit,
        dimension=data.get("dimension"),
        summary=data.get("summary") or "",
        due_on=data.get("due_on"),
        cash_flow_item=data.get("cash_flow_item"),
    )


@ledger_page("ledger.add_voucher")
def voucher_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _voucher_entry(request, None)


@ledger_page("ledger.change_voucher")
def voucher_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    voucher = selectors.voucher_get(pk=pk)
    if voucher.status != VoucherStatus.DRAFT:
        messages.error(request, _("Only drafts can be edited."))
        return redirect("ledger:voucher_detail", pk=voucher.pk)
    return _voucher_entry(request, voucher)


def _totals(lines: list[Any]) -> tuple[Decimal, Decimal]:
    debit = sum((line.debit_amount for line in lines), ZERO)
    credit = sum((line.credit_amount for line in lines), ZERO)
    return debit, credit


@ledger_page("ledger.view_voucher")
def voucher_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    voucher = selectors.voucher_get(pk=pk)
    lines = selectors.voucher_lines(voucher=voucher)
    debit, credit = _totals(lines)
    user = request.user
    status = voucher.status
    reversal = selectors.voucher_reversal(voucher=voucher) if status == "posted" else None
    can = {
        "edit": status == VoucherStatus.DRAFT and user.has_perm("ledger.change_voucher"),
        "delete": status == VoucherStatus.DRAFT and user.has_perm("ledger.delete_voucher"),
        "review": status == VoucherStatus.DRAFT
        and user.has_perm("ledger.review_voucher")
        and voucher.maker_id != user.pk,
        "unreview": status == VoucherStatus.REVIEWED and user.has_perm("ledger.review_voucher"),
        "post": status == VoucherStatus.REVIEWED and user.has_perm("ledger.post_voucher"),
        "reverse": status == VoucherStatus.POSTED
        and reversal is None
        and voucher.reverses_id is None
        and user.has_perm("ledger.reverse_voucher"),
    }
    return render(
        request,
        "ledger/vouchers/detail.html",
        {
            "voucher": voucher,
            "lines": lines,
            "debit_total": debit,
            "credit_total": credit,
            "reversal": reversal,
            "can": can,
            "maker_is_me": voucher.maker_id == user.pk,
            "reverse_form": ReverseForm(),
            "layouts": PrintLayout.choices,
            "breadcrumbs": _crumbs(
                (_("Vouchers"), reverse("ledger:vouchers")), (str(voucher), None)
            ),
        },
    )


ACTIONS: dict[str, tuple[str, Callable[..., Any], Any]] = {
    "review": ("ledger.review_voucher", services.voucher_review, gettext_lazy("Voucher reviewed.")),
    "unreview": (
        "ledger.review_voucher",
        services.voucher_unreview,
        gettext_lazy("Review withdrawn; the voucher is a draft again."),
    ),
    "post": ("ledger.post_voucher", services.voucher_post, gettext_lazy("Voucher posted.")),
    "delete": ("ledger.delete_voucher", services.voucher_delete, gettext_lazy("Draft deleted.")),
}


@ledger_page("ledger.view_voucher")
@require_POST
def voucher_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    voucher = selectors.voucher_get(pk=pk)
    if action == "reverse":
        return _voucher_reverse(request, voucher)
    if action not in ACTIONS:
        from django.http import Http404

        raise Http404
    perm, service, done = ACTIONS[action]
    if not request.user.has_perm(perm):
        raise PermissionDenied
    try:
        service(actor=request.user, voucher=voucher)
    except DomainError as exc:
        messages.error(request, _error_text(exc))
        return redirect("ledger:voucher_detail", pk=voucher.pk)
    messages.success(request, str(done))
    if action == "delete":
        return redirect("ledger:vouchers")
    return redirect("ledger:voucher_detail", pk=voucher.pk)


def _voucher_reverse(request: AuthenticatedHttpRequest, voucher: Voucher) -> HttpResponse:
    if not request.user.has_perm("ledger.reverse_voucher"):
        raise PermissionDenied
    form = ReverseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_error_text(form))
        return redirect("ledger:voucher_detail", pk=voucher.pk)
    try:
        red = services.voucher_reverse(
            actor=request.user,
            voucher=voucher,
            on=form.cleaned_data["on"],
            summary=form.cleaned_data["summary"],
        )
    except DomainError as exc:
        messages.error(request, _error_text(exc))
        return redirect("ledger:voucher_detail", pk=voucher.pk)
    messages.success(request, _("Reversed by the red voucher %(voucher)s.") % {"voucher": red})
    return redirect("ledger:voucher_detail", pk=red.pk)


@ledger_page("ledger.view_voucher")
def voucher_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    company_ = services.company_get()
    voucher = selectors.voucher_get(pk=pk)
    lines = selectors.voucher_lines(voucher=voucher)
    debit, credit = _totals(lines)
    return render(
        request,
        "ledger/vouchers/print.html",
        {
            "company": company_,
            "voucher": voucher,
            "lines": lines,
            "debit_total": debit,
            "credit_total": credit,
            "capitals": amount_in_capitals(debit),
            "breadcrumbs": _crumbs(
                (_("Vouchers"), reverse("ledger:vouchers")),
                (str(voucher), reverse("ledger:voucher_detail", args=[voucher.pk])),
                (_("Print"), None),
            ),
        },
    )


def _typed(request: AuthenticatedHttpRequest) -> str:
    return request.GET.get("q", "")[:100]


@ledger_page("ledger.view_voucher")
def account_lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Suggestions for an account cell of the entry grid: by code, name or pinyin."""
    accounts = selectors.account_search(text=_typed(request))
    return render(
        request,
        "ledger/vouchers/_lookup_options.html",
        {"options": [(f"{a.code} {a.name}", a.code, a.name) for a in accounts], "kind": "account"},
    )


@ledger_page("ledger.view_voucher")
def customer_lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Suggestions for a customer cell of the entry grid and the reports' customer filter: by
    number, name or pinyin."""
    dimensions = selectors.dimension_search(text=_typed(request))
    return render(
        request,
        "ledger/vouchers/_lookup_options.html",
        {
            "options": [(f"{d.code} {d.name}", d.code, d.name) for d in dimensions],
            "kind": "customer",
        },
    )
