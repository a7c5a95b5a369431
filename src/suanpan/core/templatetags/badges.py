"""{% status_badge kind status [label] %}: a status as a coloured badge, its colours (and, where
the label is left out, its label) declared with `core.badges.badge_tones` beside the app's
choices."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from suanpan.core.badges import badge_classes, badge_label

register = template.Library()


@register.simple_tag
def status_badge(kind: str, status: str, label: str | None = None) -> SafeString:
    if label is None:
        label = badge_label(kind, status)
    return format_html('<span class="badge {}">{}</span>', badge_classes(kind, status), label)
