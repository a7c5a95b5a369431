"""Voucher exports for Kingdee, Yonyou and CSV; the Beancount file passes Beancount's checker."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from suanpan.core.errors import PermissionDeniedError
from suanpan.ledger import exports, selectors, services
from suanpan.ledger.models import Account, Period
from suanpan.ledger.services import LineInput
from suanpan.users.choices import Role
from tests.ledger.test_verification import SmallLedger, post_small_ledger

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def ledger(accounts, customer_dim, accountant, finance_manager) -> SmallLedger:
    return post_small_ledger(
        accounts=accounts, customer=customer_dim, maker=accountant, checker=finance_manager
    )


def kingdee_rows(actor, **kwargs) -> list[tuple]:
    out = io.BytesIO()
    exports.kingdee_export(actor=actor, out=out, **kwargs)
    out.seek(0)
    sheet = load_workbook(out)[exports.KINGDEE_SHEET]
    return list(sheet.iter_rows(values_only=True))


def yonyou_text(actor, **kwargs) -> str:
    out = io.BytesIO()
    exports.yonyou_export(actor=actor, out=out, **kwargs)
    return out.getvalue().decode("gbk")


def manual_post(accounts, maker, checker, *, summary: str, amount: str = "10.00"):
    voucher = services.voucher_create(
        actor=maker,
        date=date(2026, 1, 25),
        summary=summary,
        lines=[
            LineInput(accounts["1002"], debit=D(amount)),
            LineInput(accounts["6001"], credit=D(amount)),
        ],
    )
    services.voucher_review(actor=checker, voucher=voucher)
    return services.voucher_post(actor=checker, voucher=voucher)


# ---------------------------------------------------------------------------- Kingdee


def test_kingdee_export_writes_the_37_columns_in_order_when_asked(ledger, accountant):
    rows = kingdee_rows(accountant)

    assert rows[0] == exports.KINGDEE_COLUMNS
    assert len(rows[0]) == 37
    assert rows[0][0] == "凭证日期" and rows[0][33] == "核算项目" and rows[0][36] == "现金流量"
    assert len(rows) == 1 + 13  # one row per posted line


def test_kingdee_export_fills_customer_and_amount_cells_when_a_line_has_a_customer(
    ledger, accountant
):
    header, *rows = kingdee_rows(accountant)
    first = dict(zip(header, rows[0], strict=True))

    assert first["凭证字"] == "转"
    assert first["凭证号"] == ledger.invoice_1.number
    assert (first["会计年度"], first["会计期间"]) == (2026, 1)
    assert first["科目代码"] == "1122.01"
    assert first["借方"] == 1130 and first["贷方"] == 0 and first["原币金额"] == 1130
    assert first["核算项目"] == "客户---KH-000001---北京小米科技有限公司"
    assert first["币别代码"] == "RMB" and first["币别名称"] == "人民币"
    assert first["汇率类型"] == "公司汇率" and first["汇率"] == 1
    assert first["分录序号"] == 0
    assert first["往来业务编号"] == "INV-1"
    revenue = dict(zip(header, rows[1], strict=True))
    assert revenue["核算项目"] in ("", None)
    assert revenue["原币金额"] == 1000 and revenue["贷方"] == 1000
    assert revenue["分录序号"] == 1
    assert revenue["凭证摘要"] == "主营业务收入"


def test_kingdee_export_writes_negative_amounts_when_the_voucher_is_red(ledger, accountant):
    header, *rows = kingdee_rows(accountant, period_from="202602")
    red = [dict(zip(header, r, strict=True)) for r in rows if r[4] == ledger.red.number]
    red = [r for r in red if r["凭证字"] == ledger.red.word]

    assert [r["借方"] for r in red] == [-565, 0, 0]
    assert red[0]["原币金额"] == -565


def test_kingdee_export_keeps_only_the_range_when_periods_are_given(ledger, accountant):
    _header, *rows = kingdee_rows(accountant, period_from="202602", period_to="202602")

    assert {(r[1], r[2]) for r in rows} == {(2026, 2)}
    assert len(rows) == 2 + 3


def test_kingdee_export_is_refused_when_the_user_may_not_see_the_books(ledger, make_user):
    with pytest.raises(PermissionDeniedError):
        kingdee_rows(make_user(Role.SALES))


def test_period_range_is_refused_when_a_period_is_not_yyyymm(books):
    with pytest.raises(exports.ExportRangeInvalid):
        exports.period_key_parse("2026-1")
    with pytest.raises(exports.ExportRangeInvalid):
        exports.period_key_parse("202613")


# ---------------------------------------------------------------------------- Yonyou


def test_yonyou_export_writes_gbk_lines_after_the_v800_header_when_asked(ledger, accountant):
    lines = yonyou_text(accountant).split("\r\n")

    assert lines[0] == "填制凭证,V800"
    assert lines[-1] == ""  # every line ends in CRLF
    first = lines[1].split(",")
    assert first[:8] == [
        "2026-01-15",
        "转",
        str(ledger.invoice_1.number),
        "0",
        "销售发票 INV-1",
        "112201",
        "1130.00",
        "0",
    ]
    assert first[11] == str(ledger.invoice_1.maker)
    assert len(first) == 18 and first[17] == "KH-000001"
    revenue = lines[2].split(",")
    assert len(revenue) == 12
    assert revenue[5:8] == ["6001", "0", "1000.00"]
    assert len(lines) == 1 + 13 + 1


def test_yonyou_export_keeps_the_fields_when_a_summary_holds_commas(ledger, accountant):
    lines = yonyou_text(accountant, period_from="202602").split("\r\n")
    manual = [line.split(",") for line in lines[1:] if line.startswith("2026-02-03")]

    assert [len(fields) for fields in manual] == [12, 12]
    assert manual[0][4] == "收到投资款，二月"


def test_yonyou_export_uses_the_given_code_when_an_account_is_mapped(ledger, accountant):
    text = yonyou_text(accountant, account_codes={"1122.01": "11220001"})

    assert ",11220001," in text
    assert ",112201," not in text


def test_yonyou_export_cuts_the_summary_to_60_bytes_when_it_is_longer(
    accounts, accountant, finance_manager
):
    manual_post(accounts, accountant, finance_manager, summary="长" * 40)

    fields = yonyou_text(accountant).split("\r\n")[1].split(",")

    assert fields[4] == "长" * 30
    assert len(fields[4].encode("gbk")) == 60


def test_yonyou_export_names_the_voucher_when_gbk_cannot_hold_a_character(
    accounts, accountant, finance_manager
):
    voucher = manual_post(accounts, accountant, finance_manager, summary="订单😀")

    with pytest.raises(exports.ExportEncodingError) as info:
        yonyou_text(accountant)

    assert voucher.display_number in info.value.message
    assert "😀" in info.value.message


def test_yonyou_export_writes_a_question_mark_when_asked_to_replace(
    accounts, accountant, finance_manager
):
    manual_post(accounts, accountant, finance_manager, summary="订单😀")

    fields = yonyou_text(accountant, unencodable="replace").split("\r\n")[1].split(",")

    assert fields[4] == "订单?"


# ---------------------------------------------------------------------------- CSV


def test_csv_export_writes_utf8_with_bom_one_row_per_line_when_asked(ledger, accountant):
    out = io.BytesIO()
    result = exports.csv_export(actor=accountant, out=out)

    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [
        "Voucher",
        "Date",
        "Word",
        "Number",
        "Summary",
        "Account code",
        "Account name",
        "Customer code",
        "Customer name",
        "Debit",
        "Credit",
    ]
    assert (result.vouchers, result.lines) == (5, 13)
    assert len(rows) == 14
    other = next(r for r in rows if r[7] == "KH-000002")
    assert other[8] == '上海"算盘",有限公司'
    assert other[0] == ledger.invoice_2.display_number
    assert other[9:] == ["565.00", "0.00"]
    assert not out.closed


# ---------------------------------------------------------------------------- Beancount


def test_beancount_names_are_valid_when_account_names_hold_brackets(accounts):
    from beancount.core import account as bean_account

    names = exports.beancount_account_names(list(Account.objects.all()))

    assert names[accounts["1122"].pk] == "Assets:1122-应收账款"
    assert names[accounts["1122.01"].pk] == "Assets:1122-应收账款:01-应收账款-客户"
    assert names[accounts["2221.01"].pk] == "Liabilities:2221-应交税费:01-应交增值税-销项税额"
    assert names[accounts["6001"].pk] == "Income:6001-主营业务收入"
    assert names[accounts["6401"].pk] == "Expenses:6401-主营业务成本"
    assert all(bean_account.is_valid(name) for name in names.values())


@pytest.mark.parametrize(
    ("category", "direction", "root"),
    [
        ("asset", "debit", "Assets"),
        ("liability", "credit", "Liabilities"),
        ("equity", "credit", "Equity"),
        ("cost", "debit", "Assets"),
        ("common", "debit", "Assets"),
        ("common", "credit", "Liabilities"),
        ("profit_loss", "credit", "Income"),
        ("profit_loss", "debit", "Expenses"),
    ],
)
def test_beancount_root_follows_the_category_when_an_account_is_named(
    books, category, direction, root
):
    account = Account.objects.create(
        code="3999", name="测试", level=1, direction=direction, category=category
    )

    assert exports.beancount_account_names([account])[account.pk] == f"{root}:3999-测试"


def _beancount_file(actor, tmp_path: Path) -> Path:
    path = tmp_path / "books.beancount"
    with path.open("wb") as out:
        exports.beancount_export(actor=actor, out=out)
    return path


def test_beancount_export_passes_bean_check_when_the_ledger_has_red_vouchers(
    ledger, accountant, tmp_path
):
    path = _beancount_file(accountant, tmp_path)

    bean_check = Path(sys.executable).parent / "bean-check"
    result = subprocess.run(  # noqa: S603 - the venv's own checker on our own file
        [str(bean_check), str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_beancount_balances_equal_the_trial_balance_when_loaded(ledger, accountant, tmp_path):
    from beancount import loader
    from beancount.core import realization

    entries, errors, _options = loader.load_file(str(_beancount_file(accountant, tmp_path)))
    assert errors == []
    names = exports.beancount_account_names(list(Account.objects.all()))
    real_root = realization.realize(entries)
    balance = selectors.trial_balance(
        period_from=Period.objects.get(year=2026, month=1),
        period_to=Period.objects.get(year=2026, month=2),
    )

    assert balance.rows  # the comparison below is not vacuous
    for row in balance.rows:
        real = realization.get(real_root, names[row.account.pk])
        assert real is not None, row.account.code
        inventory = realization.compute_balance(real)
        assert inventory.get_currency_units("CNY").number == row.closing, row.account.code


def test_beancount_export_links_the_red_voucher_to_the_one_it_reverses_when_loaded(
    ledger, accountant, tmp_path
):
    from beancount import loader

    entries, _errors, _options = loader.load_file(str(_beancount_file(accountant, tmp_path)))
    transactions = [e for e in entries if type(e).__name__ == "Transaction"]
    red = next(t for t in transactions if t.meta["voucher"] == ledger.red.display_number)
    original = next(t for t in transactions if t.meta["voucher"] == ledger.invoice_2.display_number)

    assert red.meta["reverses"] == ledger.invoice_2.display_number
    assert set(original.links) <= set(red.links)
    customers = [p.meta.get("customer") for p in original.postings]
    assert customers[0] == "KH-000002"
    assert len(transactions) == 5
