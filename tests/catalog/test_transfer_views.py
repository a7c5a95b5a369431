"""Product import and export: the round trip, per-row errors naming row and column, malformed
files, updates by code, all-or-nothing commits, and the pages around them."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from suanpan.catalog import services
from suanpan.catalog.models import Product, TaxCategory
from suanpan.catalog.services import exports, imports
from suanpan.catalog.services.imports import ProductImportInvalid
from suanpan.core.errors import PermissionDeniedError
from suanpan.core.spreadsheets import SpreadsheetInvalid
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import ProductFactory, TaxCategoryFactory

pytestmark = pytest.mark.django_db

HEADER = [c.header for c in imports.COLUMNS]
IMPORT_URL = "/products/import/"
EXPORT_URL = "/products/export/"


@pytest.fixture(autouse=True)
def _uploads(settings: Any, tmp_path: Path) -> None:
    settings.IMPORT_UPLOAD_DIR = tmp_path / "imports"


@pytest.fixture
def service_category() -> TaxCategory:
    return TaxCategoryFactory(code="3040000000000000000", name="现代服务", vat_rate_key="6")


def row(**cells: Any) -> list[Any]:
    keys = [c.key for c in imports.COLUMNS]
    return [cells.get(key, "") for key in keys]


def xlsx_bytes(rows: list[list[Any]], *, header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header or HEADER)
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _read(actor: User, data: bytes, filename: str = "商品.xlsx") -> imports.ImportReport:
    return imports.products_import_read(actor=actor, data=data, filename=filename)


def _errors(report: imports.ImportReport) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in report.errors]


# Import: reading and checking -------------------------------------------------------------------


def test_import_creates_products_from_chinese_words_and_defaults(
    editor: User, goods: TaxCategory, service_category: TaxCategory
) -> None:
    data = xlsx_bytes(
        [
            row(
                code="DY-01", name="激光打印机", unit="台", tax_category=goods.code, list_price=1130
            ),
            row(
                code="FW-01",
                name="安装服务",
                unit="次",
                kind="服务",
                tax_category="现代服务",
                vat_rate="6%",
                list_price="¥1,200.50",
                price_includes_tax="否",
                standard_cost="0.123456",
                is_active="停用",
            ),
        ]
    )

    report = _read(editor, data)
    assert report.ok, report.errors
    assert (report.create_count, report.update_count) == (2, 0)
    assert imports.products_import_commit(actor=editor, report=report) == (2, 0)

    printer, service = Product.objects.order_by("code")
    assert (printer.kind, printer.price_includes_tax, printer.is_active) == ("goods", True, True)
    assert printer.standard_cost == 0
    assert "jgdyj" in printer.search_text
    assert service.kind == "service"
    assert service.tax_category == service_category
    assert service.list_price == Decimal("1200.5")
    assert service.standard_cost == Decimal("0.123456")
    assert not service.price_includes_tax
    assert not service.is_active
    assert service.history.get().history_change_reason == "import 商品.xlsx"


def test_import_says_when_a_row_matches_a_product_only_apart_from_letter_case(
    editor: User, goods: TaxCategory
) -> None:
    ProductFactory(code="AB-1", name="旧名", tax_category=goods)

    report = _read(editor, xlsx_bytes([row(code="ab-1", name="新名")]))

    assert report.errors == []
    assert report.candidates[0].product.code == "AB-1"
    assert "code ab-1 matches AB-1 (letter case ignored)" in report.candidates[0].changes


def test_import_names_row_and_column_of_every_error(editor: User, goods: TaxCategory) -> None:
    TaxCategoryFactory(code="1010", name="旧分类", is_active=False)
    data = xlsx_bytes(
        [
            row(code="A", name="甲", unit="个", tax_category=goods.code),  # row 2: fine
            row(code="B", name="", unit="", tax_category="无此分类"),  # row 3
            row(code="C", name="丙", unit="个", tax_category="1010"),  # row 4: inactive
            row(code="a", name="重复", unit="个", tax_category=goods.code),  # row 5
            row(code="D", name="丁", unit="个", tax_category=goods.code, list_price="-1"),
            row(code="E", name="戊", unit="个", tax_category=goods.code, kind="软件"),
            row(code="F", name="己", unit="个", tax_category=goods.code, vat_rate="9%"),
            row(name="没有编码", unit="个"),  # row 9
            row(code="G", name="庚", unit="个", tax_category=goods.code, list_price="abc"),
        ]
    )

    report = _read(editor, data)

    assert _errors(report) == [
        (3, "商品名称"),
        (3, "单位"),
        (3, "税收分类"),
        (4, "税收分类"),
        (5, "商品编码"),
        (6, "标准售价"),
        (7, "类型"),
        (8, "税率"),
        (9, "商品编码"),
        (10, "标准售价"),
    ]
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(5, "商品编码")] == (
        "The code a differs from A in row 2 only in letter case; "
        "product codes are unique whatever their case."
    )
    assert messages[(6, "标准售价")] == "The list price cannot be negative."
    assert "无此分类" in messages[(3, "税收分类")]
    assert str(report.errors[0]).startswith("Row 3, 商品名称: ")
    with pytest.raises(ProductImportInvalid):
        imports.products_import_commit(actor=editor, report=report)
    assert not Product.objects.exists()


def test_import_updates_products_matched_by_code_and_keeps_empty_cells(
    editor: User, goods: TaxCategory
) -> None:
    product = ProductFactory(
        code="DY-01", name="打印机", specification="A4", unit="台", tax_category=goods
    )
    untouched = ProductFactory(code="ZZ-9", tax_category=goods)
    data = xlsx_bytes([row(code="dy-01", list_price="99.9", notes="降价")])

    report = _read(editor, data)
    assert report.ok, report.errors
    assert [c.changes for c in report.candidates] == [
        ["list price", "notes", "code dy-01 matches DY-01 (letter case ignored)"]
    ]
    assert imports.products_import_commit(actor=editor, report=report) == (0, 1)

    product.refresh_from_db()
    assert (product.code, product.name, product.specification) == ("DY-01", "打印机", "A4")
    assert product.list_price == Decimal("99.9")
    assert product.notes == "降价"
    newest = product.history.order_by("-history_id").first()
    assert newest.history_user == editor
    assert untouched.history.count() == 1  # factories write history too; the import did not


def test_import_needs_only_the_columns_it_changes(editor: User, goods: TaxCategory) -> None:
    ProductFactory(code="A", tax_category=goods, standard_cost=Decimal("1"))

    report = _read(editor, xlsx_bytes([["A", "2.5"]], header=["code", "standard cost"]))

    assert report.ok, report.errors
    imports.products_import_commit(actor=editor, report=report)
    assert Product.objects.get().standard_cost == Decimal("2.5")


def test_import_reports_rows_that_change_nothing_as_unchanged(
    editor: User, goods: TaxCategory
) -> None:
    ProductFactory(code="A", name="甲", tax_category=goods)

    report = _read(editor, xlsx_bytes([row(code="A", name="甲")]))

    assert (report.create_count, report.update_count, report.unchanged_count) == (0, 0, 1)


def test_import_refuses_moving_a_product_to_an_inactive_category(
    editor: User, goods: TaxCategory
) -> None:
    ProductFactory(code="A", tax_category=goods)
    TaxCategoryFactory(code="1010", name="旧分类", is_active=False)

    report = _read(editor, xlsx_bytes([row(code="A", tax_category="旧分类")]))

    assert _errors(report) == [(2, "税收分类")]


def test_import_lists_unknown_columns_and_accepts_english_headers(
    editor: User, goods: TaxCategory
) -> None:
    data = xlsx_bytes(
        [["X", "某物", "pcs", goods.code, "hello"]],
        header=["Code", "Name", "Unit", "Tax category", "Colour"],
    )

    report = _read(editor, data)

    assert report.ok, report.errors
    assert report.ignored_columns == ["Colour"]


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.xlsx", "The file is empty."),
        (b"not a zip", "a.xlsx", "not a valid xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "a.xls", "old Excel"),
        ("名称,单位\n甲,个\n".encode(), "a.csv", "has no “商品编码” (code) column"),
        ("编码,code\nA,B\n".encode(), "a.csv", "mean the same"),
    ],
    ids=["empty", "damaged", "xls", "no code column", "same column twice"],
)
def test_import_refuses_malformed_files_with_a_message(
    editor: User, data: bytes, filename: str, message: str
) -> None:
    with pytest.raises(SpreadsheetInvalid) as exc:
        _read(editor, data, filename)

    assert message in exc.value.message


def test_import_reads_gb18030_csv(editor: User, goods: TaxCategory) -> None:
    text = f"商品编码,商品名称,单位,税收分类\nA,打印机,台,{goods.code}\n"

    report = _read(editor, text.encode("gb18030"), "商品.csv")

    assert report.ok, report.errors
    assert report.candidates[0].product.name == "打印机"


@pytest.mark.parametrize("role", [Role.SALES, Role.CUSTOMER_SERVICE])
def test_import_refused_without_import_add_and_change_permissions(
    make_user: Callable[..., User], role: Role
) -> None:
    actor = make_user(role)

    with pytest.raises(PermissionDeniedError):
        _read(actor, xlsx_bytes([]))


def test_import_commit_rolls_back_everything_when_a_code_was_taken_meanwhile(
    editor: User, goods: TaxCategory
) -> None:
    data = xlsx_bytes(
        [
            row(code="A", name="甲", unit="个", tax_category=goods.code),
            row(code="B", name="乙", unit="个", tax_category=goods.code),
        ]
    )
    report = _read(editor, data)
    ProductFactory(code="b", tax_category=goods)  # someone else, after the preview

    with pytest.raises(ProductImportInvalid) as exc:
        imports.products_import_commit(actor=editor, report=report)

    assert [(e.row, e.column) for e in exc.value.errors] == [(3, "商品编码")]
    assert list(Product.objects.values_list("code", flat=True)) == ["b"]


# Export and the round trip ----------------------------------------------------------------------


def _export(user: User, fmt: str = "xlsx", **filters: str) -> bytes:
    buffer = io.BytesIO()
    exports.products_export(user=user, stream=buffer, fmt=fmt, filters=filters)  # type: ignore[arg-type]
    return buffer.getvalue()


def test_export_writes_the_import_columns_for_the_filtered_list(
    editor: User, goods: TaxCategory, service_category: TaxCategory
) -> None:
    services.product_create(
        actor=editor,
        data={
            "code": "FW-01",
            "name": "=安装服务",
            "unit": "次",
            "kind": "service",
            "tax_category": service_category,
            "list_price": Decimal("999999999.999999"),
            "price_includes_tax": False,
        },
    )
    ProductFactory(code="DY-01", tax_category=goods)

    data = _export(editor, kind="service")

    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert rows[0] == HEADER
    assert len(rows) == 2
    cells = dict(zip(HEADER, rows[1], strict=True))
    assert cells["商品编码"] == "FW-01"
    assert cells["商品名称"] == "'=安装服务"  # a formula is never run
    assert cells["类型"] == "服务"
    assert cells["税收分类"] == service_category.code
    assert cells["税率"] == "6%"
    assert cells["标准售价"] == 999999999.999999  # a number, exact to its last decimal
    assert cells["价格含税"] == "否"
    assert cells["状态"] == "启用"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(
    editor: User, goods: TaxCategory, service_category: TaxCategory, fmt: str
) -> None:
    for code, category, price, active in [
        ("A", goods, Decimal("0.123456"), True),
        ("B", service_category, Decimal("999999999.999999"), False),
        ("C", goods, Decimal("1130"), True),
    ]:
        ProductFactory(
            code=code,
            specification="=SUM(A1)",
            tax_category=category,
            list_price=price,
            is_active=active,
            notes="多行\n备注",
        )
    before = list(Product.objects.order_by("code").values())

    report = _read(editor, _export(editor, fmt), f"商品.{fmt}")

    assert report.ok, report.errors
    assert (report.create_count, report.update_count, report.unchanged_count) == (0, 0, 3)
    imports.products_import_commit(actor=editor, report=report)
    assert list(Product.objects.order_by("code").values()) == before


def test_export_then_import_into_an_empty_catalog_recreates_the_products(
    editor: User, goods: TaxCategory
) -> None:
    ProductFactory(code="A", name="甲", specification="规格", tax_category=goods)
    data = _export(editor)
    Product.objects.all().delete()

    report = _read(editor, data)
    imports.products_import_commit(actor=editor, report=report)

    product = Product.objects.get()
    assert (product.code, product.name, product.specification) == ("A", "甲", "规格")


def test_export_price_cell_keeps_what_a_float_would_round_as_text() -> None:
    assert exports.price_cell(Decimal("1130.000000")) == Decimal("1130")
    assert exports.price_cell(Decimal("1234567890123.456789")) == "1234567890123.456789"


def test_export_refused_without_the_export_permission(
    make_user: Callable[..., User],
) -> None:
    with pytest.raises(PermissionDeniedError):
        _export(make_user(Role.SALES))


# Pages ------------------------------------------------------------------------------------------


def _upload(data: bytes, name: str = "商品.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_import_page_previews_then_commits(
    signed_in: Callable[[User], Client], editor: User, goods: TaxCategory, tmp_path: Path
) -> None:
    client = signed_in(editor)
    data = xlsx_bytes([row(code="A", name="甲", unit="个", tax_category=goods.code)])

    preview = client.post(IMPORT_URL, {"action": "preview", "file": _upload(data)})

    assert preview.status_code == 200
    assert not Product.objects.exists()
    token = preview.context["token"]
    assert token
    assert list((tmp_path / "imports").iterdir())

    done = client.post(IMPORT_URL, {"action": "commit", "token": token})

    assert done.status_code == 302
    assert Product.objects.get().code == "A"
    assert not list((tmp_path / "imports").iterdir())


def test_import_page_shows_errors_and_keeps_nothing(
    signed_in: Callable[[User], Client], editor: User, tmp_path: Path
) -> None:
    data = xlsx_bytes([row(code="A")])

    response = signed_in(editor).post(IMPORT_URL, {"action": "preview", "file": _upload(data)})

    assert response.status_code == 422
    assert response.context["token"] is None
    assert "Row" in response.content.decode() and "商品名称" in response.content.decode()
    assert not (tmp_path / "imports").exists()


def test_import_page_refuses_a_commit_without_its_preview(
    signed_in: Callable[[User], Client], editor: User
) -> None:
    response = signed_in(editor).post(IMPORT_URL, {"action": "commit", "token": "0" * 32})

    assert response.status_code == 302
    assert not Product.objects.exists()


def test_import_page_shows_an_unreadable_file_on_the_form(
    signed_in: Callable[[User], Client], editor: User
) -> None:
    response = signed_in(editor).post(
        IMPORT_URL, {"action": "preview", "file": _upload(b"garbage", "a.xlsx")}
    )

    assert response.status_code == 422
    assert "not a valid xlsx" in str(response.context["form"].errors["file"])


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_import_template_download_holds_the_header(
    signed_in: Callable[[User], Client], editor: User, fmt: str
) -> None:
    response = signed_in(editor).get(IMPORT_URL, {"template": fmt})

    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert f"products-template.{fmt}" in response["Content-Disposition"]
    sheet = imports.sheet_read(body, filename=f"t.{fmt}")
    assert sheet.header == HEADER


def test_export_page_downloads_the_filtered_list(
    signed_in: Callable[[User], Client], editor: User, goods: TaxCategory
) -> None:
    ProductFactory(code="A", name="打印机", tax_category=goods)
    ProductFactory(code="B", name="复印纸", tax_category=goods)

    response = signed_in(editor).get(EXPORT_URL, {"q": "打印", "format": "csv"})

    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert text.splitlines()[1].startswith("A,打印机")
    assert len(text.splitlines()) == 2


@pytest.mark.parametrize("role", [Role.SALES, Role.CUSTOMER_SERVICE])
def test_import_and_export_pages_refuse_read_only_roles(
    signed_in: Callable[[User], Client], make_user: Callable[..., User], role: Role
) -> None:
    client = signed_in(make_user(role))

    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403


def test_import_refuses_reactivating_a_product_whose_category_is_inactive(
    editor: User, goods: TaxCategory
) -> None:
    ProductFactory(code="A", tax_category=goods, is_active=False)
    goods.is_active = False
    goods.save()

    report = _read(editor, xlsx_bytes([row(code="A", is_active="启用")]))

    assert _errors(report) == [(2, "税收分类")]
