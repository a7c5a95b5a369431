"""Vouchers printed as PDF (one, a selection, or every voucher the list's filters match) and
the list's batch review and batch post."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suanpan.core.errors import DomainError
from suanpan.core.filtering import filterset_require_valid
from suanpan.ledger import selectors, services
from suanpan.ledger.errors import VoucherBatchRefused
from suanpan.ledger.forms.journals import PrintForm
from suanpan.ledger.views.base import _error_text, ledger_page
from suanpan.ledger.views.vouchers import voucher_list_context
from suanpan.users.http import AuthenticatedHttpRequest


def pdf_response(content: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(False, f"{filename}.pdf") or "inline"
    )
    return response


def selected_ids(values: Iterable[str]) -> list[int] | None:
    """The ids a list's checkboxes sent, or None when one of them is not an id."""
    ids = []
    for value in values:
        if not value.isdigit() or len(value) > 18:
            return None
        ids.append(int(value))
    return ids


def _list_url(request: AuthenticatedHttpRequest) -> str:
    query = request.GET.urlencode()
    return f"{reverse('ledger:vouchers')}?{query}" if query else reverse("ledger:vouchers")


class _Refused(Exception):
    """A print run the page refuses before printing: the message says why."""


@ledger_page("ledger.view_voucher")
def voucher_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One voucher as a PDF in the layout asked (two to an A4 page by default)."""
    voucher = selectors.voucher_get(pk=pk)
    form = PrintForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose one of the print layouts."))
        return redirect("ledger:voucher_detail", pk=voucher.pk)
    content = services.vouchers_pdf(ids=[voucher.pk], layout=form.layout_chosen())
    return pdf_response(content, filename=voucher.display_number)


@ledger_page("ledger.view_voucher")
def vouchers_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Several vouchers in one PDF: the ones ticked on the list (POST `ids`), or every one the
    list's filters match (GET), in date and number order."""
    data = request.POST if request.method == "POST" else request.GET
    form = PrintForm(data)
    try:
        if not form.is_valid():
            raise _Refused(_("Choose one of the print layouts."))
        if request.method == "POST":
            ids = selected_ids(request.POST.getlist("ids"))
            if ids is None:
                raise _Refused(_("Choose vouchers from the list."))
        else:
            queryset, filterset = selectors.voucher_list(filters=request.GET)
            filterset_require_valid(filterset)
            ids = selectors.voucher_ids_matching(vouchers=queryset)
        if not ids:
            raise _Refused(_("No voucher to print: tick some, or change the filters."))
        content = services.vouchers_pdf(ids=ids, layout=form.layout_chosen())
    except _Refused as refused:
        messages.error(request, str(refused))
        return redirect(_list_url(request))
    except DomainError as exc:
        messages.error(request, _error_text(exc))
        return redirect(_list_url(request))
    return pdf_response(content, filename=f"vouchers-{timezone.localdate().isoformat()}")


BATCH: dict[str, tuple[str, Callable[..., list[Any]], Callable[[int], str]]] = {
    "review": (
        "ledger.review_voucher",
        services.voucher_review_batch,
        lambda n: (
            ngettext("%(count)s voucher reviewed.", "%(count)s vouchers reviewed.", n)
            % {"count": n}
        ),
    ),
    "post": (
        "ledger.post_voucher",
        services.voucher_post_batch,
        lambda n: (
            ngettext("%(count)s voucher posted.", "%(count)s vouchers posted.", n) % {"count": n}
        ),
    ),
}


@ledger_page("ledger.view_voucher")
def voucher_batch(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Review or post the vouchers ticked on the list, all or none. The form posts here with
    the list's filters in the address, so success returns to the same list and a refusal shows
    it again with every refused voucher and why, the ticks kept."""
    if request.method != "POST":
        return redirect(_list_url(request))
    action = request.POST.get("action", "")
    if action not in BATCH:
        raise Http404
    perm, service, done = BATCH[action]
    if not request.user.has_perm(perm):
        raise PermissionDenied
    ids = selected_ids(request.POST.getlist("ids"))
    if not ids:
        messages.error(request, _("Tick the vouchers to act on first."))
        return redirect(_list_url(request))
    try:
        changed = service(actor=request.user, ids=ids)
    except VoucherBatchRefused as exc:
        context = voucher_list_context(request)
        context.update(refusals=exc.refusals, selected=set(ids), batch_action=action)
        return render(request, "ledger/vouchers/list.html", context, status=409)
    except DomainError as exc:
        messages.error(request, _error_text(exc))
        return redirect(_list_url(request))
    messages.success(request, done(len(changed)))
    return redirect(_list_url(request))
