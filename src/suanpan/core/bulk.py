"""Writing and naming thousands of rows at once, without a model instance or a parameter per row.

For the batch services that write thousands of rows a transaction (automatic matching):
`bulk_create` spends most of its time preparing each instance's every field, and psycopg
spends as much again quoting a parameter per value into the statement. Here the caller hands
rows of values as the model holds them (Decimal for money, ids for relations, aware datetimes)
and gets the new ids back in the order given; on PostgreSQL the rows travel by COPY and lists
of ids as one array literal. No signals, no `auto_now`, no `full_clean`: the caller has
checked the rows and passes every column the table needs.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Field, Model
from django.db.models.expressions import RawSQL

from suanpan.core.fields import ScaledIntegerField

# Rows per INSERT elsewhere than on PostgreSQL: far inside SQLite's 32,766 variables.
CHUNK = 500


def _fields(model: type[Model], names: Sequence[str]) -> list[Field[Any, Any]]:
    meta = model._meta
    fields = [field for name in names if isinstance(field := meta.get_field(name), Field)]
    if len(fields) != len(names):
        raise ValueError("rows_insert writes concrete fields only")
    return fields


def _scaled(field: ScaledIntegerField, value: Any) -> Any:
    """A Decimal as the scaled integer the column stores, without the field's full checks
    when it already has no more places than the field (what sums of stored amounts have)."""
    if type(value) is Decimal:
        scaled = value.scaleb(field.places)
        if scaled == scaled.to_integral_value():
            return int(scaled)
    return field.get_prep_value(value)


def rows_insert(
    model: type[Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning: bool = True,
) -> list[int]:
    """Insert `rows` (one value per name in `fields`, attnames such as `customer_id`) into
    `model`'s table; return their ids in order (none when `returning` is False).

    On PostgreSQL the ids are drawn from the table's sequence in one query and the rows
    copied in with them (COPY), or copied in without when no id is wanted; elsewhere (SQLite)
    `INSERT … VALUES … RETURNING` per 500 rows, every value prepared by its field as the ORM
    would.
    """
    if not rows:
        return []
    columns = _fields(model, fields)
    quote = connection.ops.quote_name
    meta = model._meta
    table = quote(meta.db_table)
    pk = str(meta.pk.column if meta.pk is not None else "id")
    names = ", ".join(quote(str(field.column)) for field in columns)
    ids: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if returning:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [meta.db_table, pk, len(rows)],
                )
                ids = [row[0] for row in cursor.fetchall()]
            scaled = [
                (index, field)
                for index, field in enumerate(columns)
                if isinstance(field, ScaledIntegerField)
            ]
            head = f"{quote(pk)}, {names}" if returning else names
            with cursor.cursor.copy(f"COPY {table} ({head}) FROM STDIN") as copy:
                for index, row in enumerate(rows):
                    values = list(row)
                    for column, field in scaled:
                        values[column] = _scaled(field, row[column])
                    copy.write_row([ids[index], *values] if returning else values)
            return ids
        marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            params = [
                field.get_db_prep_save(value, connection)
                for row in chunk
                for field, value in zip(columns, row, strict=True)
            ]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([marks] * len(chunk))}"  # noqa: S608 - names from the model
                + (f" RETURNING {quote(pk)}" if returning else ""),
                params,
            )
            if returning:
                ids += [row[0] for row in cursor.fetchall()]
        return ids


def int_array(values: Collection[int]) -> str:
    """Integers as one PostgreSQL array literal ("{1,2,3}"), for a `%s::bigint[]` parameter:
    psycopg quotes a Python list element by element, ten times slower for thousands."""
    return "{" + ",".join(str(int(value)) for value in values) + "}"


def _element(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def array_literal(values: Iterable[object]) -> str:
    """Integers, dates, text and NULLs as one PostgreSQL array literal for a typed `%s::…[]`
    parameter (text quoted, backslash and quote escaped): one string to quote instead of a
    list psycopg dumps element by element."""
    values = list(values)
    if all(type(value) is int for value in values):
        return "{" + ",".join(map(str, values)) + "}"
    return "{" + ",".join(map(_element, values)) + "}"


def ids_in(ids: Collection[int]) -> Any:
    """What `pk__in=` takes for thousands of ids: on PostgreSQL one array parameter
    (`IN (SELECT unnest(…))`) instead of one per id, elsewhere the ids themselves."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [int_array(ids)])
    return list(ids)


def in_parts(values: Collection[Any], size: int = CHUNK) -> Iterator[Any]:
    """What `field__in=` takes for thousands of values (text or integers), a part at a time: on
    PostgreSQL one part, an array parameter for all of them; elsewhere `size` at a time (SQLite
    caps a statement's parameters)."""
    ordered = sorted(set(values))
    if not ordered:
        return
    if connection.vendor == "postgresql":
        kind = "bigint" if all(type(value) is int for value in ordered) else "text"
        yield RawSQL(f"SELECT unnest(%s::{kind}[])", [array_literal(ordered)])  # noqa: S611 (a fixed type name)
        return
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def scaled_values(model: type[Model], field: str, values: Sequence[Any]) -> list[Any]:
    """Values of a scaled-integer field (money, quantities) as the column stores them."""
    (column,) = _fields(model, [field])
    if not isinstance(column, ScaledIntegerField):
        raise ValueError(f"{field} is not a scaled integer field")
    return [_scaled(column, value) for value in values]
