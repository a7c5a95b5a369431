"""`bound_fields`: a list's filter row shows the fields it names, in the order it names them."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template

from suanpan.core.templatetags.form_fields import bound_fields


class _Filters(forms.Form):
    q = forms.CharField(required=False)
    status = forms.ChoiceField(choices=[("a", "A")], required=False)
    status_from = forms.DateField(required=False)
    owner = forms.CharField(required=False)


def test_bound_fields_keeps_the_order_named_and_only_those_fields():
    fields = bound_fields(_Filters(), "owner status")

    assert [field.name for field in fields] == ["owner", "status"]


def test_a_name_that_is_a_prefix_of_another_does_not_bring_the_other():
    fields = bound_fields(_Filters(), "status")

    assert [field.name for field in fields] == ["status"]


def test_a_name_the_form_lacks_is_an_error_not_a_gap():
    with pytest.raises(KeyError):
        bound_fields(_Filters(), "status region")


def test_the_filter_renders_each_field_in_a_template():
    html = Template(
        '{% load form_fields %}{% for f in form|bound_fields:"q owner" %}[{{ f.name }}]{% endfor %}'
    ).render(Context({"form": _Filters()}))

    assert html == "[q][owner]"
