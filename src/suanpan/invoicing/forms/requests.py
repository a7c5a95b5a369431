"""Input validation of invoice request pages; the services check quantities, amounts and the
buyer against the order and the tax platform's rules, and their field errors land here."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suanpan.core.errors import DomainError
from suanpan.core.forms import DateInput, StyledFormMixin, form_add_domain_error, plain
from suanpan.invoicing.calculations.lines import LINE_LIMIT
from suanpan.invoicing.choices import REQUESTABLE_TYPES, InvoiceType
from suanpan.invoicing.models import InvoiceRequest
from suanpan.invoicing.selectors.requests import OrderLineRow
from suanpan.invoicing.services.buyers import BuyerInput
from suanpan.invoicing.services.invoices import IssueInput
from suanpan.invoicing.services.requests import (
    RequestInput,
    RequestLineInput,
    vat_rate_choices,
)

BUYER_FIELDS = (
    "buyer_name",
    "buyer_tax_number",
    "buyer_is_person",
    "buyer_address",
    "buyer_phone",
    "buyer_bank",
    "buyer_account",
    "buyer_email",
)
# A service names a platform problem of line i `lines.<i>.rate` or `.tax`; the form shows them
# by the field the person typed.
_LINE_FIELD = {"rate": "vat_rate_key", "tax": "amount", "order_line_id": "quantity"}


def _quantity_field(label: str, initial: Decimal) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=18,
        decimal_places=4,
        initial=plain(initial),
        # Added after the styling mixin has run over the fields: styled here.
        widget=forms.NumberInput(attrs={"step": "any", "class": "form-control text-end"}),
    )


class RequestForm(StyledFormMixin, forms.ModelForm):
    """Buyer, type and remarks, plus one quantity per order line (blank or 0 leaves the line
    out) when the request bills an order."""

    class Meta:
        model = InvoiceRequest
        fields = ["invoice_type", *BUYER_FIELDS, "remarks"]
        widgets = {"remarks": forms.Textarea(attrs={"rows": 2})}

    def __init__(
        self,
        *args: Any,
        order_rows: Sequence[OrderLineRow] = (),
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        invoice_type = self.fields["invoice_type"]
        if isinstance(invoice_type, forms.ChoiceField):
            invoice_type.choices = [
                (value, InvoiceType(value).label) for value in REQUESTABLE_TYPES
            ]
        self.order_rows = list(order_rows)
        for row in self.order_rows:
            initial = row.current if editing else row.requestable
            self.fields[f"line_{row.line.pk}"] = _quantity_field(row.line.product_name, initial)

    def _post_clean(self) -> None:
        pass  # the service validates and saves

    def line_rows(self) -> list[tuple[OrderLineRow, forms.BoundField]]:
        return [(row, self[f"line_{row.line.pk}"]) for row in self.order_rows]

    def lines(self) -> tuple[RequestLineInput, ...]:
        chosen = []
        for row in self.order_rows:
            quantity = self.cleaned_data.get(f"line_{row.line.pk}")
            if quantity:
                chosen.append(RequestLineInput(order_line_id=row.line.pk, quantity=quantity))
        return tuple(chosen)

    def line_keys(self) -> list[str]:
        """The field of each line sent to the service, in the order sent."""
        return [f"line_{line.order_line_id}" for line in self.lines()]

    def buyer(self) -> BuyerInput:
        data = self.cleaned_data
        return BuyerInput(
            name=data.get("buyer_name") or "",
            tax_number=data.get("buyer_tax_number") or "",
            is_person=bool(data.get("buyer_is_person")),
            address=data.get("buyer_address") or "",
            phone=data.get("buyer_phone") or "",
            bank=data.get("buyer_bank") or "",
            account=data.get("buyer_account") or "",
            email=data.get("buyer_email") or "",
        )

    def request_input(self, **source: Any) -> RequestInput:
        """What the service takes: `source` names what the request bills (and its lines)."""
        return RequestInput(
            invoice_type=self.cleaned_data["invoice_type"],
            buyer=self.buyer(),
            remarks=self.cleaned_data.get("remarks") or "",
            **source,
        )


class TypedLineForm(StyledFormMixin, forms.Form):
    """A line typed by hand (a contract instalment): what is invoiced and for how much."""

    item_name = forms.CharField(label=_("Item name"), max_length=100, required=False)
    tax_code = forms.CharField(
        label=_("Tax classification code"),
        max_length=19,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    vat_rate_key = forms.ChoiceField(label=_("VAT rate"), required=False)
    amount = forms.DecimalField(
        label=_("Amount including tax"),
        required=False,
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "class": "text-end"}),
    )
    discount = forms.DecimalField(
        label=_("Discount"),
        required=False,
        min_value=Decimal(0),
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "class": "text-end"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rate = self.fields["vat_rate_key"]
        if isinstance(rate, forms.ChoiceField):
            rate.choices = [("", "—"), *vat_rate_choices()]
        for field in self.fields.values():
            # Each cell of the grid is named for screen readers as its column header reads.
            field.widget.attrs.setdefault("aria-label", str(field.label))

    def line(self) -> RequestLineInput:
        data = self.cleaned_data
        return RequestLineInput(
            item_name=data.get("item_name") or "",
            tax_code=data.get("tax_code") or "",
            vat_rate_key=data.get("vat_rate_key") or "",
            amount=data.get("amount"),
            discount=data.get("discount") or Decimal(0),
        )


class TypedLineBaseFormSet(forms.BaseFormSet):
    """The typed lines: a row left blank is no line."""

    def initial_form_count(self) -> int:
        # Posted rows may all be blank; none is "initial" once bound.
        return 0 if self.is_bound else super().initial_form_count()

    def filled_forms(self) -> list[TypedLineForm]:
        return [form for form in self.forms if form.has_changed()]

    def lines(self) -> tuple[RequestLineInput, ...]:
        return tuple(form.line() for form in self.filled_forms())


TypedLineFormSet = forms.formset_factory(
    TypedLineForm,
    formset=TypedLineBaseFormSet,
    extra=2,
    max_num=LINE_LIMIT,
    absolute_max=LINE_LIMIT,
)


def typed_lines_formset(
    data: Any = None, *, initial: list[dict[str, Any]] | None = None
) -> TypedLineBaseFormSet:
    """The typed lines' rows: prefilled when shown, read as posted (no initial) when bound, so
    a prefilled row the person left as it was still counts as a line."""
    if data is not None:
        formset = TypedLineFormSet(data, prefix="lines")
    else:
        formset = TypedLineFormSet(initial=initial or [], prefix="lines")
    return cast(TypedLineBaseFormSet, formset)


def request_errors_place(
    form: RequestForm,
    error: DomainError,
    *,
    line_keys: Sequence[str] = (),
    formset: TypedLineBaseFormSet | None = None,
) -> None:
    """Show a service's errors by their fields: buyer and type on the form, `lines.<i>.<field>`
    on the i-th line sent (an order line's quantity, or a typed row's cell), the rest on top."""
    rest: dict[str, list[str]] = {}
    filled = formset.filled_forms() if formset is not None else []
    for name, messages in error.fields.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
            index, field = int(parts[1]), _LINE_FIELD.get(parts[2], parts[2])
            if formset is not None and index < len(filled) and field in filled[index].fields:
                for message in messages:
                    filled[index].add_error(field, message)
                continue
            if index < len(line_keys) and line_keys[index] in form.fields:
                for message in messages:
                    form.add_error(line_keys[index], message)
                continue
        rest[name] = messages
    if rest or not error.fields:
        form_add_domain_error(form, type(error)(error.message, fields=rest))


class RejectForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The maker sees it and fixes the request."),
    )


class IssueForm(StyledFormMixin, forms.Form):
    """The invoice the platform issued for an approved request, typed from the platform."""

    number = forms.CharField(
        label=_("Invoice number"),
        max_length=20,
        help_text=_("The 20-digit number of the digital invoice."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    issued_on = forms.DateField(label=_("Issue date"), widget=DateInput())
    code = forms.CharField(
        label=_("Invoice code"),
        max_length=12,
        required=False,
        help_text=_("Paper invoices only."),
    )
    drawer = forms.CharField(label=_("Drawer"), max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()

    def issue_input(self) -> IssueInput:
        data = self.cleaned_data
        return IssueInput(
            number=data["number"],
            issued_on=data["issued_on"],
            code=data.get("code") or "",
            drawer=data.get("drawer") or "",
        )
