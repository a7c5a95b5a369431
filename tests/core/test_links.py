"""`{% pk_url %}` prints what `{% url %}` prints for a row's id."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch


@pytest.mark.parametrize(
    ("name", "pk"),
    [("customers:detail", 1), ("customers:detail", 123456), ("sales:order_detail", 42)],
)
def test_pk_url_prints_what_url_prints_when_given_an_id(name, pk):
    context = Context({"name": name, "pk": pk})
    fast = Template("{% load links %}{% pk_url name pk %}|{% pk_url name pk as u %}{{ u }}")
    slow = Template("{% url name pk %}|{% url name pk as u %}{{ u }}")
    assert fast.render(context) == slow.render(context)
    assert str(pk) in fast.render(context)


def test_pk_url_refuses_what_url_refuses_when_the_id_is_not_a_number():
    with pytest.raises(NoReverseMatch):
        Template("{% load links %}{% pk_url 'customers:detail' pk %}").render(
            Context({"pk": "abc"})
        )


def test_pk_url_follows_the_script_prefix_when_mounted_below_the_root():
    from django.urls import set_script_prefix

    set_script_prefix("/crm/")
    try:
        rendered = Template("{% load links %}{% pk_url 'customers:detail' 7 %}").render(Context())
        assert rendered == Template("{% url 'customers:detail' 7 %}").render(Context())
        assert rendered.startswith("/crm/")
    finally:
        set_script_prefix("/")
