"""Customer forms: input validation only; services save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from suanpan.core.forms import StyledFormMixin
from suanpan.customers.models import CUSTOMER_FIELDS, Customer
from suanpan.customers.selectors.owners import owner_choices
from suanpan.users.models import User


class CustomerForm(StyledFormMixin, forms.ModelForm):
    # Longer than the stored 18 characters: people paste codes with spaces, which the service strips.
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=30,
        required=False,
        help_text=_("18 characters, checked against its check character."),
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with commas.")
    )
    shared_with = forms.ModelMultipleChoiceField(
        label=_("Shared with"),
        queryset=owner_choices(),
        required=False,
        help_text=_("Other salespeople who may see and edit this customer."),
    )

    class Meta:
        model = Customer
        fields = CUSTOMER_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner_field = self.fields["owner"]
        if isinstance(owner_field, forms.ModelChoiceField):
            owner_field.queryset = owner_choices()
        self.fields["owner"].required = False
        if not user.has_perm("customers.view_all_customers"):
            # A salesperson owns what they create; only managers hand customers over.
            self.fields.pop("owner")
        if self.instance.pk:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())
            self.initial["shared_with"] = list(self.instance.shared_with.all())

    def _post_clean(self) -> None:
        # Model validation (uniqueness, identifiers) is the service's job, in one place.
        pass

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        return [t.strip() for t in raw.replace("，", ",").split(",") if t.strip()]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data.get("owner") is None:
            data.pop("owner", None)
        return data


class MergeForm(StyledFormMixin, forms.Form):
    target_number = forms.CharField(
        label=_("Number of the customer to keep"),
        max_length=20,
        help_text=_("This customer's contacts, addresses, follow-ups and documents move there."),
    )
