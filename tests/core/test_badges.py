"""core.badges: a status's badge classes declared beside the choices, one tag that renders it."""

from __future__ import annotations

from django.template import Context, Template

from suanpan.core.badges import badge_classes
from suanpan.customers.choices import CustomerStatus
from suanpan.sales.choices import OrderStatus


def test_each_status_gets_its_declared_classes_and_any_other_the_fallback():
    assert badge_classes("order", OrderStatus.SHIPPED) == "rounded-pill text-bg-success"
    assert badge_classes("order", OrderStatus.CANCELLED) == "rounded-pill text-bg-danger"
    assert badge_classes("customer", CustomerStatus.ON_HOLD) == "text-bg-warning"
    assert badge_classes("customer", "unheard-of") == "text-bg-secondary"


def test_the_tag_renders_the_badge_and_escapes_its_label():
    html = Template('{% load badges %}{% status_badge "customer" status label %}').render(
        Context({"status": "active", "label": "<b>活跃</b>"})
    )

    assert html == '<span class="badge text-bg-success">&lt;b&gt;活跃&lt;/b&gt;</span>'
