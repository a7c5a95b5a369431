"""The Python widget renderer prints exactly what Django's widget templates print."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from suanpan.core import forms as core_forms
from suanpan.core.forms import WIDGET_RENDERER, StyledFormMixin


class Everything(StyledFormMixin, forms.Form):
    name = forms.CharField(max_length=60, required=False)
    amount = forms.IntegerField(required=False, min_value=0)
    email = forms.EmailField(required=False)
    on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(required=False)
    secret = forms.CharField(required=False, widget=forms.PasswordInput)
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        required=False,
        choices=[("", "---------"), ("a", gettext_lazy("Active")), ("b", 'Quote "&" <b>')],
    )
    grouped = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("Group <1>", [(1, "one"), (2, "two")]), ("x", mark_safe("<i>x</i>"))],
    )
    many = forms.MultipleChoiceField(required=False, choices=[("a", "A"), ("b", "B")])
    flag = forms.BooleanField(required=False)
    text = forms.CharField(required=False, widget=forms.Textarea)


def _both(form: forms.Form) -> list[tuple[str, str]]:
    pairs = []
    for field in form:
        fast = str(field)
        form.renderer = get_default_renderer()
        slow = str(field)
        form.renderer = WIDGET_RENDERER
        pairs.append((fast, slow))
    return pairs


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {
            "name": 'O\'Brien & "Sons" <x>',
            "amount": "12",
            "email": "a@b.cn",
            "on": "2026-11-30",
            "at": "2026-11-30 10:00",
            "secret": "s",
            "hidden": "h&",
            "kind": "b",
            "grouped": "2",
            "many": ["a", "b"],
            "flag": "on",
            "text": "<t>",
        },
    ],
)
def test_widget_renderer_prints_the_templates_output_when_rendering_widgets(data):
    form = Everything(data=data, initial={"on": datetime.date(2026, 1, 2), "amount": 1000})
    assert form.renderer is WIDGET_RENDERER
    for fast, slow in _both(form):
        assert fast == slow


def test_widget_renderer_prints_the_templates_output_for_model_choices(db):
    from suanpan.users.models import User

    User.objects.create_user(username="z", display_name='Zhao "&" <Wei>')

    class Owners(StyledFormMixin, forms.Form):
        owner = forms.ModelChoiceField(queryset=User.objects.all(), required=False)

    for data in (None, {"owner": str(User.objects.get().pk)}):
        for fast, slow in _both(Owners(data=data)):
            assert fast == slow


def test_widget_renderer_uses_python_for_inputs_and_selects(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("fell back to the template")

    monkeypatch.setattr(core_forms, "get_default_renderer", lambda: refuse)
    form = Everything(data={"kind": "a", "name": "x", "on": "2026-01-01"})
    for name in ("name", "amount", "on", "kind", "grouped", "hidden"):
        assert str(form[name])


# ---------------------------------------------------------------------------- flash_refusal


def _flashed(**kwargs) -> list[str]:
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    core_forms.flash_refusal(request, **kwargs)
    return [str(m) for m in get_messages(request)]


def test_a_refusal_flashes_each_field_message_of_the_error():
    from suanpan.core.errors import ValidationFailed

    error = ValidationFailed(fields={"a": ["First."], "b": ["Second."]})

    assert _flashed(error=error) == ["First.", "Second."]
    assert _flashed(error=error, headline=True) == [error.message, "First.", "Second."]


def test_a_refusal_without_fields_flashes_the_error_message():
    from suanpan.core.errors import DomainError

    assert _flashed(error=DomainError("Not now.")) == ["Not now."]


def test_a_refused_form_flashes_each_of_its_errors():
    class Dated(forms.Form):
        on = forms.DateField()

    form = Dated({"on": "tomorrow"})
    form.is_valid()

    assert _flashed(form=form) == ["Enter a valid date."]
