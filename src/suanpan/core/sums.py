"""SQL sums over the money columns, which hold fen as integers (see `core.fields`)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import F, Q, Sum, Value
from django.db.models.functions import Coalesce

FEN = models.BigIntegerField()


def fen_sum(expression: F | str | models.Expression, *, filter: Q | None = None) -> Coalesce:
    """SUM over money columns in fen (integers), 0 when there are no rows.

    Sums are taken as plain integers and turned into yuan once, in `yuan()`: arithmetic inside
    SQL on the fen columns must not meet the Decimal conversion halfway.
    """
    return Coalesce(Sum(expression, output_field=FEN, filter=filter), Value(0, output_field=FEN))


def yuan(fen: int | None) -> Decimal:
    """A sum in fen as yuan with two places."""
    return (Decimal(int(fen or 0)) / 100).quantize(Decimal("0.01"))
