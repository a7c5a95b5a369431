"""Status badges: the colour each app gives its documents' statuses, declared once beside the
choices (`badge_tones`), and one template tag that renders a badge (`{% status_badge %}` in
`core.templatetags.badges`) — a list of 25 rows then renders no template per row for it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Choices

_TONES: dict[str, tuple[dict[str, str], str]] = {}
_LABELS: dict[str, dict[str, Any]] = {}


def badge_tones(kind: str, tones: Mapping[str, str], *, other: str, labels: type[Choices]) -> None:
    """Declare the badge classes of a kind of status (e.g. "order"): per status, and `other`
    for any status not named; `labels` (the status's choices) gives each badge its label, so
    a list need not call `get_status_display`, which rebuilds the field's choice map on every
    call."""
    _TONES[kind] = ({str(status): classes for status, classes in tones.items()}, other)
    _LABELS[kind] = {str(value): label for value, label in labels.choices}


def badge_classes(kind: str, status: str) -> str:
    tones, other = _TONES[kind]
    return tones.get(str(status), other)


def badge_label(kind: str, status: str) -> Any:
    """The status's label (a lazy translation) from the choices declared with the tones."""
    return _LABELS[kind][str(status)]
