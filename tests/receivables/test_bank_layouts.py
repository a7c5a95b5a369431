"""Reading bank statement files without a database: the presets, the header below title rows,
totals skipped, dates, times and amounts as the banks write them, duplicate keys and the
scoring of suggestions."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suanpan.receivables.calculations.bank_layouts import (
    PRESETS,
    Mapping,
    content_keys,
    header_find,
    mapping_from_dict,
    statement_read,
)
from suanpan.receivables.calculations.bank_matching import (
    AMOUNT,
    INVOICE_NUMBER,
    PAYER_ACCOUNT,
    PAYER_NAME,
    Evidence,
    OpenDebit,
    suggestion_choose,
)
from suanpan.receivables.calculations.bank_values import (
    amount_parse,
    date_parse,
    invoice_numbers,
    order_numbers,
    time_parse,
)
from tests.receivables.bank_support import statement_rows

D = Decimal


def _numbered(rows):
    return [(n, tuple(str(c) for c in row)) for n, row in enumerate(rows, 1)]


LINES = [
    {
        "date": "2026-01-12 08:00:24",
        "credit": "1,130.00",
        "name": "上海测试贸易有限公司",
        "account": "6222 0000 1111",
        "summary": "货款",
        "serial": "A1",
        "balance": "10,000.00",
    },
    {"date": "2026-01-13 09:10:00", "debit": "200.00", "name": "房东", "serial": "A2"},
]


@pytest.mark.parametrize("code", sorted(PRESETS))
def test_each_layout_is_found_below_its_title_rows_and_its_totals_are_skipped(code):
    lines = [dict(line) for line in LINES]
    if PRESETS[code].mapping.time:
        for line, (day, clock) in zip(
            lines, (("20260112", "080024"), ("20260113", "091000")), strict=True
        ):
            line["date"], line["time"] = day, clock
    numbered = _numbered(statement_rows(code, lines))

    index, mapping, found = header_find([cells for _n, cells in numbered])
    reading = statement_read(numbered, index, mapping)

    assert found == code
    assert reading.header_row == 3 and reading.errors == [] and reading.footer_rows == 1
    first, second = reading.lines
    assert (first.booked_on, first.booked_at) == (date(2026, 1, 12), time(8, 0, 24))
    assert first.amount == D("1130.00") and first.incoming
    assert first.counterparty_name == "上海测试贸易有限公司"
    assert first.counterparty_account == "622200001111"
    assert first.summary == "货款"
    assert second.amount == D("200.00") and not second.incoming
    if mapping.serial:
        assert (first.serial, second.serial) == ("A1", "A2")
    if mapping.balance:
        assert first.balance == D("10000.00")


def test_a_saved_mapping_reads_a_file_of_amount_and_direction():
    mapping = Mapping(
        date="日期", amount="金额", direction="借贷", counterparty_name="对方", summary=("附言",)
    )
    rows = [
        ("流水",),
        ("日期", "金额", "借贷", "对方", "附言"),
        ("2026/1/5", "500", "贷", "甲公司", "发票 12345678901234567890"),
        ("2026/1/6", "80.5", "借", "乙", ""),
        ("2026/1/7", "-", "贷", "丙", ""),
    ]
    numbered = list(enumerate(rows, 1))
    index, used, code = header_find([cells for _n, cells in numbered], mapping)
    reading = statement_read(numbered, index, used)
    assert code == "" and index == 1
    assert [(line.amount, line.incoming) for line in reading.lines] == [
        (D("500"), True),
        (D("80.5"), False),
    ]
    assert [(e.row, e.code) for e in reading.errors] == [(5, "no_amount")]


def test_unreadable_cells_are_errors_by_row_and_column():
    mapping = PRESETS["icbc"].mapping
    header = (
        "交易时间",
        "借方发生额",
        "贷方发生额",
        "对方单位名称",
        "对方账号",
        "余额",
        "摘要",
        "用途",
        "个性化信息",
    )
    rows = [
        header,
        ("2026-13-01", "", "1.00", "", "", "", "", "", ""),
        ("2026-01-02", "", "1.005", "", "", "", "", "", ""),
        ("2026-01-03", "", "abc", "", "", "x", "", "", ""),
    ]
    numbered = list(enumerate(rows, 1))
    reading = statement_read(numbered, 0, mapping)
    assert reading.lines == []
    assert [(e.row, e.code) for e in reading.errors] == [
        (2, "date"),
        (3, "amount"),
        (4, "amount"),
        (4, "balance"),
    ]


def test_a_header_that_is_not_there_is_not_found():
    assert header_find([("户名",), ("日期", "金额")]) is None
    assert header_find([("日期",)], Mapping(date="日期", credit="收入")) is None
    assert (
        header_find([("x",), ("日期", "收入")], Mapping(date="日期", credit="收入", header_row=1))
        is None
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-01-12", (date(2021, 1, 12), None)),
        ("20210112", (date(2021, 1, 12), None)),
        ("2021/1/12", (date(2021, 1, 12), None)),
        ("2021年1月12日", (date(2021, 1, 12), None)),
        ("2021-01-12 08:00:24", (date(2021, 1, 12), time(8, 0, 24))),
        ("20210112 080024", (date(2021, 1, 12), time(8, 0, 24))),
        ("20210112080024", (date(2021, 1, 12), time(8, 0, 24))),
        ("2021-01-12T08:00:24.5", (date(2021, 1, 12), time(8, 0, 24))),
    ],
)
def test_dates_as_banks_write_them(text, expected):
    assert date_parse(text) == expected


@pytest.mark.parametrize("text", ["", "2021-02-30", "12/01/2021", "合计", "2021-01-12 25:00"])
def test_what_is_no_date_is_refused(text):
    with pytest.raises(ValueError):
        date_parse(text)


def test_a_date_format_reads_what_the_usual_spellings_do_not():
    assert date_parse("12.01.2021", "%d.%m.%Y") == (date(2021, 1, 12), None)
    assert Mapping(date="d", credit="c", date_format="%d.%m").problems() == ["date_format"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("080024", time(8, 0, 24)), ("08:00:24", time(8, 0, 24)), ("8:05", time(8, 5)), ("", None)],
)
def test_times(text, expected):
    assert time_parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234.50", D("1234.50")),
        ("¥1234.5", D("1234.5")),
        ("１２３", D("123")),
        ("(12.00)", D("-12.00")),
        ("-", None),
        ("", None),
        ("—", None),
    ],
)
def test_amounts(text, expected):
    assert amount_parse(text) == expected


@pytest.mark.parametrize("text", ["1.234", "abc", "1e3x", "NaN", "1000000000000.00"])
def test_what_is_no_amount_is_refused(text):
    with pytest.raises(ValueError):
        amount_parse(text)


@given(st.decimals(min_value=D("0.01"), max_value=D("999999999999.99"), places=2))
def test_an_amount_written_with_thousands_separators_reads_back(amount):
    assert amount_parse(f"{amount:,.2f}") == amount


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)))
def test_every_spelling_of_a_date_reads_the_same_day(day):
    for text in (day.isoformat(), day.strftime("%Y%m%d"), f"{day.year}/{day.month}/{day.day}"):
        assert date_parse(text)[0] == day


def test_a_mapping_survives_being_saved_as_json_and_bad_values_are_refused():
    mapping = PRESETS["cmb"].mapping
    assert mapping_from_dict(mapping.as_dict()) == mapping
    assert mapping_from_dict({"date": " 日期 ", "summary": "摘要", "extra": 1}) == Mapping(
        date="日期", summary=("摘要",)
    )
    with pytest.raises(ValueError, match="header_row"):
        mapping_from_dict({"date": "d", "header_row": "3"})
    with pytest.raises(ValueError, match="summary"):
        mapping_from_dict({"date": "d", "summary": [1]})
    assert Mapping(date="").problems() == ["date", "money"]
    assert Mapping(date="d", amount="a", credit="c").problems() == ["money_twice"]


def test_equal_lines_of_one_file_get_different_keys_and_the_same_ones_again():
    mapping = Mapping(date="日期", credit="收入")
    rows = [("日期", "收入"), ("2026-01-05", "10"), ("2026-01-05", "10"), ("2026-01-06", "10")]
    lines = statement_read(list(enumerate(rows, 1)), 0, mapping).lines
    keys = content_keys(lines, "6217")
    assert len(set(keys)) == 3
    assert content_keys(lines, "6217") == keys
    assert content_keys(lines, "6218") != keys


def test_invoice_and_order_numbers_in_a_remark():
    text = "货款 发票号２６３１２０００００００００１２３４５６ 123456789012345678901 订单XS-202601-0007"
    assert invoice_numbers(text) == ["26312000000000123456"]
    assert order_numbers(text) == ["XS-202601-0007"]
    assert order_numbers("xs2026010012") == ["XS-202601-0012"]


def _debit(item, customer, amount, label=""):
    return OpenDebit(item, customer, D(amount), label)


def test_a_payer_account_seen_before_outweighs_the_name_and_pays_the_invoice_of_the_amount():
    evidence = Evidence(amount=D("100"), account_customers=[7, 7], name_customers=[8])
    suggestion = suggestion_choose(
        evidence, {7: [_debit(1, 7, "50"), _debit(2, 7, "100")], 8: [_debit(3, 8, "100")]}
    )
    assert suggestion is not None
    assert (suggestion.customer_id, suggestion.reason) == (7, PAYER_ACCOUNT)
    assert suggestion.allocations == ((2, D("100")),)


def test_an_account_used_by_two_customers_says_nothing_and_the_name_decides():
    evidence = Evidence(amount=D("30"), account_customers=[7, 9], name_customers=[8])
    suggestion = suggestion_choose(evidence, {})
    assert suggestion is not None
    assert (suggestion.customer_id, suggestion.reason, suggestion.allocations) == (
        8,
        PAYER_NAME,
        (),
    )


def test_invoices_named_in_the_remark_are_settled_in_turn_up_to_the_amount():
    named = [_debit(1, 5, "60", "A"), _debit(2, 5, "60", "B")]
    suggestion = suggestion_choose(Evidence(amount=D("100"), invoice_items=named), {})
    assert suggestion is not None and suggestion.reason == INVOICE_NUMBER
    assert suggestion.allocations == ((1, D("60")), (2, D("40")))
    assert suggestion.detail == "A B"


def test_an_amount_suggests_only_when_one_open_invoice_has_it():
    one = Evidence(amount=D("10"), amount_items=[_debit(4, 3, "10")])
    suggestion = suggestion_choose(one, {3: [_debit(4, 3, "10")]})
    assert suggestion is not None and (suggestion.customer_id, suggestion.reason) == (3, AMOUNT)
    assert suggestion.allocations == ((4, D("10")),)
    two = Evidence(amount=D("10"), amount_items=[_debit(4, 3, "10"), _debit(5, 6, "10")])
    assert suggestion_choose(two, {}) is None
    assert suggestion_choose(Evidence(amount=D("10")), {}) is None
