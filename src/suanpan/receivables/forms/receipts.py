"""Receipt forms: input validation only; the service checks the customer, the bank account,
the bill and what the allocations may settle."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.selectors import customer_visible
from suanpan.customers.widgets import customer_picker_use
from suanpan.receivables.choices import ReceiptMethod
from suanpan.receivables.selectors import bank_accounts
from suanpan.receivables.services import Allocation, ReceiptInput
from suanpan.users.models import User

# Each open invoice offered on the form posts its amount to settle as `settle-<item id>`.
SETTLE_PREFIX = "settle-"
CENT = Decimal("0.01")


def typed_amount(raw: str) -> Decimal | None:
    """An amount typed in a cell: blank or zero is none; anything not a positive amount in
    yuan with at most two decimals raises ValueError."""
    raw = raw.strip().replace(",", "")
    if not raw:
        return None
    try:
        amount = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError(raw) from exc
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
        raise ValueError(raw)
    return amount or None


class SettleAmountsMixin:
    """The amounts typed against a customer's open invoices (`settle-<item id>`), checked as
    `allocations` on clean: the receipt form and the bank line's confirm form share them."""

    data: Any
    allocations: list[Allocation]
    add_error: Callable[[str | None, Any], None]

    def allocations_typed(self) -> dict[int, str]:
        """The amounts typed against open invoices, raw, by item id (to show them again)."""
        typed = {}
        for key in self.data:
            suffix = key[len(SETTLE_PREFIX) :]
            if key.startswith(SETTLE_PREFIX) and suffix.isdigit() and len(suffix) < 12:
                typed[int(suffix)] = str(self.data.get(key, ""))
        return typed

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()  # type: ignore[misc]
        allocations = []
        for item_id, raw in sorted(self.allocations_typed().items()):
            try:
                amount = typed_amount(raw)
            except ValueError:
                self.add_error(
                    None, _("Enter each amount to settle in yuan, with at most two decimals.")
                )
                break
            if amount is not None:
                allocations.append(Allocation(item_id=item_id, amount=amount))
        self.allocations = allocations
        return cleaned


class ReceiptForm(SettleAmountsMixin, StyledFormMixin, forms.Form):
    customer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Customer")
    )
    received_on = forms.DateField(label=pgettext_lazy("receipt", "Received on"), widget=DateInput())
    amount = forms.DecimalField(
        label=_("Amount"),
        min_value=CENT,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    method = forms.ChoiceField(
        label=_("Method"), choices=ReceiptMethod.choices, initial=ReceiptMethod.BANK_TRANSFER
    )
    bank_account: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        label=_("Bank account"),
        required=False,
        help_text=_("The company's account the money came into."),
    )
    bill_number = forms.CharField(
        label=_("Bill number"),
        max_length=40,
        required=False,
        help_text=_("Acceptance bills only."),
    )
    bill_matures_on = forms.DateField(
        label=_("Bill maturity"),
        required=False,
        widget=DateInput(),
        help_text=_("Acceptance bills only."),
    )
    payer_name = forms.CharField(label=_("Payer name"), max_length=200, required=False)
    payer_account = forms.CharField(label=_("Payer account"), max_length=40, required=False)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=200,
        required=False,
        help_text=_("The bank's remark: it may name the invoice or order paid."),
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer_field = cast(forms.ModelChoiceField, self.fields["customer"])
        customer_field.queryset = customer_visible(user=user).exclude(status=CustomerStatus.CLOSED)
        customer_picker_use(customer_field)
        cast(forms.ModelChoiceField, self.fields["bank_account"]).queryset = bank_accounts()
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["bill_number"].widget.attrs["data-sp-bill"] = "1"
        self.fields["bill_matures_on"].widget.attrs["data-sp-bill"] = "1"

    def receipt_input(self) -> ReceiptInput:
        data = self.cleaned_data
        bank = data.get("bank_account")
        return ReceiptInput(
            customer_id=data["customer"].pk,
            received_on=data["received_on"],
            amount=data["amount"],
            method=data["method"],
            bank_account_id=bank.pk if bank is not None else None,
            bill_number=data.get("bill_number", ""),
            bill_matures_on=data.get("bill_matures_on"),
            payer_name=data.get("payer_name", ""),
            payer_account=data.get("payer_account", ""),
            reference=data.get("reference", ""),
            notes=data.get("notes", ""),
            allocations=tuple(self.allocations),
        )


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=300)
    cancelled_on = forms.DateField(label=_("Cancelled on"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cancelled_on"].initial = timezone.localdate()
