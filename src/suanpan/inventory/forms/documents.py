"""What the header forms of goods receipts and stock adjustments share; the lines come from
`forms.lines`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from suanpan.core.forms import StyledFormMixin
from suanpan.inventory.models import Warehouse


class DocumentHeaderForm(StyledFormMixin, forms.ModelForm):
    """Offers the active warehouses; validation beyond the fields is the service's."""

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
