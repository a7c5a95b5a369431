"""Voucher entry: the voucher, its lines, and the reversal form."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.ledger import selectors
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.choices import VoucherWord
from suanpan.ledger.models import Account, CashFlowItem, Dimension


class VoucherForm(StyledFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    word = forms.ChoiceField(label=_("Word"), choices=VoucherWord.choices)
    summary = forms.CharField(label=_("Summary"), max_length=200)
    attachments = forms.IntegerField(label=_("Attachments"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args: Any, words: str = "记", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["word"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in VoucherWord.choices if value in words
        ]


def candidates_message(found: Sequence[Account | Dimension], *, none: Any) -> str:
    """Why a typed account or customer was not taken: nothing matches, or several do."""
    if not found:
        return str(none)
    shown = ", ".join(str(row) for row in found[:5]) + ("…" if len(found) > 5 else "")
    return str(_("Several match (%(found)s): choose one from the suggestions.") % {"found": shown})


class LineForm(StyledFormMixin, forms.Form):
    """One row of the entry grid: account and customer as the suggestions fill them in
    ("code name"), or typed as a code, a name or pinyin that names one."""

    account = forms.CharField(label=_("Account"), max_length=140, required=False)
    dimension = forms.CharField(label=_("Customer"), max_length=240, required=False)
    summary = forms.CharField(label=_("Line summary"), max_length=200, required=False)
    debit = forms.DecimalField(
        label=_("Debit"), max_digits=16, decimal_places=2, required=False, localize=False
    )
    credit = forms.DecimalField(
        label=_("Credit"), max_digits=16, decimal_places=2, required=False, localize=False
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    cash_flow_item = forms.ChoiceField(label=_("Cash-flow item"), required=False)

    def __init__(
        self, *args: Any, cash_flow_choices: Sequence[tuple[str, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cash_flow_item"]
        field.choices = [("", ""), *cash_flow_choices]  # type: ignore[attr-defined]
        field.widget.attrs.update(
            {
                "class": "form-select form-select-sm",
                "aria-labelledby": f"voucher-col-cash_flow_item {self.prefix}-no",
                "data-cell": "",
            }
        )

    def clean_cash_flow_item(self) -> CashFlowItem | None:
        code = self.cleaned_data.get("cash_flow_item") or ""
        return selectors.cash_flow_item_by_code(code=code) if code else None

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not (data.get("account") or data.get("debit") or data.get("credit"))

    def clean_account(self) -> Account | None:
        text = (self.cleaned_data.get("account") or "").strip()
        if not text:
            return None
        found = selectors.account_resolve(text=text)
        if isinstance(found, Account):
            return found
        raise forms.ValidationError(candidates_message(found, none=_("No account matches this.")))

    def clean_dimension(self) -> Dimension | None:
        text = (self.cleaned_data.get("dimension") or "").strip()
        if not text:
            return None
        found = selectors.dimension_resolve(text=text)
        if isinstance(found, Dimension):
            return found
        raise forms.ValidationError(candidates_message(found, none=_("No customer matches this.")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.is_blank() and data.get("account") is None and not self.errors.get("account"):
            self.add_error("account", _("Choose an account."))
        return data

    def amounts(self) -> tuple[Decimal, Decimal]:
        return (self.cleaned_data.get("debit") or ZERO, self.cleaned_data.get("credit") or ZERO)


class _LineFormSet(forms.BaseFormSet):
    """The entry grid: the cash-flow items are read once for all its rows."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form_kwargs = {
            **self.form_kwargs,
            "cash_flow_choices": [
                (i.code, f"{i.code} {i.name}") for i in selectors.cash_flow_items(active_only=True)
            ],
        }


LineFormSet = forms.formset_factory(
    LineForm, formset=_LineFormSet, extra=0, max_num=200, absolute_max=200
)


class ReverseForm(StyledFormMixin, forms.Form):
    on = forms.DateField(
        label=_("Date of the red voucher"),
        required=False,
        widget=DateInput(),
    )
    summary = forms.CharField(label=_("Summary"), max_length=200, required=False)
