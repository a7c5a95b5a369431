"""Scaled-integer model fields that read and write Decimal.

SQLite stores DecimalField as REAL and its sums drift (Django ticket #29823), so every column
SQL sums is an integer: amounts in fen (1/100), quantities in 1/10,000. Python only ever sees
Decimal; `Sum()` over these fields comes back as Decimal too, because the aggregate takes the
field as its output field.

Arithmetic inside SQL (`F("amount") + Decimal("1.00")`, `F("amount") * 2` in an annotation)
sees the stored integers, not yuan: compute amounts in Python with Decimal and write the result,
or aggregate with Sum/Min/Max, which keep the field's scale.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core import exceptions
from django.db import models
from django.utils.translation import gettext_lazy as _

from suanpan.core.money import to_decimal

BIGINT_MAX = 2**63 - 1


class ScaledIntegerField(models.BigIntegerField):
    """A BigIntegerField holding `value * 10**places`, exposed as a Decimal with `places` digits."""

    places: int = 2
    description = _("Decimal stored as a scaled integer")
    # What django-stubs should believe the attribute holds.
    _pyi_private_set_type: Decimal | int | str | models.expressions.Combinable  # type: ignore[assignment]
    _pyi_private_get_type: Decimal  # type: ignore[assignment]
    default_error_messages = {
        "invalid": _("“%(value)s” is not a number."),
        "precision": _("“%(value)s” has more than %(places)s decimal places."),
        "range": _("“%(value)s” is too large."),
    }

    def __init__(self, *args: Any, places: int | None = None, **kwargs: Any) -> None:
        if places is not None:
            self.places = places
        self.quantum = Decimal(1).scaleb(-self.places)
        self.scale = 10**self.places
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.places != type(self).places:
            kwargs["places"] = self.places
        return name, path, args, kwargs

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or value == "":
            return None
        try:
            decimal_value = to_decimal(value)
        except (TypeError, ValueError) as exc:
            raise exceptions.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            ) from exc
        if decimal_value != decimal_value.quantize(self.quantum, rounding=ROUND_HALF_UP):
            raise exceptions.ValidationError(
                self.error_messages["precision"],
                code="precision",
                params={"value": value, "places": self.places},
            )
        if abs(decimal_value) * self.scale > BIGINT_MAX:
            raise exceptions.ValidationError(
                self.error_messages["range"], code="range", params={"value": value}
            )
        return decimal_value.quantize(self.quantum)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / self.scale).quantize(self.quantum)

    def get_prep_value(self, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, models.expressions.Combinable | models.Expression):
            return value  # type: ignore[return-value]
        decimal_value = self.to_python(value)
        if decimal_value is None:
            return None
        return int(decimal_value.scaleb(self.places))

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        return value

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        defaults: dict[str, Any] = {
            "form_class": forms.DecimalField,
            "decimal_places": self.places,
            "max_digits": 18,
        }
        defaults.update(kwargs)
        # Skip IntegerField.formfield(), which would force an IntegerField form field.
        return models.Field.formfield(self, **defaults)

    def get_internal_type(self) -> str:
        return "BigIntegerField"


class MoneyField(ScaledIntegerField):
    """An amount in yuan, stored in fen (分)."""

    places = 2
    description = _("Amount (stored in fen)")


class QuantityField(ScaledIntegerField):
    """A quantity with four decimals, stored in 1/10,000 units."""

    places = 4
    description = _("Quantity (stored in 1/10,000)")


def acted_by_field(verbose_name: Any) -> models.ForeignKey[Any, Any]:
    """Who did something to a document that may not have happened yet (approved, cancelled,
    reversed it): a user, or none, who cannot be deleted while the document names them."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
    )


def created_by_field(verbose_name: Any = None) -> models.ForeignKey[Any, Any]:
    """Who wrote a document: a user who cannot be deleted while the document names them, with
    no reverse accessor on the user (every document type has one)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose_name if verbose_name is not None else _("created by"),
    )
