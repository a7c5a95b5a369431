"""Rows of a history import written fast: COPY on PostgreSQL, bulk_create elsewhere.

Django's bulk_create prepares every value of every field through the field (most of an
import's time at 500,000 lines); here each row is a dict of column values already in database
form — scaled integers for MoneyField and QuantityField, the rest as psycopg adapts them — and
every column not given takes the field's default, prepared once per batch. Invoice ids are
drawn from the table's sequence first, so lines and postings can name them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def copy_available() -> bool:
    return connection.vendor == "postgresql"


def ids_draw(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys from the table's own sequence."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def _defaults(model: type[models.Model], given: Iterable[str]) -> dict[str, Any]:
    now = timezone.now()
    given = set(given)
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.attname in given or field.primary_key:
            continue
        if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            values[field.attname] = now
            continue
        value = field.get_default()
        values[field.attname] = field.get_db_prep_save(value, connection)
    return values


def rows_copy(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> None:
    """COPY rows (dicts of attname → database value, all with the same keys) into the table."""
    if not rows:
        return
    defaults = _defaults(model, rows[0])
    columns = [*rows[0], *defaults]
    names = {f.attname: str(f.column) for f in model._meta.concrete_fields}
    constant = tuple(defaults.values())
    sql = "COPY {} ({}) FROM STDIN".format(
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(names[c]) for c in columns),
    )
    with connection.cursor() as wrapper:
        cursor: Any = wrapper.cursor  # the psycopg cursor under Django's wrapper
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row((*row.values(), *constant))
