"""Pure functions for customer search: pinyin and the text a search matches against."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pypinyin import Style, lazy_pinyin

_NON_DIGITS = re.compile(r"\D+")


def name_pinyin(name: str) -> str:
    """Full pinyin without tones or spaces: 北京小米 → beijingxiaomi."""
    return "".join(lazy_pinyin(name, style=Style.NORMAL)).lower().replace(" ", "")


def name_initials(name: str) -> str:
    """First letter of each character's pinyin: 北京小米 → bjxm (Latin words stay whole)."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower().replace(" ", "")


def search_text(
    *,
    name: str,
    short_name: str = "",
    number: str = "",
    credit_code: str = "",
    contact_names: Iterable[str] = (),
    phones: Iterable[str] = (),
) -> str:
    """Everything a user may type to find a customer, lower-case, one field per line."""
    parts = [
        name,
        name_pinyin(name),
        name_initials(name),
        short_name,
        name_pinyin(short_name) if short_name else "",
        name_initials(short_name) if short_name else "",
        number,
        credit_code,
        *contact_names,
        *(_NON_DIGITS.sub("", phone) for phone in phones),
    ]
    return "\n".join(p.strip().lower() for p in parts if p and p.strip())


def search_query_normalize(query: str) -> str:
    """What a search box gives, made comparable with search_text(): trimmed and lower-case.

    A query that is a phone number written with spaces or dashes is compared by digits.
    """
    query = query.strip().lower()
    if query and _NON_DIGITS.sub("", query) and re.fullmatch(r"[\d\s\-+()]+", query):
        return _NON_DIGITS.sub("", query)
    return query
