"""Bad-debt forms: the matrix's rates, a named customer's provision, the period of a provision
run, a write-off's invoices and amounts, a recovery. Input only; the services check the rest."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.core.limits import MAX_AMOUNT
from suanpan.customers.choices import CustomerGrade
from suanpan.customers.selectors import customer_visible
from suanpan.customers.widgets import customer_picker_use
from suanpan.receivables.choices import ProvisionBucket
from suanpan.receivables.forms.receipts import typed_amount
from suanpan.receivables.services import IndividualInput, RateInput, WriteOffItem
from suanpan.users.models import User

GRADES = ["", *CustomerGrade.values]


def rate_field_name(grade: str, bucket: int) -> str:
    return f"rate-{grade or 'all'}-{bucket}"


def _rate_field(*, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        min_value=Decimal(0),
        max_value=Decimal(1),
        max_digits=5,
        decimal_places=4,
        required=required,
        widget=forms.NumberInput(attrs={"step": "0.0001", "inputmode": "decimal"}),
    )


class MatrixForm(StyledFormMixin, forms.Form):
    """A rate per ageing bucket for every customer (blank: none), and per grade (blank: the
    grade follows the default rate)."""

    def __init__(self, *args: Any, rates: dict[tuple[str, int], Decimal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for grade in GRADES:
            for bucket in ProvisionBucket.values:
                name = rate_field_name(grade, bucket)
                self.fields[name] = _rate_field(required=False)
                self.fields[
                    name
                ].label = f"{grade or _('All customers')} {ProvisionBucket(bucket).label}"
                self.fields[name].initial = rates.get((grade, bucket))

    def rows(self) -> list[dict[str, Any]]:
        """The editor's rows: one per grade, a bound field per bucket."""
        grade_labels = dict(CustomerGrade.choices)
        return [
            {
                "grade": grade,
                "label": grade_labels.get(grade, _("All customers")),
                "cells": [self[rate_field_name(grade, b)] for b in ProvisionBucket.values],
            }
            for grade in GRADES
        ]

    def rate_inputs(self) -> list[RateInput]:
        return [
            RateInput(
                bucket=bucket,
                rate=self.cleaned_data.get(rate_field_name(grade, bucket)),
                grade=grade,
            )
            for grade in GRADES
            for bucket in ProvisionBucket.values
        ]


class IndividualProvisionForm(StyledFormMixin, forms.Form):
    customer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Customer")
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        decimal_places=2,
        help_text=_("A fixed provision; or leave blank and give a rate."),
    )
    rate = _rate_field(required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, user: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A provision stays with its customer: another customer gets a provision of its own.
        self.fields["customer"].disabled = editing
        self.fields["rate"].label = _("Rate of what the customer owes")
        self.fields["rate"].help_text = _("0.5 provides for half of it.")
        customer_field = cast(forms.ModelChoiceField, self.fields["customer"])
        customer_field.queryset = customer_visible(user=user)
        customer_picker_use(customer_field)

    def individual_input(self) -> IndividualInput:
        data = self.cleaned_data
        return IndividualInput(
            customer_id=data["customer"].pk,
            reason=data["reason"],
            amount=data.get("amount"),
            rate=data.get("rate"),
            is_active=bool(data.get("is_active")),
        )


class PeriodForm(StyledFormMixin, forms.Form):
    period = forms.RegexField(
        label=_("Period"),
        regex=r"^\d{4}-\d{2}$",
        max_length=7,
        error_messages={"invalid": _("Give the period as YYYY-MM.")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].initial = timezone.localdate().strftime("%Y-%m")


def _ids(raw: list[str]) -> list[int]:
    return [int(value) for value in raw if value.isdigit() and len(value) < 12]


class WriteOffForm(StyledFormMixin, forms.Form):
    """The reason and date; the invoices ticked (`item`) with the amounts typed
    (`amount-<item id>`)."""

    written_off_on = forms.DateField(label=_("Written off on"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the debt is lost: bankruptcy, deregistration, a court ruling…"),
    )

    def __init__(self, *args: Any, item_order: Sequence[int] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["written_off_on"].initial = timezone.localdate()
        self.item_order = list(item_order)
        self.items: list[WriteOffItem] = []

    def ticked(self) -> set[int]:
        return set(_ids(self.data.getlist("item"))) if isinstance(self.data, QueryDict) else set()

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        ticked = self.ticked()
        items = []
        try:
            for item_id in self.item_order:
                if item_id in ticked:
                    amount = typed_amount(str(self.data.get(f"amount-{item_id}", "")))
                    if amount is not None:
                        items.append(WriteOffItem(item_id, amount))
        except ValueError:
            raise forms.ValidationError(
                _("Enter each amount in yuan, with at most two decimals.")
            ) from None
        if not items:
            raise forms.ValidationError(_("Tick the invoices to write off, with the amounts."))
        self.items = items
        return cleaned


class RecoveryForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount recovered"),
        min_value=Decimal("0.01"),
        max_value=MAX_AMOUNT,
        decimal_places=2,
    )
    recovered_on = forms.DateField(label=_("Recovered on"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recovered_on"].initial = timezone.localdate()


class ReverseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for reversing"), max_length=300)
    reversed_on = forms.DateField(label=_("Reversed on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reversed_on"].initial = timezone.localdate()
