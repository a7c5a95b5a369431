"""Pure functions for product search: pinyin, initials and the text a search matches against."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def name_pinyin(name: str) -> str:
    """Full pinyin without tones or spaces: 打印机 → dayinji."""
    return "".join(lazy_pinyin(name, style=Style.NORMAL)).lower().replace(" ", "")


def name_initials(name: str) -> str:
    """First letter of each character's pinyin: 打印机 → dyj (Latin words stay whole)."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower().replace(" ", "")


def search_text(*, code: str, name: str, specification: str = "") -> str:
    """Everything a user may type to find a product, lower-case, one item per line."""
    parts = [code, name, name_pinyin(name), name_initials(name), specification]
    return "\n".join(p.strip().lower() for p in parts if p and p.strip())


def search_query_normalize(query: str) -> str:
    """What a search box gives, made comparable with search_text(): trimmed and lower-case."""
    return " ".join(query.split()).lower()
