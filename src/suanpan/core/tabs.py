"""Tabs of a page that several apps fill, declared by each app in its own `tabs.py`.

The page that shows them lives in the highest app involved (the customer page in `web`), which
collects the declarations; a lower app never holds a registry of the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol


class _User(Protocol):
    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


@dataclass(frozen=True)
class Tab:
    """One tab: shown to users holding `permission` (every user who sees the page when empty),
    in `position` order, rendering `template` (empty: the page's own template draws it) with
    the context `context(user, subject, GET parameters)` returns."""

    key: str
    label: Any  # a translatable text
    position: int
    permission: str = ""
    template: str = ""
    context: Callable[[Any, Any, Any], dict[str, Any]] | None = None


def tabs_for(user: _User, tabs: Iterable[Tab]) -> list[Tab]:
    """The tabs this user may open, in page order."""
    return sorted(
        (tab for tab in tabs if not tab.permission or user.has_perm(tab.permission)),
        key=lambda tab: (tab.position, tab.key),
    )


def tab_choose(tabs: list[Tab], key: str | None) -> Tab:
    """The tab asked for, or the first one when it is unknown or not the user's."""
    return next((tab for tab in tabs if tab.key == key), tabs[0])
