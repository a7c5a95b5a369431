"""Pinyin of Chinese names, so a search finds 北京小米 by "beijing" or "bjxm". No Django."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def name_pinyin(name: str) -> str:
    """Full pinyin without tones or spaces: 北京小米 → beijingxiaomi."""
    return "".join(lazy_pinyin(name, style=Style.NORMAL)).lower().replace(" ", "")


def name_initials(name: str) -> str:
    """First letter of each character's pinyin: 北京小米 → bjxm (Latin words stay whole)."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower().replace(" ", "")
