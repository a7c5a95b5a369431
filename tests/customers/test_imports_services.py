"""Customer import: reading files, checking every row, committing all or nothing."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from openpyxl import Workbook
from stdnum.cn import uscc as stdnum_uscc

from suanpan.core.errors import PermissionDeniedError
from suanpan.core.spreadsheets import SpreadsheetInvalid, SpreadsheetTooLarge, sheet_read
from suanpan.customers import selectors, services
from suanpan.customers.models import Contact, Customer
from suanpan.customers.services import imports
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data" / "customers"

HEADER = [
    "客户名称",
    "简称",
    "统一社会信用代码",
    "类型",
    "等级",
    "来源",
    "负责人",
    "账期(天)",
    "信用额度",
    "状态",
    "标签",
    "备注",
    "联系人",
    "职务",
    "电话",
    "邮箱",
]


def uscc(n: int) -> str:
    """A valid unified social credit code, different for each n."""
    base = f"91310000MA1{n:06d}"
    return base + stdnum_uscc.calc_check_digit(base)


def xlsx_bytes(rows: list[list[Any]], *, header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(
    rows: list[list[Any]], *, header: list[str] | None = None, encoding: str = "utf-8-sig"
) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return text.getvalue().encode(encoding)


def row(**values: Any) -> list[Any]:
    """A row under HEADER from keyword arguments named by import column keys."""
    keys = [
        "name",
        "short_name",
        "credit_code",
        "kind",
        "grade",
        "source",
        "owner",
        "payment_terms_days",
        "credit_limit_amount",
        "status",
        "tags",
        "notes",
        "contact_name",
        "contact_title",
        "contact_phone",
        "contact_email",
    ]
    return [values.get(key) for key in keys]


def good_rows(owner_username: str) -> list[list[Any]]:
    return [
        row(
            name="上海甲科技有限公司",
            short_name="甲科技",
            credit_code=uscc(1),
            kind="企业",
            grade="A",
            source="展会",
            owner=owner_username,
            payment_terms_days=60,
            credit_limit_amount=12345.5,
            status="活跃",
            tags="重点, 华东",
            contact_name="张三",
            contact_title="财务经理",
            contact_phone="13800138000",
            contact_email="zhang@example.com",
        ),
        row(name="上海甲科技有限公司", contact_name="李四", contact_phone="021-6234 5678"),
        row(contact_name="王五"),  # empty name (merged cell): a third contact of the same
        row(name="李个人", kind="individual", status="prospect", credit_limit_amount="1,000.25"),
        row(name="某区财政局", kind="政府", grade="b", source="tender", status="暂停"),
    ]


def read(actor, data: bytes, filename: str = "customers.xlsx", **kwargs: Any):
    return imports.customers_import_read(actor=actor, data=data, filename=filename, **kwargs)


def errors_at(report) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in report.errors}


# --- good files -------------------------------------------------------------------------------


def test_import_read_counts_customers_and_contacts_and_writes_nothing_when_dry_run(
    manager, sales_user
):
    report = read(manager, xlsx_bytes(good_rows(sales_user.username)))

    assert report.errors == []
    assert (report.row_count, report.customer_count, report.contact_count) == (5, 3, 3)
    assert [c.row for c in report.candidates] == [2, 5, 6]
    assert Customer.objects.count() == 0
    assert Contact.objects.count() == 0


def test_import_commit_creates_customers_with_numbers_contacts_owner_and_choices_when_clean(
    manager, sales_user
):
    report = read(manager, xlsx_bytes(good_rows(sales_user.username)), filename="客户.xlsx")

    created = imports.customers_import_commit(actor=manager, report=report)

    assert [c.number for c in created] == ["KH-000001", "KH-000002", "KH-000003"]
    first = Customer.objects.get(number="KH-000001")
    assert first.owner == sales_user  # from the owner column
    assert first.credit_code == uscc(1)
    assert (first.kind, first.grade, first.source, first.status) == (
        "enterprise",
        "A",
        "exhibition",
        "active",
    )
    assert first.payment_terms_days == 60
    assert first.credit_limit_amount == Decimal("12345.50")
    assert sorted(first.tags.values_list("name", flat=True)) == ["华东", "重点"]
    contacts = list(first.contacts.order_by("id"))
    assert [(c.name, c.is_primary) for c in contacts] == [
        ("张三", True),
        ("李四", False),
        ("王五", False),
    ]
    assert contacts[0].phone == "138 0013 8000"  # normalised like the service does
    assert contacts[0].email == "zhang@example.com"
    second = Customer.objects.get(number="KH-000002")
    assert second.owner == manager  # empty owner cell: the importing user
    assert (second.kind, second.status, second.credit_limit_amount) == (
        "individual",
        "prospect",
        Decimal("1000.25"),
    )
    assert second.payment_terms_days == 30  # model default for an empty cell
    third = Customer.objects.get(number="KH-000003")
    assert (third.kind, third.grade, third.source, third.status) == (
        "government",
        "B",
        "tender",
        "on_hold",
    )
    # search fields are filled, so the list finds imported customers by pinyin and phone
    found, _ = selectors.customer_list(user=manager, filters={"q": "shjkj"})
    assert list(found) == [first]
    found, _ = selectors.customer_list(user=manager, filters={"q": "021 6234 5678"})
    assert list(found) == [first]
    assert first.history.first().history_change_reason == "import 客户.xlsx"
    assert first.history.first().history_user == manager


def test_import_commit_uses_default_owner_for_empty_owner_cells_when_given(manager, sales_user):
    report = read(manager, xlsx_bytes([row(name="甲公司")]), default_owner=sales_user)

    imports.customers_import_commit(actor=manager, report=report)

    assert Customer.objects.get().owner == sales_user


def test_import_refuses_two_headers_with_the_same_meaning(manager):
    header = ["Name", "Payment terms", "账期（天）"]
    with pytest.raises(SpreadsheetInvalid, match="mean the same"):
        read(manager, csv_bytes([["Acme", "1", "2"]], header=header), filename="c.csv")


def test_import_accepts_english_headers_and_lists_unknown_columns(manager):
    header = ["Name", "Credit Code", "KIND", "账期（天）", "Foo", "e-mail", "Contact"]
    data = csv_bytes(
        [["Acme Ltd", uscc(7), "Enterprise", "45", "x", "a@example.com", "Ann"]], header=header
    )

    report = read(manager, data, filename="c.csv")

    assert report.errors == []
    assert report.ignored_columns == ["Foo"]
    customer = report.candidates[0].customer
    assert (customer.name, customer.credit_code, customer.kind, customer.payment_terms_days) == (
        "Acme Ltd",
        uscc(7),
        "enterprise",
        45,
    )
    assert report.candidates[0].contacts[0].email == "a@example.com"


# --- CSV encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_import_reads_chinese_csv_when_encoding_is_gb18030_or_utf8(manager, encoding):
    data = csv_bytes(
        [row(name="广州乙贸易有限公司", kind="企业", contact_name="陈六")], encoding=encoding
    )

    report = read(manager, data, filename="客户.csv")

    assert report.errors == []
    assert report.candidates[0].customer.name == "广州乙贸易有限公司"
    assert report.candidates[0].contacts[0].name == "陈六"


@pytest.mark.parametrize("name", ["gb18030.csv", "utf8_bom.csv"])
def test_import_reads_fixture_csv_files_saved_by_excel(manager, name):
    report = read(manager, (DATA / name).read_bytes(), filename=name)

    assert report.errors == []
    assert [c.customer.name for c in report.candidates] == [
        "北京丙软件有限公司",
        "深圳丁电子有限公司",
    ]
    assert report.contact_count == 3


def test_import_reads_fixture_xlsx(manager):
    report = read(manager, (DATA / "good.xlsx").read_bytes(), filename="good.xlsx")

    assert report.errors == []
    assert report.customer_count == 2
    assert report.contact_count == 3


# --- malformed files --------------------------------------------------------------------------


def _truncated_xlsx() -> bytes:
    data = xlsx_bytes([row(name="甲")])
    return data[: len(data) // 2]


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.xlsx", "empty"),
        (b"  \r\n ", "empty.csv", "empty"),
        (b"this is not a workbook", "fake.xlsx", "not a valid xlsx"),
        (_truncated_xlsx(), "broken.xlsx", "not a valid xlsx"),
        (_zip_without_workbook(), "other.xlsx", "not a valid xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls", r"\.xls"),
        ("客户名称\n甲\n".encode() + b"caf\xe9\n", "latin.csv", "not text in a known encoding"),
        (b"name\n\x00\x01\x02", "binary.csv", "not a text"),
        (b"whatever", "customers.pdf", r"Only \.xlsx and \.csv"),
        (csv_bytes([["甲"]], header=["名字不对"]), "noname.csv", "has no “客户名称”"),
    ],
)
def test_import_read_refuses_malformed_file_with_clear_message(manager, data, filename, message):
    with pytest.raises(SpreadsheetInvalid, match=message):
        read(manager, data, filename=filename)
    assert Customer.objects.count() == 0


def test_sheet_read_refuses_file_over_size_limit():
    with pytest.raises(SpreadsheetTooLarge, match="larger than 1 MB"):
        sheet_read(b"a" * (1024 * 1024 + 1), filename="big.csv", max_bytes=1024 * 1024)


def test_sheet_read_refuses_more_rows_than_limit():
    data = csv_bytes([[f"客户{i}"] for i in range(11)], header=["客户名称"])
    assert len(sheet_read(data, filename="ok.csv", max_rows=11).rows) == 11
    with pytest.raises(SpreadsheetTooLarge, match="more than 10 data rows"):
        sheet_read(data, filename="many.csv", max_rows=10)


def test_sheet_read_keeps_excel_row_numbers_and_text_of_numbers():
    data = xlsx_bytes(
        [["甲", 13800138000, 1000.1, None], [], ["乙", "'=1+1", 30.0, True]],
        header=["a", "b", "c", "d"],
    )

    sheet = sheet_read(data, filename="x.xlsx")

    assert sheet.header == ["a", "b", "c", "d"]
    assert [r.number for r in sheet.rows] == [2, 4]  # the blank row 3 is skipped, not renumbered
    assert sheet.rows[0].cells == ("甲", "13800138000", "1000.1", "")
    assert sheet.rows[1].cells == ("乙", "=1+1", "30", "TRUE")  # neutralising quote taken off


# --- row errors -------------------------------------------------------------------------------


def test_import_reports_every_error_with_row_and_column_and_collects_all(manager, make_user):
    inactive = make_user(Role.SALES, is_active=False)
    long_name = "长" * 201
    rows = [
        row(name="好客户"),  # row 2 is fine
        row(name="坏代码", credit_code="91310000MA1000001X"),  # 3 checksum
        row(name="连字符", credit_code="91310000-MA1000001"),  # 4 hyphen
        row(name="坏类型", kind="公司企业", status="睡着了", grade="E", source="天上"),  # 5
        row(name="负额度", credit_limit_amount="-1"),  # 6
        row(name="三位小数", credit_limit_amount="100.005"),  # 7
        row(name="巨额", credit_limit_amount="100000000000000000"),  # 8
        row(name="非数字", credit_limit_amount="一千"),  # 9
        row(name="负账期", payment_terms_days=-5),  # 10
        row(name="巨账期", payment_terms_days=100000),  # 11
        row(name="小数账期", payment_terms_days="30.5"),  # 12
        row(name="无此人", owner="nobody"),  # 13
        row(name="停用的人", owner=inactive.username),  # 14
        row(name=long_name),  # 15
        row(short_name="没有名字"),  # 16
        row(name="坏电话", contact_name="赵", contact_phone="12345"),  # 17
        row(name="坏邮箱", contact_name="钱", contact_email="not-an-email"),  # 18
        row(name="联系人无名", contact_title="经理", contact_phone="13800138000"),  # 19
        row(name="坏电话", contact_name="孙", contact_phone="abc"),  # 20 (also a duplicate name)
    ]

    report = read(manager, xlsx_bytes(rows))

    expected = {
        (3, "统一社会信用代码"),
        (4, "统一社会信用代码"),
        (5, "类型"),
        (5, "状态"),
        (5, "等级"),
        (5, "来源"),
        (6, "信用额度"),
        (7, "信用额度"),
        (8, "信用额度"),
        (9, "信用额度"),
        (10, "账期(天)"),
        (11, "账期(天)"),
        (12, "账期(天)"),
        (13, "负责人"),
        (14, "负责人"),
        (15, "客户名称"),
        (16, "客户名称"),
        (17, "电话"),
        (18, "邮箱"),
        (19, "联系人"),
        (20, "电话"),
        (20, "客户名称"),
    }
    assert errors_at(report) == expected
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "not a valid unified social credit code" in messages[(3, "统一社会信用代码")]
    assert "no hyphens" in messages[(4, "统一社会信用代码")]
    assert "企业, 个人, 政府" in messages[(5, "类型")]
    assert "greater than or equal to 0" in messages[(6, "信用额度")]
    assert "more than 2 decimal places" in messages[(7, "信用额度")]
    assert re.search("too large|less than or equal to 999999999999.99", messages[(8, "信用额度")])
    assert "less than or equal to 3650" in messages[(11, "账期(天)")]
    assert "no user “nobody”" in messages[(13, "负责人")]
    assert "deactivated" in messages[(14, "负责人")]
    assert "at most 200 characters" in messages[(15, "客户名称")]
    assert "not a valid phone number" in messages[(17, "电话")]
    assert "Same customer name as row 17" in messages[(20, "客户名称")]
    assert report.errors == sorted(report.errors, key=lambda e: e.row)
    assert str(report.errors[0]).startswith("Row 3, 统一社会信用代码: ")


def test_import_refuses_other_owner_when_importer_sees_only_own_customers(make_user, sales_user):
    importer = make_user(Role.SALES)
    importer.user_permissions.add(Permission.objects.get(codename="import_customer"))
    importer = User.objects.get(pk=importer.pk)  # fresh permission cache

    report = read(importer, xlsx_bytes([row(name="甲", owner=sales_user.username), row(name="乙")]))

    assert errors_at(report) == {(2, "负责人")}
    assert "only make yourself the owner" in report.errors[0].message


# --- all or nothing ---------------------------------------------------------------------------


def test_import_commit_writes_nothing_when_one_row_is_bad(manager):
    rows = [row(name=f"客户{i}", contact_name="某人") for i in range(5)]
    rows.append(row(name="坏的", credit_code="123"))
    report = read(manager, xlsx_bytes(rows))
    assert errors_at(report) == {(7, "统一社会信用代码")}

    with pytest.raises(imports.CustomerImportInvalid) as info:
        imports.customers_import_commit(actor=manager, report=report)

    assert info.value.errors == report.errors
    assert Customer.objects.count() == 0
    assert Contact.objects.count() == 0


def test_import_commit_rolls_back_everything_when_credit_code_was_taken_meanwhile(manager):
    report = read(
        manager,
        xlsx_bytes([row(name="甲", contact_name="张"), row(name="乙", credit_code=uscc(2))]),
    )
    assert report.ok
    CustomerFactory(name="别人先建的", credit_code=uscc(2))

    with pytest.raises(imports.CustomerImportInvalid) as info:
        imports.customers_import_commit(actor=manager, report=report)

    assert info.value.errors[0].row == 3
    assert list(Customer.objects.values_list("name", flat=True)) == ["别人先建的"]
    assert Contact.objects.count() == 0
    # the numbers reserved by the failed import went back: no gap
    assert services.customer_create(actor=manager, data={"name": "丙"}).number == "KH-000001"


def test_import_commit_rolls_back_when_same_name_was_created_meanwhile(manager):
    report = read(manager, xlsx_bytes([row(name="甲"), row(name="乙")]))
    CustomerFactory(name="乙")

    with pytest.raises(imports.CustomerImportInvalid) as info:
        imports.customers_import_commit(actor=manager, report=report)

    assert [(e.row, e.column) for e in info.value.errors] == [(3, "客户名称")]
    assert Customer.objects.count() == 1


# --- duplicates -------------------------------------------------------------------------------


def test_import_reports_duplicates_within_the_file_by_credit_code_and_name(manager):
    rows = [
        row(name="甲", credit_code=uscc(3)),
        row(name="乙", credit_code=uscc(3).lower()),  # same code once normalised
        row(name="ABC Trading"),
        row(name="abc trading "),
    ]

    report = read(manager, xlsx_bytes(rows))

    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "统一社会信用代码", "Same credit code as row 2."),
        (5, "客户名称", "Same customer name as row 4."),
    ]


def test_import_reports_duplicates_against_existing_customers(manager):
    existing = CustomerFactory(name="Existing Co", credit_code=uscc(4))

    report = read(
        manager, xlsx_bytes([row(name="新名字", credit_code=uscc(4)), row(name="EXISTING CO")])
    )

    assert [(e.row, e.column) for e in report.errors] == [(2, "统一社会信用代码"), (3, "客户名称")]
    assert existing.number in report.errors[0].message


def test_import_compares_names_after_nfkc_and_collapsed_spaces(manager):
    """Full-width and half-width brackets, the ideographic space and doubled spaces make no
    second customer, in the file or against the database."""
    existing = CustomerFactory(name="北京（海淀）科技有限公司")
    rows = [
        row(name="北京(海淀)科技有限公司"),
        row(name="上海  浦东 贸易"),
        row(name="上海\u3000浦东  贸易"),
        row(name="ＡＢＣ Trading"),
        row(name="abc  trading"),
    ]

    report = read(manager, xlsx_bytes(rows))

    assert [(e.row, e.column) for e in report.errors] == [
        (2, "客户名称"),
        (4, "客户名称"),
        (6, "客户名称"),
    ]
    assert existing.number in report.errors[0].message


def test_customer_writes_keep_the_comparison_name(manager):
    customer = services.customer_create(actor=manager, data={"name": " 甲（乙）  Co "})

    assert Customer.objects.get(pk=customer.pk).name_key == "甲(乙) co"


# --- permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SALES, Role.ACCOUNTANT, Role.CUSTOMER_SERVICE])
def test_import_refused_when_role_lacks_import_permission(make_user, role):
    with pytest.raises(PermissionDeniedError):
        read(make_user(role), xlsx_bytes([row(name="甲")]))
