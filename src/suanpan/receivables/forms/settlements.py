"""The 核销 screen's form: which open items are ticked and how much of each to settle, the
date, and the rule of automatic matching. The services check the items and amounts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.receivables.calculations.pairing import Chosen
from suanpan.receivables.choices import AutoMatchRule
from suanpan.receivables.forms.receipts import typed_amount

ACTION_SETTLE = "settle"
ACTION_AUTO = "auto"


def _ids(raw: list[str]) -> list[int]:
    return [int(value) for value in raw if value.isdigit() and len(value) < 12]


class SettleForm(StyledFormMixin, forms.Form):
    settled_on = forms.DateField(label=_("Settled on"), widget=DateInput())
    rule = forms.ChoiceField(
        label=_("Automatic matching"), choices=AutoMatchRule.choices, required=False
    )
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)
    action = forms.ChoiceField(
        choices=[(ACTION_SETTLE, ACTION_SETTLE), (ACTION_AUTO, ACTION_AUTO)],
        widget=forms.HiddenInput,
    )

    def __init__(
        self,
        *args: Any,
        debit_order: Sequence[int] = (),
        credit_order: Sequence[int] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["settled_on"].initial = timezone.localdate()
        self.fields["rule"].initial = AutoMatchRule.OLDEST_DUE
        self.debit_order, self.credit_order = list(debit_order), list(credit_order)
        self.debits: list[Chosen] = []
        self.credits: list[Chosen] = []

    def ticked(self, side: str) -> set[int]:
        return set(_ids(self.data.getlist(side))) if isinstance(self.data, QueryDict) else set()

    def _chosen(self, side: str, order: list[int]) -> list[Chosen]:
        """The ticked items of one side, in the screen's order, with the amount typed."""
        ticked = self.ticked(side)
        chosen = []
        for item_id in order:
            if item_id not in ticked:
                continue
            amount = typed_amount(str(self.data.get(f"amount-{item_id}", "")))
            if amount is not None:
                chosen.append(Chosen(item_id, amount))
        return chosen

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        try:
            self.debits = self._chosen("debit", self.debit_order)
            self.credits = self._chosen("credit", self.credit_order)
        except ValueError:
            raise forms.ValidationError(
                _("Enter each amount to settle in yuan, with at most two decimals.")
            ) from None
        if (
            cleaned
            and cleaned.get("action") == ACTION_SETTLE
            and not (self.debits and self.credits)
        ):
            raise forms.ValidationError(
                _("Tick at least one amount owed and one credit, with the amounts to settle.")
            )
        if cleaned and cleaned.get("action") == ACTION_AUTO and not cleaned.get("rule"):
            self.add_error("rule", _("Choose how to match."))
        return cleaned
