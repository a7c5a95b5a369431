"""Ledger pages for people: company settings, chart of accounts, vouchers, periods.

Each view parses the request, calls a selector or a service and renders the page (or its htmx
fragment); the services decide, check permissions again and raise DomainErrors.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
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
from suanpan.core.pagination import paginate
from suanpan.core.sorting import sort_headers
from suanpan.ledger import selectors, services
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.choices import AccountRole, VoucherStatus
from suanpan.ledger.errors import LedgerNotSetUp, PeriodCloseFailed
from suanpan.ledger.forms import (
    CompanyForm,
    CompanySetupForm,
    LineForm,
    LineFormSet,
    ReopenForm,
    ReverseForm,
    RoleForm,
    SubAccountForm,
    VoucherForm,
)
from suanpan.ledger.models import Company, Voucher
from suanpan.ledger.services import LineInput
from suanpan.users.http import AuthenticatedHttpRequest

View = Callable[..., HttpResponse]

LIST_COLUMNS = [
    ("date", gettext_lazy("Date")),
    ("number", gettext_lazy("Voucher number")),
    ("summary", gettext_lazy("Summary")),
    (None, gettext_lazy("Amount")),
    ("status", gettext_lazy("Status")),
    (None, gettext_lazy("Maker")),
]

BLANK_ROWS = 4


def ledger_page(perm: str | None = None) -> Callable[[View], View]:
    """Login, then 403 without `perm` (or without any ledger permission), then the books.

    Pages that need the books send the user to the set-up page while there are none.
    """

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if perm is not None and not request.user.has_perm(perm):
                raise PermissionDenied
            if not request.user.has_module_perms("ledger"):
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except LedgerNotSetUp as exc:
                messages.warning(request, exc.message)
                return redirect("ledger:company")

        return wrapped

    return decorate


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Ledger"), reverse("ledger:home")), *items]


def _number_example(company: Company) -> str:
    period = selectors.period_current()
    key = period.key if period else company.first_period.strftime("%Y%m")
    return f"{company.default_word}-{key}-{1:0{company.number_width}d}"


# ---------------------------------------------------------------------------- overview


@ledger_page("ledger.view_voucher")
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    company = services.company_get()
    context = {
        "company": company,
        "period": selectors.period_current(),
        "counts": selectors.voucher_counts(),
        "recent": selectors.voucher_list(filters={})[0][:10],
        "breadcrumbs": [(_("Ledger"), None)],
    }
    return render(request, "ledger/home.html", context)


# ---------------------------------------------------------------------------- company


@ledger_page()
def company(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        current = services.company_get()
    except LedgerNotSetUp:
        return _company_setup(request)
    form = CompanyForm.for_company(current, request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("ledger.change_company"):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.company_update(actor=request.user, data=form.cleaned_data)
            except DomainError as exc:
                form_add_domain_error(form, exc)
            else:
                messages.success(request, _("Changes saved."))
                return redirect("ledger:company")
    mapped = selectors.role_mappings()
    roles = [(value, label, mapped.get(value)) for value, label in AccountRole.choices]
    return render(
        request,
        "ledger/company.html",
        {
            "company": current,
            "form": form,
            "roles": roles,
            "role_accounts": selectors.postable_accounts(),
            "number_example": _number_example(current),
            "has_vouchers": Voucher.objects.exists(),
            "breadcrumbs": _crumbs((_("Company settings"), None)),
        },
    )


def _company_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    can_setup = request.user.has_perm("ledger.add_company")
    form = CompanySetupForm(request.POST or None)
    if request.method == "POST":
        if not can_setup:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.company_setup(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_add_domain_error(form, exc)
            except FileNotFoundError:
                form.add_error("standard", _("The chart of this standard is not installed."))
            else:
                messages.success(request, _("The books are set up."))
                return redirect("ledger:company")
    return render(
        request,
        "ledger/company_setup.html",
        {
            "form": form,
            "can_setup": can_setup,
            "breadcrumbs": _crumbs((_("Set up the books"), None)),
        },
    )


@ledger_page("ledger.change_company")
@require_POST
def company_role(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.company_get()
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.account_role_set(
                actor=request.user,
                role=form.cleaned_data["role"],
                account=form.cleaned_data["account"],
            )
        except DomainError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Role mapping saved."))
    else:
        messages.error(request, _form_error_text(form))
    return redirect(f"{reverse('ledger:company')}#roles")


def _error_text(exc: DomainError) -> str:
    details = [m for msgs in exc.fields.values() for m in msgs]
    return " ".join(details) if details else exc.message


def _form_error_text(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


# ---------------------------------------------------------------------------- accounts


@ledger_page("ledger.view_account")
def account_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.company_get()
    return render(
        request,
        "ledger/account_list.html",
        {
            "rows": selectors.account_tree(),
            "breadcrumbs": _crumbs((_("Chart of accounts"), None)),
        },
    )


@ledger_page("ledger.add_account")
def account_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    services.company_get()
    parent = selectors.account_get(pk=pk)
    form = SubAccountForm(
        request.POST or None,
        initial={
            "code": f"{parent.code}.",
            "requires_customer": parent.requires_customer,
            "is_open_item": parent.is_open_item,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            account = services.account_create(
                actor=request.user, parent=parent, **form.cleaned_data
            )
        except DomainError as exc:
            form_add_domain_error(form, exc)
        else:
            messages.success(request, _("Account %(account)s added.") % {"account": account})
            return redirect("ledger:accounts")
    return render(
        request,
        "ledger/account_form.html",
        {
            "form": form,
            "parent": parent,
            "breadcrumbs": _crumbs(
                (_("Chart of accounts"), reverse("ledger:accounts")), (_("New sub-account"), None)
            ),
        },
    )


@ledger_page("ledger.change_account")
@require_POST
def account_set_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.account_set_active(actor=request.user, account=account, active=active)
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        if active:
            messages.success(request, _("Account %(account)s reactivated.") % {"account": account})
        else:
            messages.success(request, _("Account %(account)s deactivated.") % {"account": account})
    return redirect("ledger:accounts")


@ledger_page("ledger.delete_account")
@require_POST
def account_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = selectors.account_get(pk=pk)
    label = str(account)
    try:
        services.account_delete(actor=request.user, account=account)
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Account %(account)s deleted.") % {"account": label})
    return redirect("ledger:accounts")


# ---------------------------------------------------------------------------- vouchers


@ledger_page("ledger.view_voucher")
def voucher_list(request: AuthenticatedHttpRequest) -> HttpResponse:
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
    if request.htmx and not request.htmx.boosted:
        return render(request, "ledger/voucher_list.html#results", context)
    return render(request, "ledger/voucher_list.html", context)


def _line_initial(voucher: Voucher) -> list[dict[str, Any]]:
    return [
        {
            "account": f"{line.account.code} {line.account.name}",
            "dimension": f"{line.dimension.code} {line.dimension.name}" if line.dimension else "",
            "summary": line.summary,
            "debit": line.debit_amount or None,
            "credit": line.credit_amount or None,
            "due_on": line.due_on,
        }
        for line in selectors.voucher_lines(voucher=voucher)
    ]


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
        "ledger/voucher_form.html",
        {
            "form": form,
            "formset": formset,
            "voucher": voucher,
            "title": title,
            "accounts": selectors.postable_accounts(),
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
        "ledger/voucher_detail.html",
        {
            "voucher": voucher,
            "lines": lines,
            "debit_total": debit,
            "credit_total": credit,
            "reversal": reversal,
            "can": can,
            "maker_is_me": voucher.maker_id == user.pk,
            "reverse_form": ReverseForm(),
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
        "ledger/voucher_print.html",
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


@ledger_page("ledger.view_voucher")
def customer_lookup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Options for the customer datalist of the entry grid, as the user types."""
    text = request.GET.get("q", "")
    for key in request.GET:  # the grid sends the typing cell under its own name
        if key.endswith("-dimension"):
            text = request.GET.get(key, "")
    return render(
        request,
        "ledger/_dimension_options.html",
        {"dimensions": selectors.dimension_search(text=text)},
    )


# ---------------------------------------------------------------------------- periods


def _period_page(
    request: AuthenticatedHttpRequest, *, problems: dict[str, list[str]] | None = None
) -> HttpResponse:
    services.company_get()
    return render(
        request,
        "ledger/period_list.html",
        {
            "periods": selectors.period_list(),
            "events": selectors.period_events(),
            "problems": problems or {},
            "reopen_form": ReopenForm(),
            "breadcrumbs": _crumbs((_("Periods"), None)),
        },
        status=409 if problems else 200,
    )


@ledger_page("ledger.view_period")
def period_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _period_page(request)


@ledger_page("ledger.close_period")
@require_POST
def period_close(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    period = selectors.period_get(key=key)
    try:
        services.period_close(actor=request.user, period=period)
    except PeriodCloseFailed as exc:
        found = str(exc.params.get("problems", "")).split(services.PROBLEM_SEPARATOR)
        messages.error(request, _("Period %(period)s was not closed.") % {"period": period.key})
        return _period_page(request, problems={period.key: found})
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Period %(period)s closed.") % {"period": period.key})
    return redirect("ledger:periods")


@ledger_page("ledger.reopen_period")
@require_POST
def period_reopen(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    period = selectors.period_get(key=key)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the period is re-opened."))
        return redirect("ledger:periods")
    try:
        services.period_reopen(
            actor=request.user, period=period, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Period %(period)s re-opened.") % {"period": period.key})
    return redirect("ledger:periods")
