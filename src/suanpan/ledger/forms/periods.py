"""The form for reopening a period."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import StyledFormMixin


class ReopenForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
