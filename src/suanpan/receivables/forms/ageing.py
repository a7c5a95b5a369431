"""The receivables ageing's choices: the day, the basis, how to group, the buckets."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.ledger.calculations import buckets_from_days
from suanpan.receivables.calculations.ageing import RECEIVABLES_BOUNDS

GROUP_CHOICES = (
    ("customer", _("Customer")),
    ("salesperson", _("Salesperson")),
    ("region", _("Region")),
)
BASIS_CHOICES = (("due", _("by due date")), ("posting", _("by posting date")))


class AgeingForm(StyledFormMixin, forms.Form):
    as_of = forms.DateField(label=_("As of"), widget=DateInput(), required=False)
    basis = forms.ChoiceField(label=_("Age"), choices=BASIS_CHOICES, required=False)
    group = forms.ChoiceField(label=_("Group by"), choices=GROUP_CHOICES, required=False)
    bounds = forms.CharField(
        label=_("Buckets (days)"),
        required=False,
        max_length=80,
        help_text=_("Upper bounds in days, e.g. 30,60,90,180,365,730,1095."),
    )

    def clean_bounds(self) -> tuple[int, ...]:
        text = self.cleaned_data.get("bounds") or ""
        if not text.strip():
            return RECEIVABLES_BOUNDS
        try:
            bounds = tuple(int(part) for part in text.split(",") if part.strip())
            buckets_from_days(bounds)
        except ValueError as exc:
            raise forms.ValidationError(
                _("Enter increasing whole numbers of days, e.g. 30,60,90.")
            ) from exc
        return bounds

    def choices(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "as_of": data.get("as_of") or timezone.localdate(),
            "basis": data.get("basis") or "due",
            "group": data.get("group") or "customer",
            "bounds": data.get("bounds") or RECEIVABLES_BOUNDS,
        }
