"""Product forms: input validation only; services save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.catalog.models import PRODUCT_FIELDS, Product
from suanpan.catalog.selectors.tax_categories import tax_category_choices
from suanpan.core.forms import StyledFormMixin


class ProductForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Product
        fields = [name for name in PRODUCT_FIELDS if name != "is_active"]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "list_price": forms.NumberInput(attrs={"step": "any", "min": "0"}),
            "standard_cost": forms.NumberInput(attrs={"step": "any", "min": "0"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["tax_category"]
        if isinstance(category, forms.ModelChoiceField):
            current = self.instance.tax_category_id if self.instance.pk else None
            category.queryset = tax_category_choices(current=current)
        self.fields["list_price"].help_text = _(
            "Per unit, in yuan, up to 6 decimals; tick below whether it includes VAT."
        )

    def _post_clean(self) -> None:
        # Model validation (unique code, prices, active tax category) is the service's job.
        pass


class DeactivateForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=100, required=False)
