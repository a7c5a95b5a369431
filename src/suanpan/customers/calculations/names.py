"""When two customer names are the same name: compared after Unicode normalisation."""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    """The form two names are compared in, so that 北京（海淀）科技 and 北京(海淀)科技, or
    names that differ only in full-width letters, extra spaces or letter case, are one name.

    NFKC folds full-width brackets, letters, digits and the ideographic space into their plain
    forms; runs of spaces become one; case is folded last.
    """
    text = unicodedata.normalize("NFKC", name)
    return " ".join(text.split()).casefold()
