"""Dunning forms: a level with its letters, the day of a run, a promise to pay, a customer's
dunning settings. Input checks only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.core.limits import MAX_AMOUNT
from suanpan.receivables.choices import DunningLanguage
from suanpan.receivables.forms.receipts import CENT
from suanpan.receivables.services import LevelInput, ProfileInput

TEXTAREA = {"rows": 10, "class": "form-control font-monospace"}


class LevelForm(StyledFormMixin, forms.Form):
    position = forms.IntegerField(label=_("Position"), min_value=1, max_value=100)
    name = forms.CharField(label=_("Name"), max_length=60)
    days = forms.IntegerField(
        label=_("Days after due date"),
        min_value=-365,
        max_value=3650,
        help_text=_("Negative for a reminder before the due date."),
    )
    subject_zh = forms.CharField(label=_("Subject (Chinese)"), max_length=200)
    body_zh = forms.CharField(label=_("Letter (Chinese)"), widget=forms.Textarea(attrs=TEXTAREA))
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=200)
    body_en = forms.CharField(label=_("Letter (English)"), widget=forms.Textarea(attrs=TEXTAREA))
    sends_email = forms.BooleanField(label=_("Send the letter by e-mail"), required=False)
    creates_task = forms.BooleanField(
        label=_("Give the customer's owner a collection task"), required=False
    )
    holds_credit = forms.BooleanField(label=_("Put the customer on credit hold"), required=False)
    attaches_statement = forms.BooleanField(label=_("Attach the statement"), required=False)
    interest_rate = forms.DecimalField(
        label=_("Late-payment interest per day"),
        required=False,
        min_value=0,
        max_value=CENT,
        max_digits=7,
        decimal_places=6,
        help_text=_("A fraction per day: 0.0005 is 万分之五. Empty: no interest."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def to_input(self) -> LevelInput:
        return LevelInput(**self.cleaned_data)


def level_initial(level: Any) -> dict[str, Any]:
    return {name: getattr(level, name) for name in LevelForm.base_fields}


class RunForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label=_("Dunning day"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class PromiseForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"), min_value=CENT, max_value=MAX_AMOUNT, max_digits=16, decimal_places=2
    )
    promised_on = forms.DateField(label=_("Promised for"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)


class ProfileForm(StyledFormMixin, forms.Form):
    is_excluded = forms.BooleanField(label=_("Excluded from dunning"), required=False)
    excluded_reason = forms.CharField(label=_("Reason excluded"), max_length=300, required=False)
    email = forms.EmailField(
        label=_("Dunning e-mail"),
        required=False,
        help_text=_("Letters go here instead of the primary contact's e-mail."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=DunningLanguage.choices)

    def to_input(self) -> ProfileInput:
        return ProfileInput(**self.cleaned_data)


def profile_initial(profile: Any) -> dict[str, Any]:
    if profile is None:
        return {"language": DunningLanguage.ZH}
    return {name: getattr(profile, name) for name in ProfileForm.base_fields}
