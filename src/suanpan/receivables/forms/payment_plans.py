"""The payment plan page's form: the company's reminder setting. The service checks it."""

from __future__ import annotations

from django import forms

from suanpan.core.forms import StyledFormMixin
from suanpan.receivables.models import ReceivablesSettings


class ReceivablesSettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ReceivablesSettings
        fields = ["remind_days_before"]
