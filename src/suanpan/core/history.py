"""Change history as people read it: who changed which field from what to what, newest first.

Every document keeps django-simple-history rows. `history_entries` turns a document's rows
into entries for its page, naming related records and choices by their labels; the names of
all related records an entry list mentions are read in one query per related model, however
many changes there are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import formats, timezone

from suanpan.core.fields import MoneyField, QuantityField
from suanpan.core.templatetags.money import amount_text, number_text, quantity_text

EMPTY = "—"

# (model field, stored value) → what to show, or None for the default.
Display = Callable[[Any, Any], Any]


def history_entries(
    records: Sequence[Any],
    *,
    limit: int,
    subject: str | None = None,
    display: Display | None = None,
) -> list[dict[str, Any]]:
    """Entries for the newest `limit` of `records` (history rows of ONE object, newest first;
    pass `limit + 1` rows so the oldest shown still has its predecessor to compare with).

    Each entry: `at`, `user`, `type` (+ ~ -), `subject`, `reason` and `changes`, a list of
    {field, old, new} with choices and related records shown by their labels; `display(field,
    value)` may show a document's own values its way (None: the default).
    """
    pairs = list(zip(records[:limit], [*records[1 : limit + 1], None], strict=False))
    return _entries(pairs, subject=lambda record: subject, display=display)


def history_entries_by_object(
    records: Sequence[Any], *, subject_field: str
) -> list[dict[str, Any]]:
    """Entries for history rows of several objects of one model (e.g. a customer's contacts),
    newest first, each compared with the previous row of the same object and named by the
    record's `subject_field`."""
    previous: dict[Any, Any] = {}
    pairs = []
    for record in reversed(records):
        pairs.append((record, previous.get(record.id)))
        previous[record.id] = record
    pairs.reverse()
    return _entries(pairs, subject=lambda record: getattr(record, subject_field), display=None)


def _entries(
    pairs: list[tuple[Any, Any]], *, subject: Any, display: Display | None
) -> list[dict[str, Any]]:
    deltas = [
        (record, record.diff_against(older).changes if _compares(record, older) else [])
        for record, older in pairs
    ]
    labels = _related_labels(
        (record.instance_type._meta.get_field(change.field), value)
        for record, changes in deltas
        for change in changes
        for value in (change.old, change.new)
    )
    return [
        {
            "at": record.history_date,
            "user": record.history_user,
            "type": record.history_type,
            "subject": subject(record),
            "reason": record.history_change_reason or "",
            "changes": [_change(record, change, labels, display) for change in changes],
        }
        for record, changes in deltas
    ]


def _compares(record: Any, older: Any) -> bool:
    return older is not None and record.history_type == "~"


def _change(
    record: Any, change: Any, labels: dict[tuple[Any, Any], str], display: Display | None
) -> dict[str, Any]:
    field = record.instance_type._meta.get_field(change.field)

    def shown(value: Any) -> Any:
        own = display(field, value) if display is not None else None
        return own if own is not None else _display(field, value, labels)

    return {
        "field": str(getattr(field, "verbose_name", change.field)),
        "old": shown(change.old),
        "new": shown(change.new),
    }


def _related_labels(values: Iterable[tuple[Any, Any]]) -> dict[tuple[Any, Any], str]:
    """str() of every related record named, one query per related model."""
    wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
    for field, value in values:
        if field.is_relation and value not in (None, ""):
            wanted[field.related_model].add(value)
    labels: dict[tuple[Any, Any], str] = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            labels[(model, obj.pk)] = str(obj)
    return labels


def _display(field: Any, value: Any, labels: dict[tuple[Any, Any], str]) -> Any:
    if value in (None, ""):
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return labels.get((field.related_model, value), str(value))
    if isinstance(value, Decimal):
        return _number(field, value)
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return value


def _number(field: Any, value: Decimal) -> str:
    """A changed number as the document's page prints it: amounts to the fen, quantities
    without trailing zeros, other decimals (prices, costs) to the field's places, all with
    thousands separators: 5,000,000.00, not 5000000.00."""
    if isinstance(field, MoneyField):
        return amount_text(value)
    if isinstance(field, QuantityField):
        return quantity_text(value, thousands=True)
    return number_text(value, getattr(field, "decimal_places", None) or 2)
