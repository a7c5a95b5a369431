"""core.sums: SQL sums of the fen columns and their yuan, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F, Q

from suanpan.core.sums import fen_sum, yuan
from suanpan.customers.models import Customer
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return UserFactory(password=None)  # unusable password: skips the hasher


def test_yuan_gives_two_places_when_fen_are_whole_yuan_or_have_fen():
    assert yuan(12345) == Decimal("123.45")
    assert str(yuan(12345)) == "123.45"
    assert str(yuan(100)) == "1.00"
    assert yuan(-5) == Decimal("-0.05")


@pytest.mark.parametrize("fen", [0, None])
def test_yuan_is_zero_with_two_places_when_fen_is_zero_or_none(fen):
    assert str(yuan(fen)) == "0.00"


def test_yuan_is_exact_when_amount_is_beyond_float_precision():
    # 2**53 + 1 fen: a float would round it, the Decimal keeps every fen.
    assert yuan(9_007_199_254_740_993) == Decimal("90071992547409.93")


def test_fen_sum_is_zero_when_there_are_no_rows():
    total = Customer.objects.aggregate(total=fen_sum("credit_limit_amount"))["total"]

    assert total == 0
    assert yuan(total) == Decimal("0.00")


def test_fen_sum_adds_fen_as_integers_when_rows_exist(owner):
    for amount in ("0.10", "0.20", "1234567.89"):
        CustomerFactory(owner=owner, credit_limit_amount=Decimal(amount))

    total = Customer.objects.aggregate(total=fen_sum("credit_limit_amount"))["total"]

    assert total == 123456819
    assert isinstance(total, int)
    assert yuan(total) == Decimal("1234568.19")


def test_fen_sum_counts_only_matching_rows_when_filtered(owner):
    CustomerFactory(owner=owner, credit_limit_amount=Decimal("100.00"), grade="A")
    CustomerFactory(owner=owner, credit_limit_amount=Decimal("0.01"), grade="B")

    sums = Customer.objects.aggregate(
        a=fen_sum("credit_limit_amount", filter=Q(grade="A")),
        c=fen_sum("credit_limit_amount", filter=Q(grade="C")),
    )

    assert sums == {"a": 10000, "c": 0}


def test_fen_sum_sums_an_expression_when_given_one(owner):
    CustomerFactory(owner=owner, credit_limit_amount=Decimal("12.34"))

    total = Customer.objects.aggregate(total=fen_sum(F("credit_limit_amount") * 2))["total"]

    assert yuan(total) == Decimal("24.68")


def test_fen_sum_per_group_is_zero_when_a_group_has_no_matching_rows(owner):
    CustomerFactory(owner=owner, credit_limit_amount=Decimal("5.00"), grade="A")
    CustomerFactory(owner=owner, credit_limit_amount=Decimal("7.00"), grade="B")

    rows = (
        Customer.objects.values("grade")
        .annotate(total=fen_sum("credit_limit_amount", filter=Q(credit_limit_amount__gt=6)))
        .order_by("grade")
    )

    assert [(row["grade"], row["total"]) for row in rows] == [("A", 0), ("B", 700)]
