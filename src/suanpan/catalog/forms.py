"""Input validation only; services save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.catalog.models import PRODUCT_FIELDS, Product, TaxCategory
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
            # A deactivated category stays selectable only on the products that have it.
            current = self.instance.tax_category_id if self.instance.pk else None
            active = TaxCategory.objects.filter(is_active=True)
            category.queryset = (
                active | TaxCategory.objects.filter(pk=current) if current else active
            ).order_by("code")
        self.fields["list_price"].help_text = _(
            "Per unit, in yuan, up to 6 decimals; tick below whether it includes VAT."
        )

    def _post_clean(self) -> None:
        # Model validation (unique code, prices, active tax category) is the service's job.
        pass


class TaxCategoryForm(StyledFormMixin, forms.ModelForm):
    # Longer than the stored 19 digits: codes are pasted with spaces, which the service strips.
    code = forms.CharField(
        label=_("Tax classification code"),
        max_length=30,
        help_text=_("The 19-digit 税收分类编码 printed on invoices."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = TaxCategory
        fields = ["code", "name", "vat_rate_key"]

    def _post_clean(self) -> None:
        pass


class DeactivateForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=100, required=False)
