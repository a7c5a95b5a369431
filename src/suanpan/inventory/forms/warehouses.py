"""Warehouse form: input validation only; `services.warehouses` saves."""

from __future__ import annotations

from django import forms

from suanpan.core.forms import StyledFormMixin
from suanpan.inventory.models import Warehouse


class WarehouseForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Warehouse
        fields = ["code", "name", "address"]

    def _post_clean(self) -> None:
        # Uniqueness and normalising the code are the service's job, in one place.
        pass
