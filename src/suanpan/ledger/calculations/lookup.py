"""Finding an account or a customer the way accountants type it: by code, by name, or by the
pinyin of the name, in full or by initials (1002, 银行存款, yinhang, yhck). No Django."""

from __future__ import annotations

import re
from enum import IntEnum
from functools import lru_cache

from suanpan.core.pinyin import name_initials, name_pinyin

_NOT_LETTERS = re.compile(r"[^0-9a-z]")


class MatchRank(IntEnum):
    """How well a typed text fits, best first: the order suggestions are offered in."""

    CODE = 0  # the code starts with it: 1002, 1122.0
    INITIALS = 1  # the initials start with it: yhck
    NAME = 2  # the name holds it: 银行, 存款
    PINYIN = 3  # the full pinyin starts with it: yinhang
    INSIDE = 4  # the initials or the pinyin hold it: ck, cunkuan


def letters(text: str) -> str:
    """Lower-case Latin letters and digits only: what pinyin is compared by."""
    return _NOT_LETTERS.sub("", text.lower())


@lru_cache(maxsize=8192)
def spelling(name: str) -> tuple[str, str]:
    """(pinyin, initials) of a name as `letters`: 应收账款-客户 → (yingshouzhangkuankehu, yszkkh).

    Cached by name: a chart's few hundred names are spelt once per process, and a renamed
    account is a new key, so nothing goes stale.
    """
    return letters(name_pinyin(name)), letters(name_initials(name))


def search_text(code: str, name: str) -> str:
    """What a customer's search holds typed text against: number, name, pinyin and initials,
    lower case (KH-000001 北京小米 beijingxiaomi bjxm)."""
    pinyin, initials = spelling(name)
    return f"{code} {name} {pinyin} {initials}".lower()


def match_rank(query: str, *, code: str, name: str) -> MatchRank | None:
    """How `query` fits an account or customer, or None when it does not."""
    text = query.strip().lower()
    if not text:
        return MatchRank.CODE
    if code.lower().startswith(text):
        return MatchRank.CODE
    typed = letters(text)
    pinyin, initials = spelling(name) if typed else ("", "")
    if typed and initials.startswith(typed):
        return MatchRank.INITIALS
    if text in name.lower():
        return MatchRank.NAME
    if typed and pinyin.startswith(typed):
        return MatchRank.PINYIN
    if typed and (typed in initials or typed in pinyin):
        return MatchRank.INSIDE
    return None
