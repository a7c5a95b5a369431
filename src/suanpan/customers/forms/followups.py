"""The follow-up form: input validation only; services save."""

from __future__ import annotations

from django import forms

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.customers.models import FollowUp


class FollowUpForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["followed_on", "way", "content", "next_step", "next_on"]
        widgets = {
            "followed_on": DateInput(),
            "next_on": DateInput(),
            "content": forms.Textarea(attrs={"rows": 3}),
        }

    def _post_clean(self) -> None:
        pass
