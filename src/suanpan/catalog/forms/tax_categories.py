"""The tax category form: input validation only; services save."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.catalog.models import TaxCategory
from suanpan.core.forms import StyledFormMixin


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
