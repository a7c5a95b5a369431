"""Input limits checked before the database: lengths from the columns, and the caps of text
that has no column limit.

An API schema states every string's `max_length`: a `CharField` answers with its column's
length (`column_length`, `column_field`) and a `TextField` (notes, terms, follow-up content)
with `TEXT_MAX_LENGTH`, so an over-long value is refused with the API's field errors instead of
failing in the database or filling it. Search boxes and sort keys stop at `QUERY_MAX_LENGTH`;
quantities and amounts at `MAX_QUANTITY` and `MAX_AMOUNT`; lists at `MAX_ITEMS`. Pages' forms
hold free text to the same limit (`core.forms.StyledFormMixin`). A PATCH schema derives from
`PatchSchema`, which takes `null` only where the column does. `tests/api/test_limits.py` walks
the OpenAPI document so that a field added without a limit fails the suite.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Union, get_args

from django.db.models import Model
from ninja import Field, Schema

# A long letter, not a file: notes took 9.9 MB before there was a limit.
TEXT_MAX_LENGTH = 10_000
# What a search box or a sort key needs.
QUERY_MAX_LENGTH = 200


def column_length(model: type[Model], name: str) -> int:
    """The `max_length` of `model`'s column `name` (a `CharField`)."""
    length = getattr(model._meta.get_field(name), "max_length", None)
    if length is None:
        raise ValueError(f"{model.__name__}.{name} has no max_length")
    return int(length)


def column_field(model: type[Model], name: str, default: Any = ..., **kwargs: Any) -> Any:
    """A schema field as long as `model`'s column `name` allows."""
    return Field(default, max_length=column_length(model, name), **kwargs)


def text_field(default: Any = "", **kwargs: Any) -> Any:
    """A schema field for free text (a `TextField`): at most `TEXT_MAX_LENGTH` characters."""
    return Field(default, max_length=TEXT_MAX_LENGTH, **kwargs)


def query_field(default: Any = None, **kwargs: Any) -> Any:
    """A query parameter that is free text (a search, a sort key)."""
    return Field(default, max_length=QUERY_MAX_LENGTH, **kwargs)


# As many as a line's quantity column and the pages' forms take (16 digits, 4 places).
MAX_QUANTITY = Decimal("999999999999.9999")
# An amount a person types (an opportunity, a contract, an instalment): under a trillion yuan.
MAX_AMOUNT = Decimal("999999999999.99")
# Tags, users to share with, contacts in one request.
MAX_ITEMS = 500


class PatchSchema(Schema):
    """A change (PATCH): a field left out stays as it is, and `null` is taken only by the fields
    in `nullable` (their columns hold null, or the API reads null as blank). Every other field
    is declared `X | None = None` for brevity and becomes plain `X` here, so the schema says it
    is not nullable and a `null` is refused with the field's error instead of failing on the
    column's NOT NULL."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        changed = False
        for name, field in cls.model_fields.items():
            alternatives = get_args(field.annotation)
            if name in cls.nullable or type(None) not in alternatives:
                continue
            rest = tuple(a for a in alternatives if a is not type(None))
            field.annotation = rest[0] if len(rest) == 1 else Union[rest]  # type: ignore[assignment]  # noqa: UP007
            changed = True
        if changed:
            cls.model_rebuild(force=True)
