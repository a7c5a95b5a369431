"""Opportunity import with product lines: one per row, several rows per external id, re-import
replaces them without doubling, unknown products named; the detail page and the API show them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suanpan.sales.models import Opportunity, OpportunityLine, OpportunityStage
from suanpan.sales.services import opportunity_imports as imports
from suanpan.users.models import User
from tests.factories import CustomerFactory, ProductFactory
from tests.sales.test_opportunity_imports_services import csv_file, read

pytestmark = pytest.mark.django_db

HEADER = ["外部编号", "商机名称", "客户", "预计成交日期", "产品编码", "数量"]


@pytest.fixture
def catalog(manager: User) -> dict[str, Any]:
    CustomerFactory(owner=manager, name="甲公司", number="KH000301")
    return {
        "server": ProductFactory(code="GTX-100", name="服务器"),
        "switch": ProductFactory(code="SW-8", name="交换机"),
    }


def lines(ref: str) -> list[tuple[str, Decimal]]:
    return [
        (line.product.code, line.quantity)
        for line in OpportunityLine.objects.filter(opportunity__external_ref=ref).order_by(
            "position"
        )
    ]


def commit(manager: User, data: bytes) -> imports.ImportReport:
    report = read(manager, data)
    assert report.errors == []
    imports.opportunities_import_commit(actor=manager, report=report)
    return report


def test_a_row_with_a_product_gets_one_line_quantity_default_one(
    manager: User, catalog: dict[str, Any]
) -> None:
    commit(
        manager,
        csv_file(
            [
                ["CRM-1", "机房", "KH000301", "2026-12-31", "gtx-100", ""],
                ["CRM-2", "网络", "KH000301", "2026-12-31", "交换机", "2.5"],
                ["CRM-3", "咨询", "KH000301", "2026-12-31", "", ""],
            ],
            header=HEADER,
        ),
    )
    assert lines("CRM-1") == [("GTX-100", Decimal("1.0000"))]
    assert lines("CRM-2") == [("SW-8", Decimal("2.5000"))]
    assert lines("CRM-3") == []


def test_rows_with_the_same_external_id_make_one_opportunity_with_several_lines(
    manager: User, catalog: dict[str, Any]
) -> None:
    report = commit(
        manager,
        csv_file(
            [
                ["CRM-1", "机房", "KH000301", "2026-12-31", "GTX-100", "3"],
                ["CRM-1", "", "", "", "SW-8", "4"],
            ],
            header=HEADER,
        ),
    )
    assert report.create_count == 1
    assert Opportunity.objects.get().title == "机房"
    assert lines("CRM-1") == [("GTX-100", Decimal(3)), ("SW-8", Decimal(4))]


def test_reimport_replaces_lines_and_the_same_file_is_unchanged(
    manager: User, catalog: dict[str, Any]
) -> None:
    first = csv_file(
        [
            ["CRM-1", "机房", "KH000301", "2026-12-31", "GTX-100", "3"],
            ["CRM-1", "", "", "", "SW-8", "4"],
        ],
        header=HEADER,
    )
    commit(manager, first)

    again = read(manager, first)
    assert (again.create_count, again.update_count, again.unchanged_count) == (0, 0, 1)
    imports.opportunities_import_commit(actor=manager, report=again)
    assert OpportunityLine.objects.count() == 2

    changed = commit(
        manager,
        csv_file([["CRM-1", "", "", "", "SW-8", "5"]], header=HEADER),
    )
    assert changed.update_count == 1
    assert "opportunity product lines" in changed.candidates[0].changes
    assert lines("CRM-1") == [("SW-8", Decimal(5))]

    # A file naming no product keeps the lines, as an empty cell keeps a value.
    commit(manager, csv_file([["CRM-1", "机房二期", "", "", "", ""]], header=HEADER))
    assert lines("CRM-1") == [("SW-8", Decimal(5))]


def test_unknown_product_and_bad_quantity_are_row_errors(
    manager: User, catalog: dict[str, Any]
) -> None:
    ProductFactory(code="A-1", name="同名")
    ProductFactory(code="A-2", name="同名")
    report = read(
        manager,
        csv_file(
            [
                ["CRM-1", "机房", "KH000301", "2026-12-31", "NOPE-9", ""],
                ["CRM-1", "", "", "", "不存在", ""],
                ["CRM-2", "网络", "KH000301", "2026-12-31", "同名", ""],
                ["CRM-3", "咨询", "KH000301", "2026-12-31", "SW-8", "0"],
                ["CRM-4", "实施", "KH000301", "2026-12-31", "", "2"],
            ],
            header=HEADER,
        ),
    )
    errors = [(e.row, e.column, e.message) for e in report.errors]
    assert errors[0] == (2, "产品编码", "There is no product with the code or name “NOPE-9”.")
    assert errors[1] == (3, "产品编码", "There is no product with the code or name “不存在”.")
    assert errors[2][:2] == (4, "产品编码") and "give the product code" in errors[2][2]
    assert errors[3][:2] == (5, "数量")
    assert errors[4][:2] == (6, "数量")
    assert len(errors) == 5
    with pytest.raises(imports.OpportunityImportInvalid):
        imports.opportunities_import_commit(actor=manager, report=report)
    assert not Opportunity.objects.exists()


def test_products_are_looked_up_once_for_the_whole_file(
    manager: User, catalog: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    products = [ProductFactory() for _ in range(30)]

    def file(count: int) -> bytes:
        return csv_file(
            [
                [f"R-{n // 2}", f"商机{n}", "KH000301", "2026-12-31", products[n].code, "1"]
                for n in range(count)
            ],
            header=HEADER,
        )

    read(manager, file(4))  # warm
    with CaptureQueriesContext(connection) as small:
        read(manager, file(4))
    with django_assert_max_num_queries(len(small.captured_queries)):
        report = read(manager, file(30))
    assert report.create_count == 15
    assert report.errors == []


@pytest.fixture
def opportunity_with_lines(sales_user: User) -> Opportunity:
    customer = CustomerFactory(owner=sales_user)
    opportunity = Opportunity.objects.create(
        customer=customer,
        title="机房改造",
        expected_close_on=date(2026, 12, 15),
        stage=OpportunityStage.objects.get(name="谈判"),
        owner=sales_user,
    )
    OpportunityLine.objects.create(
        opportunity=opportunity,
        position=1,
        product=ProductFactory(code="GTX-100", name="服务器"),
        quantity=Decimal("2.5"),
    )
    OpportunityLine.objects.create(
        opportunity=opportunity,
        position=2,
        product=ProductFactory(code="SW-8", name="交换机"),
        quantity=Decimal(4),
    )
    return opportunity


def test_detail_page_shows_the_product_lines(
    signed_in: Callable[[User], Client], sales_user: User, opportunity_with_lines: Opportunity
) -> None:
    page = signed_in(sales_user).get(
        reverse("sales:opportunity_detail", args=[opportunity_with_lines.pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "GTX-100" in html and "服务器" in html and "2.5" in html
    assert html.index("GTX-100") < html.index("SW-8")


def test_api_lists_the_product_lines(
    sales: Client, sales_user: User, opportunity_with_lines: Opportunity
) -> None:
    body = sales.get(f"/api/v1/opportunities/{opportunity_with_lines.pk}").json()
    product = OpportunityLine.objects.get(position=1).product
    assert body["lines"][0] == {
        "product_id": product.pk,
        "product_code": "GTX-100",
        "product_name": "服务器",
        "quantity": "2.5000",
    }
    assert [line["product_code"] for line in body["lines"]] == ["GTX-100", "SW-8"]
    listed = sales.get("/api/v1/opportunities").json()["items"]
    assert [line["quantity"] for line in listed[0]["lines"]] == ["2.5000", "4.0000"]
