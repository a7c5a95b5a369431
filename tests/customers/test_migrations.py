"""Data migrations of customers: what they fill in on existing rows."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from suanpan.customers.models import Customer
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_name_key_migration_fills_existing_customers_in_batches(monkeypatch) -> None:
    migration = importlib.import_module("suanpan.customers.migrations.0007_customer_name_key")
    monkeypatch.setattr(migration, "BATCH", 2)  # several batches with a few rows
    names = ["北京（海淀）科技", "ＡＢＣ  Trading ", "上海\u3000浦东", "甲"]
    for name in names:
        CustomerFactory(name=name)
    Customer.objects.update(name_key="")  # as before the migration

    migration.name_keys_fill(apps, None)

    assert sorted(Customer.objects.values_list("name_key", flat=True)) == sorted(
        ["北京(海淀)科技", "abc trading", "上海 浦东", "甲"]
    )
