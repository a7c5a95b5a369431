"""Statement forms: input validation only; the services check the customer, the period, the
address and whether the statement may still be answered."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.customers.selectors import customer_visible
from suanpan.customers.widgets import customer_picker_use
from suanpan.receivables.choices import StatementAnswer, StatementKind
from suanpan.receivables.services import StatementInput
from suanpan.receivables.services.statements import last_month
from suanpan.users.models import User

NOTES_MAX = 1000


class StatementForm(StyledFormMixin, forms.Form):
    customer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Customer")
    )
    start_on = forms.DateField(label=_("From"), widget=DateInput())
    end_on = forms.DateField(label=_("To"), widget=DateInput())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=StatementKind.choices, initial=StatementKind.STATEMENT
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        customer_field = cast(forms.ModelChoiceField, self.fields["customer"])
        customer_field.queryset = customer_visible(user=user)
        customer_picker_use(customer_field)
        start, end = last_month(timezone.localdate())
        self.fields["start_on"].initial = start
        self.fields["end_on"].initial = end

    def statement_input(self) -> StatementInput:
        data = self.cleaned_data
        return StatementInput(
            customer_id=data["customer"].pk,
            start_on=data["start_on"],
            end_on=data["end_on"],
            kind=data["kind"],
        )


class SendForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("Send to"), max_length=254)


class AnswerForm(StyledFormMixin, forms.Form):
    """The customer's answer, given by a user (mark) or by the customer on the link."""

    answer = forms.ChoiceField(
        label=_("Answer"), choices=StatementAnswer.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What differs, when the balance is disputed."),
    )


class ScheduleForm(StyledFormMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    is_active = forms.BooleanField(
        label=_("Send last month's statement every month"), required=False
    )
