"""The customer import's update mode: the export imports again, changed rows update."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from suanpan.core.errors import PermissionDeniedError
from suanpan.customers import services
from suanpan.customers.models import Customer
from suanpan.customers.services import exports, imports
from suanpan.users.choices import Role
from tests.customers.test_imports_services import row, uscc, xlsx_bytes
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def exported(user, fmt: str = "xlsx") -> bytes:
    buffer = io.BytesIO()
    exports.customers_export(user=user, stream=buffer, fmt=fmt, filters={})  # type: ignore[arg-type]
    return buffer.getvalue()


@pytest.fixture
def two_customers(manager, sales_user) -> list[Customer]:
    first = services.customer_create(
        actor=manager,
        data={
            "name": "深圳往返有限公司",
            "credit_code": uscc(21),
            "grade": "A",
            "source": "exhibition",
            "owner": sales_user,
            "payment_terms_days": 45,
            "credit_limit_amount": Decimal("88888.88"),
            "status": "on_hold",
            "tags": ["重点", "华南"],
            "notes": "=不是公式",
        },
        contacts=[{"name": "张三", "phone": "13800138000"}, {"name": "李四", "title": "会计"}],
    )
    second = services.customer_create(
        actor=manager, data={"name": "个人客户", "kind": "individual"}
    )
    return [first, second]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_imported_in_update_mode_changes_nothing(manager, two_customers, fmt):
    data = exported(manager, fmt)
    before = {c.pk: c.history.count() for c in Customer.objects.all()}

    report = imports.customers_import_read(
        actor=manager, data=data, filename=f"customers.{fmt}", update=True
    )

    assert report.errors == []
    assert (report.create_count, report.update_count, report.unchanged_count) == (0, 0, 2)
    assert imports.customers_import_commit(actor=manager, report=report) == []
    assert {c.pk: c.history.count() for c in Customer.objects.all()} == before


def test_the_export_is_refused_as_duplicates_without_update_mode(manager, two_customers):
    report = imports.customers_import_read(
        actor=manager, data=exported(manager), filename="customers.xlsx"
    )

    assert {e.column for e in report.errors} == {"客户名称", "统一社会信用代码"}


def test_update_mode_matches_by_credit_code_keeps_empty_cells_and_adds_contacts(
    manager, two_customers
):
    first = two_customers[0]
    data = xlsx_bytes(
        [
            row(credit_code=uscc(21), name="深圳往返有限公司", grade="B", contact_name="王五"),
            row(name="全新客户"),
        ]
    )

    report = imports.customers_import_read(
        actor=manager, data=data, filename="更新.xlsx", update=True
    )
    assert report.errors == []
    assert (report.create_count, report.update_count) == (1, 1)
    assert report.candidates[0].changes == ["grade", "contacts"]
    created = imports.customers_import_commit(actor=manager, report=report)

    first.refresh_from_db()
    assert [c.name for c in created] == ["全新客户"]
    assert (first.grade, first.payment_terms_days, first.status) == ("B", 45, "on_hold")
    assert sorted(first.contacts.values_list("name", flat=True)) == ["张三", "李四", "王五"]
    assert sorted(first.tags.values_list("name", flat=True)) == ["华南", "重点"]
    assert first.history.first().history_change_reason == "import 更新.xlsx"


def test_update_mode_renames_the_customer_its_number_names(manager, two_customers):
    second = two_customers[1]
    header = ["客户编号", "客户名称"]

    report = imports.customers_import_read(
        actor=manager,
        data=xlsx_bytes([[second.number, "个人客户（改名）"]], header=header),
        filename="x.xlsx",
        update=True,
    )
    imports.customers_import_commit(actor=manager, report=report)

    assert report.candidates[0].changed_fields == ["name"]
    second.refresh_from_db()
    assert (second.name, second.name_key) == ("个人客户（改名）", "个人客户(改名)")


def test_update_mode_refuses_another_users_customer_and_needs_change_permission(
    sales_user, make_user
):
    sales_user.user_permissions.add(Permission.objects.get(codename="import_customer"))
    sales_user = type(sales_user).objects.get(pk=sales_user.pk)  # permissions are cached
    theirs = CustomerFactory(credit_code=uscc(5))
    data = xlsx_bytes([row(name="x", credit_code=uscc(5))])

    report = imports.customers_import_read(
        actor=sales_user, data=data, filename="x.xlsx", update=True
    )

    assert ("统一社会信用代码" in {e.column for e in report.errors}) and theirs.number not in str(
        report.errors
    )
    with pytest.raises(PermissionDeniedError):
        imports.customers_import_read(
            actor=make_user(Role.CUSTOMER_SERVICE), data=data, filename="x.xlsx", update=True
        )
