"""`{{ field.value|date_iso }}`: a hand-written `<input type="date">`'s value, in the ISO form
the browser requires whatever the language, as `core.forms.DateInput` renders it."""

from __future__ import annotations

from typing import Any

from django import template

from suanpan.core.forms import date_iso as _date_iso

register = template.Library()


@register.filter
def date_iso(value: Any) -> str:
    return _date_iso(value)
