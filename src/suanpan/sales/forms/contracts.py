"""Contract, payment plan and attachment forms: input validation only; services save."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import DateInput, StyledFormMixin, grid_cells_name
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.selectors import customer_visible
from suanpan.customers.widgets import customer_picker_use
from suanpan.sales.models import Contract
from suanpan.sales.services.contracts import CONTRACT_FIELDS, InstalmentInput
from suanpan.users.models import User

HUNDRED = Decimal(100)
# The service's fields but the quote, which only a contract made from a quote carries.
CONTRACT_FORM_FIELDS = [name for name in CONTRACT_FIELDS if name != "quote"]


class ContractForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Contract
        fields = ["customer", *CONTRACT_FORM_FIELDS]
        widgets = {
            "signed_on": DateInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "terms": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer_field = cast(forms.ModelChoiceField, self.fields["customer"])
        visible = customer_visible(user=user)
        if self.instance.pk:
            customer_field.queryset = visible.filter(pk=self.instance.customer_id)
            customer_field.disabled = True
        else:
            customer_field.queryset = visible.exclude(status=CustomerStatus.CLOSED)
            customer_picker_use(customer_field)
            self.fields["number"].required = False
            self.fields["number"].help_text = _(
                "The number printed on the signed contract; blank for HT-YYYYMM-nnnn."
            )

    def _post_clean(self) -> None:
        # Model validation (unique number, amount, term) is the service's job, in one place.
        pass

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in CONTRACT_FORM_FIELDS}


class ContractFromQuoteForm(StyledFormMixin, forms.Form):
    number = forms.CharField(
        label=_("Contract number"),
        max_length=40,
        required=False,
        help_text=_("The number printed on the signed contract; blank for HT-YYYYMM-nnnn."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DateInput())
    starts_on = forms.DateField(label=_("Starts on"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput())

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ActivateForm(StyledFormMixin, forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DateInput())


class TerminateForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason for termination"), max_length=300)


class InstalmentForm(StyledFormMixin, forms.Form):
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())
    percentage = forms.DecimalField(
        label=_("Percentage"),
        required=False,
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(HUNDRED)],
        help_text=_("Of the contract amount"),
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        required=False,
        max_digits=16,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("percentage", "amount"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "decimal", "class": "form-control text-end"}
            )
        grid_cells_name(self, ("due_on", "percentage", "amount", "description"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        given = [data.get("percentage") is not None, data.get("amount") is not None]
        if not any(given):
            raise forms.ValidationError(_("Give a percentage or an amount."))
        if all(given):
            raise forms.ValidationError(_("Give a percentage or an amount, not both."))
        return data

    def instalment(self) -> InstalmentInput:
        data = self.cleaned_data
        percentage = data.get("percentage")
        return InstalmentInput(
            due_on=data["due_on"],
            percentage=percentage / HUNDRED if percentage is not None else None,
            amount=data.get("amount"),
            description=data.get("description") or "",
        )


class BaseInstalmentFormSet(forms.BaseFormSet):
    def initial_form_count(self) -> int:
        # Rows may be left blank (they are then no instalment): none counts as "initial".
        return 0 if self.is_bound else super().initial_form_count()

    def instalments(self) -> list[InstalmentInput]:
        return [form.instalment() for form in self.forms if form.has_changed()]


InstalmentFormSet = forms.formset_factory(
    InstalmentForm, formset=BaseInstalmentFormSet, extra=3, max_num=120, absolute_max=120
)


class AttachmentForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, JPG, PNG, DOCX, XLSX or ZIP, at most 20 MB.")
    )
