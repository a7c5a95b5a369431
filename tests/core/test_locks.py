"""The lock order's helpers: every label names a model, ranks follow the table, and
`for_update` locks the queryset's own rows only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from suanpan.core.locks import LOCK_ORDER, for_update, lock_rank
from suanpan.customers.models import Customer
from suanpan.customers.services.merge import _reverse_foreign_keys
from suanpan.inventory.models import Delivery, GoodsReceipt, StockLevel, Warehouse
from suanpan.ledger.models import Period
from suanpan.sales.models import Quote, SalesOrder


def test_lock_order_names_existing_models_once() -> None:
    assert len(set(LOCK_ORDER)) == len(LOCK_ORDER)
    for label in LOCK_ORDER:
        assert apps.get_model(label) is not None


def test_lock_rank_follows_the_table_and_puts_unlisted_models_last() -> None:
    ranks = [lock_rank(m) for m in (Customer, Quote, Delivery, SalesOrder, Warehouse, StockLevel)]
    assert ranks == sorted(ranks)
    assert lock_rank(StockLevel) < lock_rank(Period)
    assert lock_rank(apps.get_model("users.User")) == len(LOCK_ORDER)


def test_merge_moves_a_customers_rows_in_lock_order() -> None:
    models = [field.model for field in _reverse_foreign_keys()]
    assert models.index(Delivery) < models.index(SalesOrder)
    assert [lock_rank(m) for m in models] == sorted(lock_rank(m) for m in models)


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_for_update_locks_own_rows_in_the_weaker_mode_unless_told() -> None:
    queryset = GoodsReceipt.objects.select_related("warehouse")
    table = connection.ops.quote_name(GoodsReceipt._meta.db_table)
    assert str(for_update(queryset).query).endswith(f"FOR NO KEY UPDATE OF {table}")
    assert str(for_update(queryset, key_share=False).query).endswith(f"FOR UPDATE OF {table}")


def test_every_row_lock_goes_through_for_update() -> None:
    """A bare select_for_update() would lock the rows its select_related joins in; the one
    raw lock is the ledger's PostgreSQL posting path, which locks its months only (OF p)."""
    source = Path(__file__).resolve().parents[2] / "src" / "suanpan"
    bare = [
        f"{path.relative_to(source)}:{number}"
        for path in source.rglob("*.py")
        if path.name != "locks.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".select_for_update(" in line
    ]
    assert bare == []
