"""Customer export: scope, filters, formula neutralisation, and a file that imports again."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from suanpan.core.errors import PermissionDeniedError
from suanpan.customers import services
from suanpan.customers.models import Contact, Customer
from suanpan.customers.services import exports, imports
from suanpan.users.choices import Role
from tests.customers.test_imports_services import uscc
from tests.factories import ContactFactory, CustomerFactory

pytestmark = pytest.mark.django_db

DANGEROUS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


def export(user, fmt: str = "xlsx", **filters) -> bytes:
    buffer = io.BytesIO()
    exports.customers_export(user=user, stream=buffer, fmt=fmt, filters=filters)
    return buffer.getvalue()


def xlsx_rows(data: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    return [[cell.value for cell in r] for r in sheet.iter_rows()]


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def names(rows: list[list]) -> list[str]:
    return [r[1] for r in rows[1:]]


def test_export_neutralises_formula_cells_in_xlsx(manager):
    customer = CustomerFactory(name=DANGEROUS[0], notes=DANGEROUS[1], address=DANGEROUS[2])
    ContactFactory(customer=customer, name=DANGEROUS[3], title=DANGEROUS[4], email="")
    customer.region = DANGEROUS[5]
    customer.save()

    workbook = load_workbook(io.BytesIO(export(manager, "xlsx")))
    sheet = workbook.worksheets[0]
    cells = [c for r in sheet.iter_rows(min_row=2) for c in r if isinstance(c.value, str)]

    texts = {c.value for c in cells}
    for value in DANGEROUS:
        assert "'" + value.replace("\r", "\n") in texts  # XML reads a lone CR back as LF
    assert all(c.data_type == "s" for c in cells)  # nothing became a formula
    assert not any(c.value.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)


def test_export_neutralises_formula_cells_in_csv(manager):
    customer = CustomerFactory(name=DANGEROUS[0], notes=DANGEROUS[1], address=DANGEROUS[2])
    ContactFactory(customer=customer, name=DANGEROUS[3], title=DANGEROUS[4], email="")
    customer.region = DANGEROUS[5]
    customer.save()

    rows = csv_rows(export(manager, "csv"))

    cells = {cell for r in rows[1:] for cell in r}
    for value in DANGEROUS:
        assert "'" + value in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_export_holds_only_own_and_shared_customers_when_user_is_a_salesperson(
    sales_user, make_user
):
    other = make_user(Role.SALES)
    CustomerFactory(name="我的客户", owner=sales_user)
    CustomerFactory(name="别人的客户", owner=other)
    shared = CustomerFactory(name="共享给我的", owner=other)
    shared.shared_with.add(sales_user)

    for fmt, read in (("xlsx", xlsx_rows), ("csv", csv_rows)):
        assert sorted(names(read(export(sales_user, fmt)))) == ["共享给我的", "我的客户"]


def test_export_holds_every_customer_when_user_sees_all(manager, sales_user):
    CustomerFactory(name="甲", owner=sales_user)
    CustomerFactory(name="乙")

    assert sorted(names(xlsx_rows(export(manager)))) == ["乙", "甲"]


def test_export_honours_list_filters(manager):
    CustomerFactory(name="北京活跃", status="active", grade="A")
    CustomerFactory(name="北京暂停", status="on_hold", grade="A")
    CustomerFactory(name="上海活跃", status="active", grade="B")

    assert sorted(names(xlsx_rows(export(manager, status="active")))) == ["上海活跃", "北京活跃"]
    assert names(xlsx_rows(export(manager, status="active", q="bj"))) == ["北京活跃"]
    assert names(csv_rows(export(manager, "csv", grade="B"))) == ["上海活跃"]
    rows = xlsx_rows(export(manager, ordering="name"))
    assert names(rows) == ["北京活跃", "北京暂停", "上海活跃"]  # by pinyin, as the list sorts


def test_export_refused_when_role_lacks_export_permission(make_user):
    with pytest.raises(PermissionDeniedError):
        export(make_user(Role.CUSTOMER_SERVICE))


def test_export_writes_chinese_header_choice_words_and_one_row_per_further_contact(manager):
    customer = services.customer_create(
        actor=manager,
        data={
            "name": "甲公司",
            "kind": "government",
            "status": "prospect",
            "grade": "C",
            "source": "referral",
            "credit_limit_amount": Decimal("1000.50"),
            "tags": ["重点", "华南"],
        },
        contacts=[{"name": "张三", "phone": "13800138000"}],
    )
    services.contact_create(actor=manager, customer=customer, data={"name": "李四"})

    rows = xlsx_rows(export(manager))

    assert rows[0] == exports.customer_export_header()
    assert rows[0][:3] == ["客户编号", "客户名称", "简称"]
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert (first["类型"], first["状态"], first["等级"], first["来源"]) == (
        "政府",
        "潜在客户",
        "C",
        "转介绍",
    )
    assert first["信用额度"] == 1000.5  # a number cell, not text
    assert first["负责人"] == manager.username
    assert set(first["标签"].split(", ")) == {"重点", "华南"}
    assert (first["联系人"], first["电话"]) == ("张三", "138 0013 8000")
    second = dict(zip(header, rows[2], strict=True))
    assert (second["客户编号"], second["客户名称"], second["联系人"]) == (
        customer.number,
        "甲公司",
        "李四",
    )
    assert second["类型"] is None and second["负责人"] is None


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_gives_back_the_same_customers(manager, sales_user, fmt):
    services.customer_create(
        actor=manager,
        data={
            "name": "深圳往返有限公司",
            "short_name": "往返",
            "credit_code": uscc(21),
            "kind": "enterprise",
            "industry": "制造",
            "grade": "A",
            "source": "exhibition",
            "region": "广东 深圳",
            "address": "南山区科技园 1 号",
            "owner": sales_user,
            "payment_terms_days": 45,
            "credit_limit_amount": Decimal("88888.88"),
            "status": "on_hold",
            "tags": ["重点"],
            "notes": "=不是公式\n第二行",
            "invoice_title": "深圳往返有限公司",
            "invoice_tax_number": uscc(21),
            "invoice_address_phone": "深圳 0755-1234567",
            "invoice_bank_account": "招商银行 123",
        },
        contacts=[
            {
                "name": "外国人",
                "title": "CEO",
                "phone": "+1 650-253-0000",
                "email": "ceo@example.com",
            }
        ],
    )
    customer = Customer.objects.get()
    services.contact_create(
        actor=manager, customer=customer, data={"name": "二号", "phone": "13900139000"}
    )
    services.customer_create(actor=manager, data={"name": "个人客户", "kind": "individual"})
    fields = [
        "name",
        "short_name",
        "credit_code",
        "kind",
        "industry",
        "grade",
        "source",
        "region",
        "address",
        "owner_id",
        "payment_terms_days",
        "credit_limit_amount",
        "status",
        "notes",
        "invoice_title",
        "invoice_tax_number",
        "invoice_address_phone",
        "invoice_bank_account",
    ]
    before = sorted(Customer.objects.values_list(*fields))
    contacts_before = sorted(
        Contact.objects.values_list(
            "customer__name", "name", "title", "phone", "email", "is_primary"
        )
    )
    tags_before = sorted(Customer.objects.values_list("name", "tags__name"), key=str)
    data = export(manager, fmt)
    Contact.objects.all().delete()
    Customer.objects.all().delete()

    report = imports.customers_import_read(actor=manager, data=data, filename=f"export.{fmt}")
    assert report.errors == []
    imports.customers_import_commit(actor=manager, report=report)

    assert sorted(Customer.objects.values_list(*fields)) == before
    assert (
        sorted(
            Contact.objects.values_list(
                "customer__name", "name", "title", "phone", "email", "is_primary"
            )
        )
        == contacts_before
    )
    assert sorted(Customer.objects.values_list("name", "tags__name"), key=str) == tags_before


def test_export_of_no_customers_writes_the_header_only(manager):
    assert xlsx_rows(export(manager)) == [exports.customer_export_header()]
    assert csv_rows(export(manager, "csv")) == [exports.customer_export_header()]
