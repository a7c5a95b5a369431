"""The refund form: input validation only; the service checks the customer, the bank account
and what the customer has open to pay back."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.customers.selectors import customer_visible
from suanpan.customers.widgets import customer_picker_use
from suanpan.receivables.choices import RefundMethod
from suanpan.receivables.forms.receipts import CENT
from suanpan.receivables.selectors import bank_accounts
from suanpan.receivables.services import RefundInput
from suanpan.users.models import User


class RefundForm(StyledFormMixin, forms.Form):
    customer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Customer")
    )
    refunded_on = forms.DateField(label=_("Refunded on"), widget=DateInput())
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=CENT,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    method = forms.ChoiceField(
        label=pgettext_lazy("refund", "Method"),
        choices=RefundMethod.choices,
        initial=RefundMethod.BANK_TRANSFER,
    )
    bank_account: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        label=pgettext_lazy("refund", "Bank account"),
        required=False,
        help_text=_("The company's account the money left from."),
    )
    payee_name = forms.CharField(label=_("Payee name"), max_length=200, required=False)
    payee_account = forms.CharField(label=_("Payee account"), max_length=40, required=False)
    reason = forms.CharField(label=_("Reason for the refund"), max_length=300)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer_field = cast(forms.ModelChoiceField, self.fields["customer"])
        customer_field.queryset = customer_visible(user=user)
        customer_picker_use(customer_field)
        cast(forms.ModelChoiceField, self.fields["bank_account"]).queryset = bank_accounts()
        self.fields["refunded_on"].initial = timezone.localdate()

    def refund_input(self) -> RefundInput:
        data = self.cleaned_data
        bank = data.get("bank_account")
        return RefundInput(
            customer_id=data["customer"].pk,
            refunded_on=data["refunded_on"],
            amount=data["amount"],
            reason=data["reason"],
            method=data["method"],
            bank_account_id=bank.pk if bank is not None else None,
            payee_name=data.get("payee_name", ""),
            payee_account=data.get("payee_account", ""),
        )
