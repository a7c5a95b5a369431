"""Forms of the invoice pages: an invoice issued elsewhere entered by hand, with its lines."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suanpan.catalog.choices import VatRateKey
from suanpan.core.errors import DomainError
from suanpan.core.forms import DateInput, LineGridFormSet, StyledFormMixin
from suanpan.customers.selectors import customer_visible
from suanpan.customers.widgets import customer_picker_use
from suanpan.invoicing.choices import InvoiceType
from suanpan.invoicing.services.buyers import BuyerInput
from suanpan.invoicing.services.manual import ManualInvoiceInput, ManualLineInput
from suanpan.users.models import User

# Rows the entry page offers; an invoice typed by hand rarely has more.
LINE_ROWS = 8
MAX_LINE_ROWS = 100


class ManualInvoiceForm(StyledFormMixin, forms.Form):
    customer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Customer")
    )
    invoice_type = forms.ChoiceField(choices=InvoiceType.choices, label=_("Invoice type"))
    code = forms.CharField(
        label=_("Invoice code"),
        max_length=12,
        required=False,
        help_text=_("Paper invoices only."),
    )
    number = forms.CharField(
        label=_("Invoice number"),
        max_length=40,
        help_text=_("20 digits on a digital invoice; 8 on paper."),
    )
    issued_on = forms.DateField(label=_("Issue date"), widget=DateInput())
    price_includes_tax = forms.BooleanField(
        label=_("Amounts include tax"), required=False, initial=True
    )
    buyer_name = forms.CharField(
        label=_("Buyer name"),
        max_length=100,
        required=False,
        help_text=_("Leave blank for the customer's invoice title."),
    )
    buyer_tax_number = forms.CharField(
        label=_("Buyer taxpayer number"),
        max_length=20,
        required=False,
        help_text=_("Leave blank for the customer's."),
    )
    drawer = forms.CharField(label=_("Drawer"), max_length=40, required=False)
    remarks = forms.CharField(
        label=_("Remarks"), max_length=300, required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "issued_on": timezone.localdate(),
                "invoice_type": InvoiceType.E_SPECIAL,
                "price_includes_tax": True,
            },
        )
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["customer"])
        field.queryset = customer_visible(user=user)
        customer_picker_use(field)


class ManualLineForm(StyledFormMixin, forms.Form):
    item_name = forms.CharField(label=_("Item name"), max_length=100, required=False)
    tax_code = forms.CharField(label=_("Tax classification code"), max_length=19, required=False)
    specification = forms.CharField(label=_("Specification"), max_length=100, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"), required=False, min_value=0, max_digits=16, decimal_places=4
    )
    vat_rate_key = forms.ChoiceField(
        label=_("VAT rate"), choices=VatRateKey.choices, initial=VatRateKey.RATE_13
    )
    amount = forms.DecimalField(label=_("Amount"), required=False, max_digits=14, decimal_places=2)

    def line_input(self) -> ManualLineInput:
        data = self.cleaned_data
        return ManualLineInput(
            item_name=data.get("item_name") or "",
            tax_code=data.get("tax_code") or "",
            vat_rate_key=data.get("vat_rate_key") or "",
            amount=data.get("amount"),
            quantity=data.get("quantity"),
            unit=data.get("unit") or "",
            specification=data.get("specification") or "",
        )


ManualLineFormSet = forms.formset_factory(
    ManualLineForm,
    formset=LineGridFormSet,
    extra=LINE_ROWS,
    max_num=MAX_LINE_ROWS,
    absolute_max=MAX_LINE_ROWS,
    validate_max=True,
)


def manual_input(form: ManualInvoiceForm, lines: Any) -> ManualInvoiceInput:
    """What the service records, from the valid form and its filled line rows."""
    data = form.cleaned_data
    return ManualInvoiceInput(
        customer_id=data["customer"].pk,
        invoice_type=data["invoice_type"],
        code=data.get("code") or "",
        number=data["number"],
        issued_on=data["issued_on"],
        price_includes_tax=bool(data.get("price_includes_tax")),
        buyer=BuyerInput(
            name=data.get("buyer_name") or "", tax_number=data.get("buyer_tax_number") or ""
        ),
        drawer=data.get("drawer") or "",
        remarks=data.get("remarks") or "",
        lines=tuple(row.line_input() for row in lines.filled_forms()),
    )


def line_errors_place(form: ManualInvoiceForm, lines: Any, error: DomainError) -> None:
    """A service error on the page: `lines.<n>.<field>` on the n-th filled row, the rest on the
    form (its field, or on top)."""
    filled = lines.filled_forms()
    placed = False
    for name, messages in error.fields.items():
        parts = name.split(".")
        if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(filled) and parts[2] in filled[index].fields:
                for message in messages:
                    filled[index].add_error(parts[2], message)
                placed = True
                continue
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
        placed = True
    if not placed:
        form.add_error(None, error.message)
