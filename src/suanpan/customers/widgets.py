"""A customer picker for document forms: type a name, pinyin initials or number, pick one.

A select listing every customer a salesperson sees is unusable at 100,000 customers; this widget
renders only the chosen customer and asks `customers:search` for matches as the user types. The
form field stays a ModelChoiceField over the customers the user may pick, so validation (and
visibility) is exactly what it was.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse

from suanpan.customers.selectors.customers import customer_label


class CustomerPicker(forms.Widget):
    template_name = "customers/widgets/customer_picker.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["label"] = customer_label(pk=value) if value not in (None, "") else ""
        context["widget"]["search_url"] = reverse("customers:search")
        # Hyphenated attributes cannot be read in a template: the error and help text ids
        # Django's BoundField sets on the widget.
        widget_attrs = context["widget"]["attrs"]
        context["widget"]["describedby"] = widget_attrs.get("aria-describedby", "")
        context["widget"]["invalid"] = widget_attrs.get("aria-invalid") == "true"
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


def customer_picker_use(field: forms.Field) -> None:
    """Give a form's ModelChoiceField of customers the picker (its queryset is kept)."""
    disabled = field.disabled
    field.widget = CustomerPicker(attrs={"disabled": True} if disabled else None)
