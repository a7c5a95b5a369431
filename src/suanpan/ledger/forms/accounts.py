"""The sub-account form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import StyledFormMixin


class SubAccountForm(StyledFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=30,
        help_text=_("The parent's code, a dot and a number: 1122.03"),
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    requires_customer = forms.BooleanField(label=_("Customer dimension required"), required=False)
    is_open_item = forms.BooleanField(label=_("Open-item managed"), required=False)
