"""Reads of red-letter forms, scoped through their invoice's customer; any other id is 404."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from suanpan.core.filtering import filterset_qs
from suanpan.invoicing.choices import RED_FORM_ISSUABLE, RED_FORM_PENDING
from suanpan.invoicing.filters.red_letters import RedLetterFormFilter
from suanpan.invoicing.models import Invoice, RedLetterForm, RedLetterLine
from suanpan.invoicing.selectors.invoices import invoice_visible
from suanpan.users.models import User

ZERO = Decimal(0)
# Forms that still hold what they reverse: pending, confirmed, or needing no confirmation.
RED_FORM_LIVE = (*RED_FORM_ISSUABLE, *RED_FORM_PENDING)


@dataclass(frozen=True)
class Remaining:
    """What of a blue line the live forms have not yet taken."""

    quantity: Decimal | None
    net_amount: Decimal
    tax_amount: Decimal

    @property
    def gross_amount(self) -> Decimal:
        return self.net_amount + self.tax_amount

    @property
    def is_zero(self) -> bool:
        return self.net_amount == 0 and self.tax_amount == 0 and not self.quantity


def red_remaining(invoice: Invoice) -> dict[int, Remaining]:
    """Per blue line: its quantity and amounts less what live forms reverse (two queries)."""
    taken: dict[int, tuple[Decimal, Decimal, Decimal]] = {}
    rows = RedLetterLine.objects.filter(
        form__blue_invoice=invoice, form__status__in=RED_FORM_LIVE
    ).values_list("blue_line_id", "quantity", "net_amount", "tax_amount")
    for blue_line_id, units, net_amount, tax_amount in rows:
        quantity, net, tax = taken.get(blue_line_id, (ZERO, ZERO, ZERO))
        taken[blue_line_id] = (quantity + (units or ZERO), net + net_amount, tax + tax_amount)
    remaining = {}
    for line in invoice.lines.order_by("position"):
        quantity, net, tax = taken.get(line.pk, (ZERO, ZERO, ZERO))
        remaining[line.pk] = Remaining(
            quantity=None if line.quantity is None else line.quantity - quantity,
            net_amount=line.net_amount - net,
            tax_amount=line.tax_amount - tax,
        )
    return remaining


def red_form_visible(*, user: User) -> QuerySet[RedLetterForm]:
    if not user.has_perm("invoicing.view_redletterform"):
        return RedLetterForm.objects.none()
    return RedLetterForm.objects.filter(blue_invoice__in=invoice_visible(user=user).values("pk"))


def red_form_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[RedLetterForm], RedLetterFormFilter]:
    """The filtered list, newest first unless sorted; the FilterSet for forms and errors."""
    base = red_form_visible(user=user).select_related(
        "blue_invoice__customer", "red_invoice", "created_by"
    )
    filterset = RedLetterFormFilter(data=filters or {}, queryset=base)
    queryset = filterset_qs(filterset, base=base)
    if not (filters or {}).get("ordering"):
        queryset = queryset.order_by("-entered_at", "-id")
    return queryset, filterset


def red_form_get(*, user: User, pk: int | str) -> RedLetterForm:
    """One form with its invoices, warehouse and lines; 404 unless the user sees it."""
    try:
        return (
            red_form_visible(user=user)
            .select_related("blue_invoice__customer", "red_invoice", "warehouse", "created_by")
            .prefetch_related("lines__blue_line")
            .get(pk=pk)
        )
    except (RedLetterForm.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def red_forms_for_invoice(*, user: User, invoice_id: int) -> QuerySet[RedLetterForm]:
    """The forms entered against one blue invoice, newest first."""
    return (
        red_form_visible(user=user)
        .filter(blue_invoice_id=invoice_id)
        .select_related("red_invoice")
        .order_by("-entered_at", "-id")
    )
