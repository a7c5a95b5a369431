"""The shared field include ties a field's help and error messages to it for screen readers."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string

from suanpan.core.forms import StyledFormMixin


class _Form(StyledFormMixin, forms.Form):
    name = forms.CharField(label="Name", help_text="As on the business licence.")
    terms = forms.IntegerField(label="Payment terms", min_value=0)


def _described(html: str, field_id: str) -> list[str]:
    tag = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', html)
    assert tag is not None
    found = re.search(r'aria-describedby="([^"]*)"', tag.group(0))
    return found.group(1).split() if found else []


def test_field_error_and_help_are_named_by_the_field_when_invalid() -> None:
    form = _Form(data={"name": "", "terms": "-1"})
    assert not form.is_valid()

    for name in ("name", "terms"):
        html = render_to_string("web/includes/field.html", {"field": form[name]})
        field_id = form[name].auto_id
        described = _described(html, field_id)
        assert f"{field_id}_error" in described
        assert 'aria-invalid="true"' in html
        for ref in described:
            assert html.count(f'id="{ref}"') == 1, f"{name}: aria-describedby names missing #{ref}"


def test_field_help_is_named_by_the_field_when_valid() -> None:
    form = _Form()

    html = render_to_string("web/includes/field.html", {"field": form["name"]})

    assert _described(html, "id_name") == ["id_name_helptext"]
    assert 'id="id_name_helptext"' in html
