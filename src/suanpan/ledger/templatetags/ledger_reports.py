"""`{{ amount|side }}` → 借/贷/平 and `{{ amount|unsigned }}`: a balance as ledgers print it."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def side(amount: Decimal | None) -> str:
    """Which side a signed balance (debit positive) sits on."""
    if not amount:
        return _("Flat")
    return _("Dr") if amount > 0 else _("Cr")


@register.filter
def unsigned(amount: Decimal | None) -> Decimal | None:
    return abs(amount) if amount is not None else None
