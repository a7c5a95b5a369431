"""Stock adjustment header form; the lines come from `forms.lines`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from suanpan.core.forms import StyledFormMixin
from suanpan.inventory.models import StockAdjustment, Warehouse


class StockAdjustmentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = StockAdjustment
        fields = ["warehouse", "adjusted_on", "reason"]
        widgets = {"adjusted_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["warehouse"]
        if isinstance(field, forms.ModelChoiceField):
            # A draft keeps showing its warehouse even if it was deactivated since.
            shown = Q(is_active=True)
            if self.instance.pk:
                shown |= Q(pk=self.instance.warehouse_id)
            field.queryset = Warehouse.objects.filter(shown)

    def _post_clean(self) -> None:
        pass
