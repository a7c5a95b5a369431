"""Input validation of the return page; the service checks what is left to return."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.inventory.models import Delivery, DeliveryLine, Warehouse
from suanpan.inventory.services.returns import ReturnLineInput


class ReturnForm(StyledFormMixin, forms.Form):
    """Where the goods go, when, why, and one quantity per delivery line (blank drops it)."""

    warehouse = forms.ModelChoiceField(
        label=_("Warehouse"), queryset=Warehouse.objects.filter(is_active=True)
    )
    returned_on = forms.DateField(label=_("Return date"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, delivery: Delivery, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].initial = delivery.warehouse_id
        self.fields["returned_on"].initial = timezone.localdate()
        self.delivery_lines: list[DeliveryLine] = [
            line for line in delivery.lines.all() if line.quantity > line.returned_quantity
        ]
        for line in self.delivery_lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=line.order_line.product_name,
                required=False,
                min_value=Decimal(0),
                max_digits=18,
                decimal_places=4,
                widget=forms.NumberInput(attrs={"step": "any", "class": "form-control text-end"}),
            )

    def line_rows(self) -> list[tuple[DeliveryLine, forms.BoundField]]:
        return [(line, self[f"line_{line.pk}"]) for line in self.delivery_lines]

    def lines(self) -> list[ReturnLineInput]:
        return [
            ReturnLineInput(delivery_line_id=line.pk, quantity=quantity)
            for line in self.delivery_lines
            if (quantity := self.cleaned_data.get(f"line_{line.pk}"))
        ]
