"""Pure functions for customer search: pinyin and the text a search matches against."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from suanpan.core.pinyin import name_initials, name_pinyin

_NON_DIGITS = re.compile(r"\D+")


@dataclass(frozen=True)
class SearchFields:
    """What a customer row stores for search: pinyin, initials and the combined text."""

    name_pinyin: str
    name_initials: str
    search_text: str


def search_fields(
    *,
    name: str,
    short_name: str = "",
    number: str = "",
    credit_code: str = "",
    contact_names: Iterable[str] = (),
    phones: Iterable[str] = (),
) -> SearchFields:
    """Everything a user may type to find a customer, lower-case, one item per line.

    Pinyin is worked out once per name: it is the costly part of importing many customers.
    """
    pinyin, initials = name_pinyin(name), name_initials(name)
    parts = [
        name,
        pinyin,
        initials,
        short_name,
        name_pinyin(short_name) if short_name else "",
        name_initials(short_name) if short_name else "",
        number,
        credit_code,
        *contact_names,
        *(_NON_DIGITS.sub("", phone) for phone in phones),
    ]
    text = "\n".join(p.strip().lower() for p in parts if p and p.strip())
    return SearchFields(name_pinyin=pinyin, name_initials=initials, search_text=text)


def search_query_normalize(query: str) -> str:
    """What a search box gives, made comparable with search_text(): trimmed and lower-case.

    A query that is a phone number written with spaces or dashes is compared by digits.
    """
    query = query.strip().lower()
    if query and _NON_DIGITS.sub("", query) and re.fullmatch(r"[\d\s\-+()]+", query):
        return _NON_DIGITS.sub("", query)
    return query
