"""`suanpan import customers` and `suanpan export customers`: dry run, commit, exit codes, scope."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from openpyxl import load_workbook

from suanpan import cli
from suanpan.customers.models import Contact, Customer
from suanpan.users.choices import Role
from tests.customers.test_imports_services import csv_bytes, row, uscc, xlsx_bytes
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args: str) -> tuple[CommandError, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command(*args, stdout=out, stderr=io.StringIO())
    return info.value, out.getvalue()


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "客户.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                row(
                    name="甲公司",
                    credit_code=uscc(31),
                    contact_name="张三",
                    contact_phone="13800138000",
                ),
                row(name="甲公司", contact_name="李四"),
                row(name="乙公司", kind="个人"),
            ]
        )
    )
    return path


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_bytes(
        csv_bytes(
            [
                row(name="甲公司"),
                row(name="乙公司", credit_code="91310000MA1000001X"),
                row(name="丙公司", contact_name="王", contact_phone="123"),
            ]
        )
    )
    return path


def test_import_dry_run_reports_counts_and_writes_nothing(admin_user, good_file):
    out, _err = run("import_data", "customers", str(good_file))

    assert "3 rows read: 2 customers, 2 contacts, 0 errors." in out
    assert "Dry run" in out
    assert Customer.objects.count() == 0


def test_import_commit_creates_customers_as_the_first_superuser_by_default(admin_user, good_file):
    out, _err = run("import_data", "customers", str(good_file), "--commit")

    assert "Imported 2 customers with 2 contacts (KH-000001 … KH-000002)." in out
    assert list(Customer.objects.order_by("number").values_list("number", "name", "owner")) == [
        ("KH-000001", "甲公司", admin_user.pk),
        ("KH-000002", "乙公司", admin_user.pk),
    ]
    assert Contact.objects.count() == 2


def test_import_commit_acts_as_and_gives_default_owner_when_asked(make_user, good_file):
    manager = make_user(Role.SALES_MANAGER)
    seller = make_user(Role.SALES)

    run(
        "import_data",
        "customers",
        str(good_file),
        "--commit",
        "--as",
        manager.username,
        "--owner",
        seller.username,
    )

    assert set(Customer.objects.values_list("owner", flat=True)) == {seller.pk}
    customer = Customer.objects.get(name="甲公司")
    assert customer.history.first().history_user == manager


def test_import_exits_1_and_prints_every_error_when_rows_are_bad(admin_user, bad_file):
    error, out = run_failing("import_data", "customers", str(bad_file), "--commit")

    assert error.returncode == 1
    assert "Row 3, 统一社会信用代码: " in out
    assert "Row 4, 电话: " in out
    assert "2 errors" in str(error)
    assert Customer.objects.count() == 0  # one bad row: nothing at all


def test_import_dry_run_exits_1_when_rows_are_bad(admin_user, bad_file):
    error, _out = run_failing("import_data", "customers", str(bad_file))

    assert error.returncode == 1


@pytest.mark.parametrize("role", [Role.SALES, Role.ACCOUNTANT, Role.CUSTOMER_SERVICE])
def test_import_exits_2_when_acting_user_lacks_import_permission(make_user, good_file, role):
    user = make_user(role)

    error, _out = run_failing(
        "import_data", "customers", str(good_file), "--commit", "--as", user.username
    )

    assert error.returncode == 2
    assert "permission" in str(error)
    assert Customer.objects.count() == 0


def test_import_exits_2_when_file_options_or_users_are_unusable(admin_user, good_file, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    cases = [
        (str(tmp_path / "missing.xlsx"),),
        (str(broken),),
        (str(good_file), "--as", "nobody"),
        (str(good_file), "--owner", "nobody"),
    ]
    for extra in cases:
        error, _out = run_failing("import_data", "customers", *extra)
        assert error.returncode == 2, extra
    assert Customer.objects.count() == 0


def test_import_exits_2_when_there_is_no_superuser_to_act_as(good_file):
    error, _out = run_failing("import_data", "customers", str(good_file))

    assert error.returncode == 2
    assert "--as" in str(error)


def test_export_writes_only_the_salespersons_customers_with_filters(make_user, tmp_path):
    seller = make_user(Role.SALES)
    CustomerFactory(name="我的活跃", owner=seller, status="active")
    CustomerFactory(name="我的潜在", owner=seller, status="prospect")
    CustomerFactory(name="别人的活跃", status="active")
    target = tmp_path / "out.xlsx"

    out, _err = run("export_data", "customers", str(target), "--as", seller.username)
    sheet = load_workbook(target).worksheets[0]
    assert sorted(r[1] for r in sheet.iter_rows(min_row=2, values_only=True)) == [
        "我的活跃",
        "我的潜在",
    ]
    assert "Exported 2 customers" in out

    run("export_data", "customers", str(target), "--as", seller.username, "--status", "active")
    sheet = load_workbook(target).worksheets[0]
    assert [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["我的活跃"]


def test_export_csv_by_file_name_with_search_and_owner_filters(admin_user, make_user, tmp_path):
    seller = make_user(Role.SALES)
    CustomerFactory(name="北京甲", owner=seller)
    CustomerFactory(name="北京乙")
    target = tmp_path / "out.csv"

    run("export_data", "customers", str(target), "--q", "bj", "--owner", seller.username)

    text = target.read_bytes().decode("utf-8-sig")
    assert "北京甲" in text
    assert "北京乙" not in text


def test_export_exits_2_when_role_lacks_export_permission_or_options_are_bad(make_user, tmp_path):
    service = make_user(Role.CUSTOMER_SERVICE)
    manager = make_user(Role.SALES_MANAGER)
    cases = [
        (str(tmp_path / "a.xlsx"), "--as", service.username),
        (str(tmp_path / "a.xlsx"), "--as", manager.username, "--owner", "nobody"),
        (str(tmp_path / "a.xlsx"), "--as", manager.username, "--created-after", "yesterday"),
        (str(tmp_path / "a.txt"), "--as", manager.username),
        (str(tmp_path / "no" / "such" / "a.xlsx"), "--as", manager.username),
    ]
    for args in cases:
        error, _out = run_failing("export_data", "customers", *args)
        assert error.returncode == 2, args
    assert list(tmp_path.iterdir()) == []  # no file, not even a partial one


def test_suanpan_console_script_maps_verbs_and_exits_with_the_command_status(
    admin_user, good_file, bad_file, monkeypatch, capsys
):
    # run_from_argv closes connections when done; the test's connection must stay open.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as info:
        cli.main(["import", "customers", str(bad_file)])
    assert info.value.code == 1
    assert "Row 3, 统一社会信用代码" in capsys.readouterr().out

    cli.main(["import", "customers", str(good_file), "--commit"])  # no SystemExit: status 0
    assert Customer.objects.count() == 2

    target = good_file.parent / "export.csv"
    cli.main(["export", "customers", str(target)])
    assert "甲公司" in target.read_bytes().decode("utf-8-sig")

    with pytest.raises(SystemExit) as info:
        cli.main(["import", "customers", str(good_file), "--as", "nobody"])
    assert info.value.code == 2
