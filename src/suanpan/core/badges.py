"""Status badges: the colour each app gives its documents' statuses, declared once beside the
choices (`badge_tones`), and one template tag that renders a badge (`{% status_badge %}` in
`core.templatetags.badges`) — a list of 25 rows then renders no template per row for it."""

from __future__ import annotations

from collections.abc import Mapping

_TONES: dict[str, tuple[dict[str, str], str]] = {}


def badge_tones(kind: str, tones: Mapping[str, str], *, other: str) -> None:
    """Declare the badge classes of a kind of status (e.g. "order"): per status, and `other`
    for any status not named."""
    _TONES[kind] = ({str(status): classes for status, classes in tones.items()}, other)


def badge_classes(kind: str, status: str) -> str:
    tones, other = _TONES[kind]
    return tones.get(str(status), other)
