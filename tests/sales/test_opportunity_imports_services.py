"""Opportunity import: customers, stages and owners by name, dates kept, re-import updates."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from suanpan.core.errors import PermissionDeniedError
from suanpan.sales.models import Opportunity, OpportunityStage
from suanpan.sales.services import opportunity_imports as imports
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "外部编号",
    "商机名称",
    "客户",
    "金额",
    "预计成交日期",
    "阶段",
    "负责人",
    "实际成交日期",
    "输单原因",
]


def csv_file(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8-sig")


def read(actor: User, data: bytes) -> imports.ImportReport:
    return imports.opportunities_import_read(actor=actor, data=data, filename="商机.csv")


@pytest.fixture
def history_file(manager: User) -> bytes:
    """Three deals from an old CRM: one open, one won in 2023, one lost in 2024."""
    CustomerFactory(owner=manager, name="北京（海淀）科技有限公司", number="KH000101")
    CustomerFactory(owner=manager, name="上海贸易有限公司", number="KH000102")
    return csv_file(
        [
            [
                "CRM-1",
                "ERP 升级",
                "北京(海淀)科技有限公司",
                "¥120,000.00",
                "2026-12-31",
                "谈判",
                "",
                "",
                "",
            ],
            [
                "CRM-2",
                "2023 年实施",
                "KH000102",
                "80000",
                "2023-05-31",
                "赢单",
                "",
                "2023-06-12",
                "",
            ],
            [
                "CRM-3",
                "2024 年投标",
                "KH000101",
                "50000",
                "2024-02-28",
                "lost",
                "",
                "2024/3/5",
                "价格",
            ],
        ]
    )


def test_import_keeps_history_dates_and_finds_customers_by_name_or_number(
    manager: User, history_file: bytes
) -> None:
    report = read(manager, history_file)

    assert report.errors == []
    assert report.create_count == 3
    created, updated = imports.opportunities_import_commit(actor=manager, report=report)

    assert (created, updated) == (3, 0)
    rows = {o.external_ref: o for o in Opportunity.objects.select_related("stage", "customer")}
    assert rows["CRM-1"].customer.number == "KH000101"  # half-width brackets found full-width
    assert rows["CRM-1"].amount == Decimal("120000.00")
    assert rows["CRM-1"].closed_on is None
    assert (rows["CRM-2"].stage.name, rows["CRM-2"].closed_on) == ("赢单", date(2023, 6, 12))
    assert (rows["CRM-3"].stage.name, rows["CRM-3"].closed_on) == ("输单", date(2024, 3, 5))
    assert rows["CRM-3"].loss_reason == "价格"
    assert rows["CRM-3"].owner == manager
    assert rows["CRM-3"].history.first().history_change_reason == "import 商机.csv"


def test_reimporting_the_same_file_creates_nothing_twice(
    manager: User, history_file: bytes
) -> None:
    imports.opportunities_import_commit(actor=manager, report=read(manager, history_file))

    again = read(manager, history_file)
    assert (again.create_count, again.update_count, again.unchanged_count) == (0, 0, 3)
    assert imports.opportunities_import_commit(actor=manager, report=again) == (0, 0)

    assert Opportunity.objects.count() == 3


def test_reimport_with_a_changed_row_updates_only_that_opportunity(
    manager: User, history_file: bytes
) -> None:
    imports.opportunities_import_commit(actor=manager, report=read(manager, history_file))
    changed = csv_file([["CRM-1", "ERP 升级", "", "130000", "", "", "", "", ""]])

    report = read(manager, changed)
    assert (report.update_count, report.candidates[0].changed_fields) == (1, ["amount"])
    imports.opportunities_import_commit(actor=manager, report=report)

    opportunity = Opportunity.objects.get(external_ref="CRM-1")
    assert opportunity.amount == Decimal("130000")
    assert opportunity.stage.name == "谈判"  # empty cells kept the stage
    assert Opportunity.objects.count() == 3


def test_owner_by_username_or_full_name(manager: User, make_user: Any) -> None:
    seller = make_user(Role.SALES, username="wang", display_name="王小明")
    CustomerFactory(owner=manager, name="甲公司")
    data = csv_file(
        [
            ["", "一", "甲公司", "1", "2026-12-31", "", "wang", "", ""],
            ["", "二", "甲公司", "1", "2026-12-31", "", "王小明", "", ""],
        ]
    )

    report = read(manager, data)

    assert report.errors == []
    assert [c.opportunity.owner for c in report.candidates] == [seller, seller]


def test_every_bad_row_is_reported_and_nothing_saved(manager: User) -> None:
    CustomerFactory(owner=manager, name="同名公司")
    CustomerFactory(owner=manager, name="同名公司 ")  # the same name, a second customer
    CustomerFactory(owner=manager, name="甲公司")
    future = (date.today() + timedelta(days=3)).isoformat()
    data = csv_file(
        [
            ["A", "x", "没有的公司", "1", "2026-12-31", "", "", "", ""],
            ["B", "x", "同名公司", "1", "2026-12-31", "", "", "", ""],
            ["C", "x", "甲公司", "-5", "2026-13-01", "不存在", "nobody", "", ""],
            ["D", "x", "甲公司", "1", "2026-12-31", "赢单", "", future, ""],
            ["E", "x", "甲公司", "1", "2026-12-31", "输单", "", "", ""],
            ["A", "x", "甲公司", "1", "2026-12-31", "", "", "", ""],
            ["F", "x", "甲公司", "1", "2026-12-31", "谈判", "", "2024-01-01", ""],
        ]
    )

    report = read(manager, data)

    found = {(e.row, e.column) for e in report.errors}
    assert {
        (2, "客户"),
        (3, "客户"),
        (4, "金额"),
        (4, "预计成交日期"),
        (4, "阶段"),
        (4, "负责人"),
    } <= found
    assert {(5, "实际成交日期"), (6, "输单原因"), (7, "外部编号"), (8, "实际成交日期")} <= found
    assert "give the customer number" in next(e.message for e in report.errors if e.row == 3)
    with pytest.raises(imports.OpportunityImportInvalid):
        imports.opportunities_import_commit(actor=manager, report=report)
    assert not Opportunity.objects.exists()


def test_a_salesperson_sees_only_own_customers_and_cannot_assign_others(
    seller: User, make_user: Any
) -> None:
    other = make_user(Role.SALES, username="li")
    CustomerFactory(owner=seller, name="我的客户")
    CustomerFactory(owner=other, name="别人的客户")
    data = csv_file(
        [
            ["", "x", "别人的客户", "1", "2026-12-31", "", "", "", ""],
            ["", "y", "我的客户", "1", "2026-12-31", "", "li", "", ""],
        ]
    )

    report = read(seller, data)

    assert [(e.row, e.column) for e in report.errors] == [(2, "客户"), (3, "负责人")]


def test_import_needs_add_and_change_permissions(make_user: Any) -> None:
    with pytest.raises(PermissionDeniedError):
        read(make_user(Role.ACCOUNTANT), csv_file([]))


def test_stage_words_in_english_and_an_inactive_stage(manager: User) -> None:
    CustomerFactory(owner=manager, name="甲公司")
    OpportunityStage.objects.filter(name="谈判").update(is_active=False)
    data = csv_file(
        [
            ["", "x", "甲公司", "1", "2026-12-31", "Proposal", "", "", ""],
            ["", "y", "甲公司", "1", "2026-12-31", "谈判", "", "", ""],
        ]
    )

    report = read(manager, data)

    assert report.candidates[0].opportunity.stage.name == "方案报价"
    assert [(e.row, e.column) for e in report.errors] == [(3, "阶段")]


def test_checking_a_file_takes_as_many_queries_for_60_rows_as_for_6(
    manager: User, django_assert_max_num_queries: Any
) -> None:
    CustomerFactory(owner=manager, name="甲公司", number="KH000201")

    def file(count: int) -> bytes:
        return csv_file(
            [
                [
                    f"R-{n}",
                    f"商机{n}",
                    "KH000201" if n % 2 else "甲公司",
                    "1",
                    "2026-12-31",
                    "",
                    "",
                    "",
                    "",
                ]
                for n in range(count)
            ]
        )

    read(manager, file(6))  # warm: content types, permissions
    with CaptureQueriesContext(connection) as small:
        read(manager, file(6))
    with django_assert_max_num_queries(len(small.captured_queries)):
        report = read(manager, file(60))
    assert report.create_count == 60
