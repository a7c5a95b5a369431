"""`suanpan catalog import` and `suanpan catalog export`: dry run, commit, exit codes, filters."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from suanpan import cli
from suanpan.catalog.models import Product, TaxCategory
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.catalog.test_transfer_views import HEADER, row, xlsx_bytes
from tests.factories import ProductFactory, TaxCategoryFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("catalog", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[CommandError, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("catalog", *args, stdout=out, stderr=io.StringIO())
    return info.value, out.getvalue()


@pytest.fixture
def good_file(tmp_path: Path, goods: TaxCategory) -> Path:
    path = tmp_path / "商品.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                row(code="A", name="甲", unit="个", tax_category=goods.code, list_price="10"),
                row(code="B", name="乙", unit="个", tax_category="货物"),
            ]
        )
    )
    return path


def test_import_without_commit_checks_and_saves_nothing(admin_user: User, good_file: Path) -> None:
    out, _err = run("import", str(good_file))

    assert "2 rows read: 2 new products, 0 to update, 0 unchanged, 0 errors." in out
    assert "--commit" in out
    assert not Product.objects.exists()


def test_import_with_commit_creates_and_updates(
    admin_user: User, good_file: Path, goods: TaxCategory
) -> None:
    ProductFactory(code="a", tax_category=goods, list_price=Decimal("1"))

    out, _err = run("import", str(good_file), "--commit")

    assert "Imported: 1 products created, 1 updated." in out
    assert Product.objects.get(code="a").list_price == Decimal("10")
    assert Product.objects.filter(code="B").exists()


def test_import_lists_errors_and_exits_1(
    make_user: Callable[..., User], tmp_path: Path, goods: TaxCategory
) -> None:
    editor = make_user(Role.SALES_MANAGER)
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes([row(code="A", name="", unit="个", tax_category=goods.code)]))

    error, out = run_failing("import", str(path), "--commit", "--as", editor.username)

    assert error.returncode == 1
    assert "Row 2, 商品名称:" in out
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "missing.xlsx"], "No such file"),
        (["import", "{garbage}"], "not a valid xlsx"),
        (["import", "{good}", "--as", "nobody"], "There is no user"),
        (["import", "{good}", "--as", "{sales}"], "permission"),
        (["export", "{tmp}/out.txt"], "Name the file .xlsx or .csv"),
        (["export", "{tmp}/out.xlsx", "--tax-category", "404"], "--tax-category"),
        (["export", "{tmp}/out.xlsx", "--price-min", "x"], "--price-min"),
        (["export", "{tmp}/out.xlsx", "--as", "{sales}"], "permission"),
    ],
)
def test_commands_that_cannot_run_exit_2(
    admin_user: User,
    sales_user: User,
    good_file: Path,
    tmp_path: Path,
    args: list[str],
    message: str,
) -> None:
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"garbage")
    values = {"good": good_file, "garbage": garbage, "tmp": tmp_path, "sales": sales_user.username}

    error, _out = run_failing(*(a.format(**values) for a in args))

    assert error.returncode == 2
    assert message in str(error)


def test_export_writes_the_filtered_products(
    admin_user: User, tmp_path: Path, goods: TaxCategory
) -> None:
    other = TaxCategoryFactory(code="3040000000000000000", name="服务", vat_rate_key="6")
    ProductFactory(code="A", tax_category=goods)
    ProductFactory(code="B", tax_category=other)
    path = tmp_path / "products.xlsx"

    out, _err = run("export", str(path), "--tax-category", other.code)

    assert "Exported 1 product to" in out
    sheet = load_workbook(path).worksheets[0]
    rows = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert rows[0] == HEADER
    assert [r[0] for r in rows[1:]] == ["B"]
    assert not list(tmp_path.glob("*.part"))


def test_suanpan_catalog_reaches_the_command(
    admin_user: User, good_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli.main(["catalog", "import", str(good_file)])

    assert "2 new products" in capsys.readouterr().out
