"""`{% pk_url 'customers:detail' c.pk %}`: `{% url %}` for one whole-number id, for list rows.

A list page links every row to its record; `reverse()` walks the URL resolver each time. The
address of `name` is reversed once (per URLconf, script prefix and language) with a stand-in id
and reused with each row's id: the same text `{% url %}` prints. Anything but a positive whole
number goes through `reverse()` as before.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

register = template.Library()

_STAND_IN = 918273645


@lru_cache(maxsize=512)
def _around(name: str, urlconf: Any, prefix: str, language: str | None) -> tuple[str, str] | None:
    """The text before and after the id in `name`'s address, or None if the id does not
    appear exactly once."""
    url = reverse(name, args=[_STAND_IN], urlconf=urlconf)
    head, found, tail = url.partition(str(_STAND_IN))
    return (head, tail) if found and str(_STAND_IN) not in tail else None


def pk_url_text(name: str, pk: Any) -> str:
    if type(pk) is int and pk > 0:
        around = _around(name, get_urlconf(), get_script_prefix(), get_language())
        if around is not None:
            return f"{around[0]}{pk}{around[1]}"
    return reverse(name, args=[pk])


@register.simple_tag
def pk_url(name: str, pk: Any) -> str:
    return pk_url_text(name, pk)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _around.cache_clear()
