"""The customer import's upload form: the file, and for managers a default owner."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from suanpan.core.uploads import SpreadsheetImportForm
from suanpan.customers.selectors.owners import owner_choices
from suanpan.users.models import User


class ImportForm(SpreadsheetImportForm):
    owner = forms.ModelChoiceField(
        label=gettext_lazy("Default owner"),
        queryset=owner_choices(),
        required=False,
        help_text=gettext_lazy(
            "Owner of rows whose owner column is empty; yourself if not chosen."
        ),
    )
    update = forms.BooleanField(
        label=gettext_lazy("Update existing customers"),
        required=False,
        help_text=gettext_lazy(
            "Rows whose customer number or credit code belongs to an existing customer update "
            "it (empty cells keep the current value) instead of being refused as duplicates."
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not user.has_perm("customers.view_all_customers"):
            self.fields.pop("owner")  # only managers hand customers to others
        if not user.has_perm("customers.change_customer"):
            self.fields.pop("update")
