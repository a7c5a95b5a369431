"""How many rows a one-page receivables list holds, in words: "3 receipts", "1 个催款函"."""

from __future__ import annotations

from django import template
from django.utils.translation import ngettext_lazy

register = template.Library()

# One plural pair per list; the pagination include names the list by its key.
COUNTS = {
    "receipts": ngettext_lazy("%(count)s receipt", "%(count)s receipts", "count"),
    "settlements": ngettext_lazy("%(count)s settlement", "%(count)s settlements", "count"),
    "instalments": ngettext_lazy("%(count)s instalment", "%(count)s instalments", "count"),
    "writeoffs": ngettext_lazy("%(count)s write-off", "%(count)s write-offs", "count"),
    "refunds": ngettext_lazy("%(count)s refund", "%(count)s refunds", "count"),
    "statements": ngettext_lazy("%(count)s statement", "%(count)s statements", "count"),
    "lines": ngettext_lazy("%(count)s line", "%(count)s lines", "count"),
    "letters": ngettext_lazy("%(count)s letter", "%(count)s letters", "count"),
    "promises": ngettext_lazy("%(count)s promise to pay", "%(count)s promises to pay", "count"),
    "tasks": ngettext_lazy("%(count)s task", "%(count)s tasks", "count"),
}


@register.simple_tag
def rows_counted(noun: str, count: int) -> str:
    """`count` rows of the list `noun` in words; an unknown noun is a template error, not a
    silently wrong word."""
    return COUNTS[noun] % {"count": count}
