"""What every ledger page shares: the gate, breadcrumbs, error texts."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from suanpan.core.errors import DomainError
from suanpan.ledger import selectors
from suanpan.ledger.errors import LedgerNotSetUp
from suanpan.ledger.models import Company
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

View = Callable[..., HttpResponse]


def ledger_page(perm: str | None = None) -> Callable[[View], View]:
    """`page_permission(perm)`, then 403 without any ledger permission, then the books.

    Pages that need the books send the user to the set-up page while there are none.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def books(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.has_module_perms("ledger"):
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except LedgerNotSetUp as exc:
                messages.warning(request, exc.message)
                return redirect("ledger:company")

        return page_permission(*([perm] if perm else []))(books)

    return decorate


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Ledger"), reverse("ledger:home")), *items]


def _number_example(company: Company) -> str:
    period = selectors.period_current()
    key = period.key if period else company.first_period.strftime("%Y%m")
    return f"{company.default_word}-{key}-{1:0{company.number_width}d}"


def _error_text(exc: DomainError) -> str:
    details = [m for msgs in exc.fields.values() for m in msgs]
    return " ".join(details) if details else exc.message


def _form_error_text(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)
