"""Builders for dunning tests: a customer with an e-mail and invoices due on chosen days."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.core.mail.backends.base import BaseEmailBackend

from suanpan.invoicing.models import Invoice
from suanpan.users.models import User
from tests.factories import ContactFactory
from tests.receivables.support import invoice

# Invoices issued on 2026-01-10 with 30 days' terms fall due on 2026-02-09.
DUE = date(2026, 2, 9)


def with_email(customer: Any, email: str = "ap@example.com") -> Any:
    ContactFactory(customer=customer, email=email, is_primary=True)
    return customer


def invoice_due(customer: Any, gross: str, *, actor: User, days_later: int = 0) -> Invoice:
    """An invoice falling due `days_later` days after DUE (issued that much later)."""
    return invoice(
        customer, gross, actor=actor, issued_on=date(2026, 1, 10) + timedelta(days_later)
    )


def days_after_due(days: int) -> date:
    return DUE + timedelta(days=days)


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server refused the connection")


def shipped_levels() -> None:
    """The levels the data migration ships, again: a test on the live server starts from a
    flushed database, without them. Found by content, whatever the migration's number."""
    package = importlib.import_module("suanpan.receivables.migrations")
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        if hasattr(module, "levels_add"):
            module.levels_add(apps, None)
            return
    raise AssertionError("no migration ships the dunning levels")
