"""Each customer keeps its ledger dimension (核算项目) in step: created, renamed, merged, closed."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suanpan.customers import services
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.models import Contact, Customer
from suanpan.customers.services import ledger as ledger_sync
from suanpan.ledger.models import Dimension
from suanpan.users.choices import Role
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def dimension(number: str) -> Dimension:
    return Dimension.objects.get(kind="customer", code=number)


def create(actor, **data):
    data.setdefault("name", "北京小米科技有限责任公司")
    return services.customer_create(actor=actor, data=data)


def test_customer_create_adds_active_dimension_when_customer_saved(sales_user):
    customer = create(sales_user, name="北京小米科技有限责任公司")

    dim = dimension(customer.number)
    assert (dim.code, dim.name, dim.is_active, dim.merged_into) == (
        "KH-000001",
        "北京小米科技有限责任公司",
        True,
        None,
    )


def test_customer_create_leaves_no_dimension_when_customer_refused(sales_user):
    with pytest.raises(Exception):  # noqa: B017  # any refusal rolls the dimension back too
        create(sales_user, credit_code="91110000600037341X")

    assert not Dimension.objects.exists()


def test_customer_update_renames_dimension_when_name_changes(sales_user):
    customer = create(sales_user, name="小米")

    services.customer_update(actor=sales_user, customer=customer, data={"name": "小米科技"})

    assert dimension(customer.number).name == "小米科技"
    assert Dimension.objects.count() == 1


def test_customer_update_closes_dimension_when_status_set_to_closed(make_user):
    manager = make_user(Role.SALES_MANAGER)
    customer = create(manager)

    services.customer_update(
        actor=manager, customer=customer, data={"status": CustomerStatus.CLOSED}
    )

    assert dimension(customer.number).is_active is False


def test_customer_dimension_sync_merges_old_code_when_number_changes(sales_user):
    customer = create(sales_user)
    old = customer.number
    customer.number = "KH-009999"

    ledger_sync.customer_dimension_sync(customer=customer, previous_number=old)

    # The old code stays (posted lines and their hashes name it) and points at the new one.
    assert dimension(old).merged_into == dimension("KH-009999")
    assert dimension(old).is_active is False
    assert dimension("KH-009999").is_active is True


def test_customer_deactivate_and_reactivate_toggle_dimension_when_called(make_user):
    manager = make_user(Role.SALES_MANAGER)
    customer = create(manager)

    services.customer_deactivate(actor=manager, customer=customer)
    closed = dimension(customer.number).is_active
    services.customer_reactivate(actor=manager, customer=customer)

    assert (closed, dimension(customer.number).is_active) == (False, True)


def test_customer_merge_points_dimension_at_survivor_when_duplicate_merged(make_user):
    manager = make_user(Role.SALES_MANAGER)
    kept, duplicate = create(manager, name="保留"), create(manager, name="重复")

    services.customer_merge(actor=manager, source=duplicate, target=kept)

    source, target = dimension(duplicate.number), dimension(kept.number)
    assert source.merged_into == target
    assert (source.is_active, target.is_active, target.merged_into) == (False, True, None)


def test_customer_delete_closes_dimension_when_customer_removed(make_user):
    manager = make_user(Role.SALES_MANAGER)
    customer = create(manager, name="误建客户")

    services.customer_delete(actor=manager, customer=customer)

    assert dimension(customer.number).is_active is False


def test_customer_bulk_create_adds_dimensions_when_many_rows_imported(make_user):
    manager = make_user(Role.SALES_MANAGER)
    rows = [
        (Customer(owner=manager, name=f"导入客户{i}"), [Contact(name=f"联系人{i}")])
        for i in range(30)
    ]
    existing = Dimension.objects.count()

    customers = services.customer_bulk_create(actor=manager, rows=rows)

    dims = {d.code: d for d in Dimension.objects.filter(kind="customer")}
    assert existing == 0
    assert {c.number: c.name for c in customers} == {code: d.name for code, d in dims.items()}
    assert all(d.is_active for d in dims.values())


def test_customers_dimension_sync_updates_existing_when_codes_taken(sales_user):
    customer = create(sales_user, name="旧名")
    customer.name = "新名"
    customer.status = CustomerStatus.CLOSED
    other = CustomerFactory(name="另一家")

    with CaptureQueriesContext(connection) as queries:
        ledger_sync.customers_dimension_sync(customers=[customer, other])

    assert len(queries) == 1
    assert (dimension(customer.number).name, dimension(customer.number).is_active) == (
        "新名",
        False,
    )
    assert dimension(other.number).name == "另一家"


def test_ledger_dimensions_migration_creates_missing_dimensions_when_customers_exist(
    make_user,
):
    manager = make_user(Role.SALES_MANAGER)
    # Customers written past the services, as before the ledger existed.
    active = CustomerFactory(name="甲", owner=manager)
    closed = CustomerFactory(name="乙", owner=manager, status=CustomerStatus.CLOSED)
    merged = CustomerFactory(name="丙", owner=manager, status=CustomerStatus.CLOSED)
    Customer.objects.filter(pk=merged.pk).update(merged_into=active)
    Dimension.objects.create(kind="customer", code=active.number, name="已有")
    migration = importlib.import_module("suanpan.customers.migrations.0006_ledger_dimensions")

    migration.create_dimensions(apps, None)

    assert dimension(active.number).name == "已有"  # existing rows are left alone
    assert dimension(closed.number).is_active is False
    assert dimension(merged.number).merged_into == dimension(active.number)
    assert Dimension.objects.count() == 3
