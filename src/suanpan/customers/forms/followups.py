"""The follow-up form: input validation only; services save."""

from __future__ import annotations

from django import forms

from suanpan.core.forms import StyledFormMixin
from suanpan.customers.models import FollowUp


class FollowUpForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["followed_on", "way", "content", "next_step", "next_on"]
        widgets = {
            "followed_on": forms.DateInput(attrs={"type": "date"}),
            "next_on": forms.DateInput(attrs={"type": "date"}),
            "content": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self) -> None:
        pass
