"""core.badges: a status's badge classes declared beside the choices, one tag that renders it."""

from __future__ import annotations

import pytest
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


# What each app's badge template showed before the colours moved beside the choices.
@pytest.mark.parametrize(
    ("kind", "status", "classes"),
    [
        ("contract", "draft", "text-bg-secondary"),
        ("contract", "terminated", "text-bg-danger"),
        ("invoice", "voided", "text-bg-dark"),
        ("invoice", "partly_reversed", "text-bg-warning"),
        ("red_form", "02", "text-bg-warning"),
        ("red_form", "04", "text-bg-success"),
        ("red_form", "07", "text-bg-secondary"),
        ("mailing", "sent", "text-bg-warning"),
        ("invoice_request", "exported", "text-bg-info"),
        ("invoice_request", "cancelled", "text-bg-light border"),
        ("receipt", "posted", "text-bg-success"),
        ("receipt", "cancelled", "text-bg-secondary"),
        ("statement", "sent", "text-bg-primary"),
        ("statement", "draft", "text-bg-secondary"),
        ("voucher", "reviewed", "text-bg-info"),
        ("voucher", "draft", "text-bg-secondary"),
        ("delivery", "signed", "text-bg-success"),
        ("delivery", "cancelled", "text-bg-light border"),
        ("stock_document", "draft", "text-bg-warning"),
    ],
)
def test_every_app_declares_its_statuses_colours(kind, status, classes):
    assert badge_classes(kind, status) == classes


def test_without_a_label_the_tag_takes_the_status_label_in_the_page_language():
    from django.utils import translation

    template = Template('{% load badges %}{% status_badge "order" status %}')
    with translation.override("en"):
        english = template.render(Context({"status": OrderStatus.PARTLY_SHIPPED}))
    with translation.override("zh-hans"):
        chinese = template.render(Context({"status": "partly_shipped"}))

    assert english == '<span class="badge rounded-pill text-bg-warning">Partly shipped</span>'
    with translation.override("zh-hans"):
        assert chinese == (
            f'<span class="badge rounded-pill text-bg-warning">{OrderStatus.PARTLY_SHIPPED.label}</span>'
        )
    assert "Partly shipped" not in chinese


def test_every_kind_declares_a_label_for_each_of_its_statuses():
    from suanpan.core import badges

    for kind, (tones, _other) in badges._TONES.items():
        assert set(tones) <= set(badges._LABELS[kind]), kind
