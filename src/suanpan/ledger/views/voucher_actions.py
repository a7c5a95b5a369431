"""Vouchers printed as PDF: one, a selection, or every voucher the list's filters match."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from suanpan.core.errors import DomainError
from suanpan.core.filtering import filterset_require_valid
from suanpan.ledger import selectors, services
from suanpan.ledger.forms.journals import PrintForm
from suanpan.ledger.views.base import _error_text, ledger_page
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
