"""Form helpers shared by every app: Bootstrap styling and domain errors shown next to fields."""

from __future__ import annotations

from typing import Any

from django import forms

from suanpan.core.errors import DomainError


class StyledFormMixin:
    """Give widgets the CSS classes of the UI framework; forms stay input validation only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def form_add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's error on the form: field messages by their fields, the rest on top."""
    placed = False
    for name, messages in error.fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)
