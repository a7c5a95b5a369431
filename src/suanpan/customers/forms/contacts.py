"""Contact and address forms: input validation only; services save."""

from __future__ import annotations

from django import forms

from suanpan.core.forms import StyledFormMixin
from suanpan.customers.models import Address, Contact


class ContactForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "phone", "email", "is_primary"]

    def _post_clean(self) -> None:
        pass


class AddressForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Address
        fields = ["kind", "region", "address", "postcode", "receiver", "phone"]

    def _post_clean(self) -> None:
        pass
