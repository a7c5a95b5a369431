"""Input validation of delivery pages; the services check quantities against the order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suanpan.core.errors import DomainError
from suanpan.core.forms import DateInput, StyledFormMixin, form_add_domain_error
from suanpan.inventory.models import Delivery, Warehouse
from suanpan.inventory.services.deliveries import DeliveryLineInput

if TYPE_CHECKING:
    from suanpan.sales.models import SalesOrderLine


def _quantity_field(label: str, initial: Decimal) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_digits=18,
        decimal_places=4,
        # Shown as the person counts: 10, not 10.0000 (the column keeps four places).
        initial=initial.quantize(Decimal(1))
        if initial == initial.to_integral()
        else initial.normalize(),
        widget=forms.NumberInput(attrs={"step": "any", "class": "form-control text-end"}),
    )


def line_errors_place(form: forms.BaseForm, error: DomainError, line_ids: Sequence[int]) -> None:
    """Show a service's `lines.<i>.…` messages next to the quantity of the i-th line sent, the
    rest as on any form."""
    rest: dict[str, list[str]] = {}
    for name, field_messages in error.fields.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
            index = int(parts[1])
            if index < len(line_ids) and f"line_{line_ids[index]}" in form.fields:
                for message in field_messages:
                    form.add_error(f"line_{line_ids[index]}", message)
                continue
        rest[name] = field_messages
    if rest or not error.fields:
        form_add_domain_error(form, type(error)(error.message, fields=rest))


class DeliveryForm(StyledFormMixin, forms.ModelForm):
    """A draft's details and one quantity per order line still to ship (blank or 0 drops it)."""

    class Meta:
        model = Delivery
        fields = ["warehouse", "courier", "tracking_number", "delivery_address", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(
        self,
        *args: Any,
        order_lines: Iterable[SalesOrderLine],
        current: dict[int, Decimal] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        warehouse = self.fields["warehouse"]
        if isinstance(warehouse, forms.ModelChoiceField):
            warehouse.queryset = Warehouse.objects.filter(is_active=True)
        self.order_lines = [
            line
            for line in order_lines
            if line.open_quantity > 0 or (current and line.pk in current)
        ]
        for line in self.order_lines:
            initial = (
                current.get(line.pk, Decimal(0)) if current is not None else line.open_quantity
            )
            self.fields[f"line_{line.pk}"] = _quantity_field(line.product_name, initial)

    def _post_clean(self) -> None:
        pass  # the service validates and saves

    def line_rows(self) -> list[tuple[SalesOrderLine, forms.BoundField]]:
        return [(line, self[f"line_{line.pk}"]) for line in self.order_lines]

    def lines(self) -> list[DeliveryLineInput]:
        chosen = []
        for line in self.order_lines:
            quantity = self.cleaned_data.get(f"line_{line.pk}")
            if quantity:
                chosen.append(DeliveryLineInput(order_line_id=line.pk, quantity=quantity))
        return chosen

    def details(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TrackingForm(StyledFormMixin, forms.ModelForm):
    """What changes once the goods are on their way: the courier's details, the signed date."""

    class Meta:
        model = Delivery
        fields = ["courier", "tracking_number", "signed_on"]
        widgets = {"signed_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.signed_on:
            self.fields.pop("signed_on")

    def _post_clean(self) -> None:
        pass

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.changed_data}


class ShipForm(StyledFormMixin, forms.Form):
    shipped_on = forms.DateField(label=_("Ship date"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shipped_on"].initial = timezone.localdate()


class SignForm(StyledFormMixin, forms.Form):
    signed_on = forms.DateField(label=_("Signed-for date"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].initial = timezone.localdate()
