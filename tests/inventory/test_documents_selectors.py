"""The reads the inventory lists share: the filtered and sorted list (core.listing's)."""

from __future__ import annotations

import pytest

from suanpan.inventory.filters.warehouses import WarehouseFilter
from suanpan.inventory.models import Warehouse
from suanpan.inventory.selectors.documents import filtered_list
from tests.factories import WarehouseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def warehouses() -> None:
    for code, name in (("W2", "Beta"), ("W1", "Gamma"), ("W3", "Alpha")):
        WarehouseFactory(code=code, name=name)


def _codes(filters: dict[str, str] | None) -> list[str]:
    rows, _filterset = filtered_list(
        Warehouse.objects.all(), WarehouseFilter, filters, ordering=("-code",)
    )
    return [w.code for w in rows]


def test_filtered_list_sorts_by_its_ordering_when_none_is_asked(
    warehouses, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert _codes(None) == ["W3", "W2", "W1"]
    assert _codes({"ordering": ""}) == ["W3", "W2", "W1"]


def test_filtered_list_sorts_as_asked_when_an_ordering_is_given(warehouses):
    assert _codes({"ordering": "name"}) == ["W3", "W2", "W1"]  # Alpha, Beta, Gamma
    assert _codes({"ordering": "-name"}) == ["W1", "W2", "W3"]


def test_filtered_list_answers_nothing_while_the_filters_are_invalid(warehouses):
    rows, filterset = filtered_list(
        Warehouse.objects.all(), WarehouseFilter, {"ordering": "nonsense"}, ordering=("code",)
    )
    assert list(rows) == [] and not filterset.is_valid()
