"""Scaled-integer money fields: SQL sums are exact Decimals on SQLite and PostgreSQL alike."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum, Value

from suanpan.core.fields import MoneyField, QuantityField, ScaledIntegerField
from suanpan.customers.models import Customer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _customers(amounts: list[Decimal]) -> list[Customer]:
    owner = UserFactory(password=None)  # unusable password: skips the slow hasher
    return Customer.objects.bulk_create(
        Customer(
            number=f"KH-F{i:06d}",
            name=f"金额测试客户{i}",
            owner=owner,
            credit_limit_amount=amount,
        )
        for i, amount in enumerate(amounts)
    )


def test_sum_equals_python_decimal_sum_when_thousands_of_random_amounts() -> None:
    rng = random.Random(29823)  # seeded: the same amounts on every run and database
    amounts = [
        # Mostly ordinary amounts with fen, some large ones; fen digits like .1/.2/.3 are the
        # ones a REAL column cannot hold exactly.
        Decimal(rng.randint(0, 10 ** rng.choice([3, 5, 7, 9, 13]))).scaleb(-2)
        for _ in range(4000)
    ]
    _customers(amounts)

    total = Customer.objects.aggregate(total=Sum("credit_limit_amount"))["total"]

    assert isinstance(total, Decimal)
    assert total == sum(amounts, Decimal(0))
    assert total.as_tuple().exponent == -2


def test_sum_is_decimal_with_fen_when_amounts_would_drift_as_floats() -> None:
    amounts = [Decimal("0.10")] * 10 + [Decimal("1234567.89")] * 7
    assert sum(float(a) for a in amounts) != float(sum(amounts, Decimal(0)))  # floats drift
    _customers(amounts)

    total = Customer.objects.aggregate(total=Sum("credit_limit_amount"))["total"]

    assert total == Decimal("8641976.23")
    assert str(total) == "8641976.23"


@pytest.mark.parametrize(
    "amount",
    ["0.00", "0.01", "0.10", "0.30", "1.00", "19.99", "1234567.89", "92233720368547.75"],
)
def test_money_field_round_trips_value_when_saved_and_read(amount: str) -> None:
    (customer,) = _customers([Decimal(amount)])

    customer.refresh_from_db()

    assert customer.credit_limit_amount == Decimal(amount)
    assert str(customer.credit_limit_amount) == amount
    assert Customer.objects.filter(credit_limit_amount=Decimal(amount)).count() == 1


def test_money_field_stores_fen_when_saved() -> None:
    (customer,) = _customers([Decimal("12.34")])

    stored = Customer.objects.filter(pk=customer.pk).values_list("credit_limit_amount", flat=True)

    assert list(stored) == [Decimal("12.34")]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT credit_limit_amount FROM {Customer._meta.db_table} WHERE id = %s",  # noqa: S608
            [customer.pk],
        )
        (raw,) = cursor.fetchone()
    assert raw == 1234
    assert isinstance(raw, int)


@pytest.mark.parametrize("amount", ["-0.01", "-1234567.89", "-92233720368547.75"])
def test_money_field_round_trips_negative_when_sent_through_database(amount: str) -> None:
    _customers([Decimal("0")])

    value = (
        Customer.objects.annotate(x=Value(Decimal(amount), output_field=MoneyField()))
        .values_list("x", flat=True)
        .get()
    )

    assert value == Decimal(amount)


def test_money_field_accepts_text_when_it_has_thousands_separators() -> None:
    (customer,) = _customers([Decimal("0")])
    customer.credit_limit_amount = "1,234.50"
    customer.save(update_fields=["credit_limit_amount"])

    customer.refresh_from_db()

    assert customer.credit_limit_amount == Decimal("1234.50")


@pytest.mark.parametrize("amount", [Decimal("1.005"), "0.001", Decimal("-3.141")])
def test_money_field_raises_validation_error_when_more_than_two_decimals(amount: object) -> None:
    owner = UserFactory(password=None)  # unusable password: skips the slow hasher
    customer = Customer(number="KH-F3", name="三位小数", owner=owner, credit_limit_amount=amount)

    with pytest.raises(ValidationError) as raised, transaction.atomic():
        customer.save()

    assert raised.value.code == "precision"
    assert not Customer.objects.filter(number="KH-F3").exists()
    with pytest.raises(ValidationError) as cleaned:
        customer.full_clean()
    assert "credit_limit_amount" in cleaned.value.message_dict


@pytest.mark.parametrize("amount", [1.5, 0.1, 100.0])
def test_money_field_raises_validation_error_when_float(amount: float) -> None:
    owner = UserFactory(password=None)  # unusable password: skips the slow hasher
    customer = Customer(number="KH-F4", name="浮点", owner=owner, credit_limit_amount=amount)

    with pytest.raises(ValidationError) as raised, transaction.atomic():
        customer.save()

    assert raised.value.code == "invalid"
    assert not Customer.objects.filter(number="KH-F4").exists()


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", Decimal("NaN")])
def test_money_field_raises_validation_error_when_not_a_finite_number(value: object) -> None:
    with pytest.raises(ValidationError):
        MoneyField().to_python(value)


def test_money_field_reads_none_when_empty() -> None:
    field = MoneyField()

    assert field.to_python(None) is None
    assert field.to_python("") is None
    assert field.get_prep_value(None) is None
    assert field.from_db_value(None, None, None) is None


def test_quantity_field_scales_by_ten_thousand_when_prepared_and_read() -> None:
    field = QuantityField()

    assert field.get_prep_value(Decimal("1.2345")) == 12345
    assert field.get_prep_value(Decimal("-0.0001")) == -1
    assert field.from_db_value(12345, None, None) == Decimal("1.2345")
    assert str(field.from_db_value(10000, None, None)) == "1.0000"
    with pytest.raises(ValidationError):
        field.get_prep_value(Decimal("1.23456"))


def test_scaled_field_keeps_places_when_deconstructed() -> None:
    _, _, _, kwargs = ScaledIntegerField(places=3).deconstruct()
    _, _, _, money_kwargs = MoneyField().deconstruct()

    assert kwargs["places"] == 3
    assert "places" not in money_kwargs


def test_money_field_offers_decimal_form_field_when_rendered_in_a_form() -> None:
    form_field = MoneyField().formfield()

    assert isinstance(form_field, forms.DecimalField)
    assert form_field.decimal_places == 2
    assert form_field.clean("12.30") == Decimal("12.30")
    with pytest.raises(ValidationError):
        form_field.clean("12.345")


@pytest.mark.parametrize("value", ["1e30", "1,2", "12,34.5", "92233720368547758.08"])
def test_money_field_raises_validation_error_when_malformed_or_beyond_bigint(value: str) -> None:
    with pytest.raises(ValidationError):
        MoneyField().to_python(value)


def test_money_field_accepts_largest_amount_when_within_bigint() -> None:
    assert MoneyField().to_python("92233720368547758.07") == Decimal("92233720368547758.07")
