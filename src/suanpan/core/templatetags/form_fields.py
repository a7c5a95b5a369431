"""`{{ form|bound_fields:"status kind grade" }}`: a form's fields named in a space-separated
string, in that order.

A list's filter row shows a few of its FilterSet's fields; looking them up by name builds only
those, where looping over the form would build every field to test its name.
"""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField

register = template.Library()


@register.filter
def bound_fields(form: forms.BaseForm, names: str) -> list[BoundField]:
    """The named fields; a name the form does not have is an error, not a silent gap."""
    return [form[name] for name in names.split()]
