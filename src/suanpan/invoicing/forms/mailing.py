"""Input validation of the mailing pages; the services check invoices, dates and statuses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import DateInput, StyledFormMixin
from suanpan.invoicing.models import InvoiceMailing, InvoicingSettings


class MailingForm(StyledFormMixin, forms.ModelForm):
    """A parcel's details; recipient, phone and address start from the customer's."""

    class Meta:
        model = InvoiceMailing
        fields = ["sent_on", "courier", "tracking_number", "recipient", "phone", "address", "notes"]
        widgets = {"sent_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].initial = timezone.localdate()

    def details(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class TrackingForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = InvoiceMailing
        fields = ["courier", "tracking_number", "notes"]


class ReceiveForm(StyledFormMixin, forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class ReturnedForm(StyledFormMixin, forms.Form):
    notes = forms.CharField(label=_("Why it came back"), max_length=300, required=False)


class SettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = InvoicingSettings
        fields = ["due_from_received", "unconfirmed_after_days"]
