"""Input validation of the red-letter pages; the services check what is left to reverse."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.inventory.selectors.warehouses import warehouse_choices
from suanpan.invoicing.choices import RedInitiator, RedReason
from suanpan.invoicing.models import Invoice, InvoiceLine
from suanpan.invoicing.selectors.red_letters import Remaining
from suanpan.invoicing.services.red_letters import RedLineInput

FULL, PARTIAL = "full", "partial"


def _decimal(label: Any, places: int) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=18,
        decimal_places=places,
        widget=forms.NumberInput(attrs={"step": "any", "class": "form-control text-end"}),
    )


class RedFormForm(StyledFormMixin, forms.Form):
    """Who enters it, why, in full or in part, and per blue line a quantity or an amount."""

    initiator = forms.ChoiceField(label=_("Entered by"), choices=RedInitiator.choices)
    reason = forms.ChoiceField(label=_("Reason"), choices=RedReason.choices)
    scope = forms.ChoiceField(
        label=_("Reverse"),
        choices=[(FULL, _("In full (all that is left)")), (PARTIAL, _("In part"))],
        initial=FULL,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("An invoice the buyer has not used is reversed in full."),
    )
    warehouse = forms.ModelChoiceField(
        label=_("Return warehouse"),
        queryset=warehouse_choices(),
        required=False,
        help_text=_("Goods returned only; the delivery's warehouse when left blank."),
    )
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(
        self, *args: Any, invoice: Invoice, remaining: dict[int, Remaining], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.invoice = invoice
        self.rows: list[tuple[InvoiceLine, Remaining]] = [
            (line, remaining[line.pk])
            for line in invoice.lines.all()
            if line.pk in remaining and not remaining[line.pk].is_zero
        ]
        for line, _left in self.rows:
            self.fields[f"quantity_{line.pk}"] = _decimal(_("Quantity"), 4)
            self.fields[f"amount_{line.pk}"] = _decimal(_("Amount"), 2)

    def line_rows(self) -> list[tuple[InvoiceLine, Remaining, Any, Any]]:
        return [
            (line, left, self[f"quantity_{line.pk}"], self[f"amount_{line.pk}"])
            for line, left in self.rows
        ]

    def lines(self) -> list[RedLineInput] | None:
        """None for a full reversal; else one input per line given a quantity or an amount."""
        if self.cleaned_data.get("scope") != PARTIAL:
            return None
        chosen = []
        for line, _left in self.rows:
            quantity = self.cleaned_data.get(f"quantity_{line.pk}")
            amount = self.cleaned_data.get(f"amount_{line.pk}")
            if quantity or amount:
                chosen.append(
                    RedLineInput(
                        blue_line_id=line.pk,
                        quantity=quantity or None,
                        amount=amount or None,
                    )
                )
        return chosen


class RedIssueForm(StyledFormMixin, forms.Form):
    """The red invoice the platform issued: its number and date."""

    number = forms.CharField(label=_("Red invoice number"), max_length=20)
    code = forms.CharField(
        label=_("Invoice code"), max_length=12, required=False, help_text=_("Paper invoices only.")
    )
    issued_on = forms.DateField(label=_("Issue date"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()


class VoidForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why it is voided"), max_length=300)
    on = forms.DateField(label=_("Void date"), widget=DateInput(), required=False)
