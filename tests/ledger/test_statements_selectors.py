"""The statements of the hand-computed company (tests/ledger/statement_books.py) under both
standards, line by line; the checks; the drill-down behind every figure; the query count."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suanpan.core.errors import ValidationFailed
from suanpan.ledger import selectors, services
from suanpan.ledger.models import CashFlowTag
from suanpan.users.choices import Role
from tests.ledger.statement_books import StatementBooks, statement_books

D = Decimal
JANUARY = selectors.Month(2026, 1)


@pytest.fixture
def people(make_user):
    return make_user(Role.ACCOUNTANT), make_user(Role.FINANCE_MANAGER)


@pytest.fixture
def cas(people) -> StatementBooks:
    return statement_books(standard="cas", maker=people[0], poster=people[1])


@pytest.fixture
def asbe(people) -> StatementBooks:
    return statement_books(standard="asbe_se", maker=people[0], poster=people[1])


def figures(kind: str, fmt: str, month=JANUARY) -> dict[int, tuple]:
    """Line number → its figures, the lines that show any."""
    statement = selectors.statement_build(kind=kind, fmt=fmt, month=month)
    return {
        line.line_no: tuple(v for v in line.values)
        for line in statement.lines
        if line.line_no is not None and any(line.values)
    }


def checks(kind: str, fmt: str, month=JANUARY) -> list[tuple[str, str, str]]:
    statement = selectors.statement_build(kind=kind, fmt=fmt, month=month)
    return [(c.key, c.column, c.status) for c in statement.checks]


def test_balance_sheet_cas_matches_the_hand_computed_figures_when_january_is_not_carried_forward(
    cas,
):
    # given the company's January, not carried forward
    # when the balance sheet is read
    found = figures("balance-sheet", "cas")
    # then each figure is the hand-computed one (closing, start of the year)
    assert found == {
        1: (D("996000.00"), D("1000000.00")),  # 货币资金
        5: (D("111870.00"), D("0.00")),  # 应收账款: A's 113,000 less provision 1,130
        9: (D("48000.00"), D("0.00")),  # 存货
        14: (D("1155870.00"), D("1000000.00")),
        22: (D("119000.00"), D("0.00")),  # 固定资产 less depreciation
        33: (D("119000.00"), D("0.00")),
        34: (D("1274870.00"), D("1000000.00")),  # 资产总计
        39: (D("113000.00"), D("0.00")),  # 应付账款
        40: (D("350.00"), D("0.00")),  # 预收款项: C's credit balance on 1122
        41: (D("10000.00"), D("0.00")),  # 合同负债: B's advance
        42: (D("20000.00"), D("0.00")),
        43: (D("13650.00"), D("0.00")),  # 应交税费: 39,650 output less 26,000 input
        48: (D("157000.00"), D("0.00")),
        60: (D("157000.00"), D("0.00")),
        61: (D("1000000.00"), D("1000000.00")),
        70: (D("117870.00"), D("0.00")),  # 未分配利润: the profit still in P&L accounts
        71: (D("1117870.00"), D("1000000.00")),
        72: (D("1274870.00"), D("1000000.00")),  # 负债和所有者权益总计
    }
    # and it balances mid-year, before any carry-forward, at both dates
    assert checks("balance-sheet", "cas") == [
        ("balance", "Closing balance", "pass"),
        ("balance", "Balance at the start of the year", "pass"),
        ("retained_earnings", "Year to date", "pending"),
    ]


def test_income_statement_cas_matches_the_hand_computed_figures_before_and_after_carry_forward(
    cas,
):
    expected = {
        1: (D("305000.00"),) * 2 + (D("0.00"),),  # 营业收入: this period, year, last year
        2: (D("152000.00"),) * 2 + (D("0.00"),),
        4: (D("5000.00"),) * 2 + (D("0.00"),),
        5: (D("29000.00"),) * 2 + (D("0.00"),),  # 管理费用: 8,000 + 1,000 + 20,000
        16: (D("-1130.00"),) * 2 + (D("0.00"),),  # 信用减值损失, a loss shown negative
        19: (D("117870.00"),) * 2 + (D("0.00"),),
        22: (D("117870.00"),) * 2 + (D("0.00"),),
        24: (D("117870.00"),) * 2 + (D("0.00"),),  # 净利润
        25: (D("117870.00"),) * 2 + (D("0.00"),),
        28: (D("117870.00"),) * 2 + (D("0.00"),),
    }
    assert figures("income", "cas") == expected
    assert checks("income", "cas") == [("retained_earnings", "Year to date", "pending")]
    # when the month is carried forward to 本年利润
    cas.carry_forward()
    # then the income statement still shows what was earned, and profit reached 本年利润
    assert figures("income", "cas") == expected
    assert checks("income", "cas") == [("retained_earnings", "Year to date", "pass")]
    assert checks("balance-sheet", "cas")[-1] == ("retained_earnings", "Year to date", "pass")
    assert figures("balance-sheet", "cas")[70] == (D("117870.00"), D("0.00"))


def test_cash_flow_cas_matches_the_hand_computed_figures_and_both_methods_agree(cas):
    found = figures("cash-flow", "cas")
    month_and_year = lambda amount: (D(amount), D(amount), D("0.00"))  # noqa: E731
    assert found == {
        1: month_and_year("242000.00"),  # A 226,000 + B 10,000 + C 6,000
        4: month_and_year("242000.00"),
        5: month_and_year("113000.00"),
        8: month_and_year("13000.00"),  # 8,000 from the bank, 5,000 petty cash
        9: month_and_year("126000.00"),
        10: month_and_year("116000.00"),
        17: month_and_year("120000.00"),
        21: month_and_year("120000.00"),
        22: month_and_year("-120000.00"),
        33: month_and_year("-4000.00"),
        34: month_and_year("1000000.00"),
        35: month_and_year("996000.00"),
        36: month_and_year("117870.00"),  # 净利润
        38: month_and_year("1130.00"),
        39: month_and_year("1000.00"),
        50: month_and_year("-48000.00"),
        51: month_and_year("-112650.00"),
        52: month_and_year("156650.00"),
        54: month_and_year("116000.00"),
        55: month_and_year("996000.00"),
        56: month_and_year("1000000.00"),
        57: month_and_year("-4000.00"),
    }
    assert {status for _key, _column, status in checks("cash-flow", "cas")} == {"pass"}
    assert len(checks("cash-flow", "cas")) == 6


def test_statements_asbe_se_match_the_hand_computed_figures_in_the_small_enterprise_format(asbe):
    assert figures("balance-sheet", "asbe_se") == {
        1: (D("996000.00"), D("1000000.00")),
        4: (D("113000.00"), D("0.00")),  # no provision under 小企业会计准则
        9: (D("48000.00"), D("0.00")),
        12: (D("48000.00"), D("0.00")),  # 其中：库存商品
        15: (D("1157000.00"), D("1000000.00")),
        18: (D("120000.00"), D("0.00")),
        19: (D("1000.00"), D("0.00")),
        20: (D("119000.00"), D("0.00")),
        29: (D("119000.00"), D("0.00")),
        30: (D("1276000.00"), D("1000000.00")),
        33: (D("113000.00"), D("0.00")),
        34: (D("10350.00"), D("0.00")),  # 预收账款: B's advance and C's credit balance
        35: (D("20000.00"), D("0.00")),
        36: (D("13650.00"), D("0.00")),
        41: (D("157000.00"), D("0.00")),
        47: (D("157000.00"), D("0.00")),
        48: (D("1000000.00"), D("1000000.00")),
        51: (D("119000.00"), D("0.00")),
        52: (D("1119000.00"), D("1000000.00")),
        53: (D("1276000.00"), D("1000000.00")),
    }
    # 会小企02表: 本年累计金额 first, then 本月金额
    assert figures("income", "asbe_se") == {
        1: (D("305000.00"),) * 2,
        2: (D("152000.00"),) * 2,
        11: (D("5000.00"),) * 2,
        14: (D("29000.00"),) * 2,
        21: (D("119000.00"),) * 2,
        30: (D("119000.00"),) * 2,
        32: (D("119000.00"),) * 2,
    }
    assert figures("cash-flow", "asbe_se") == {
        1: (D("242000.00"),) * 2,
        3: (D("113000.00"),) * 2,
        6: (D("13000.00"),) * 2,
        7: (D("116000.00"),) * 2,
        12: (D("120000.00"),) * 2,
        13: (D("-120000.00"),) * 2,
        20: (D("-4000.00"),) * 2,
        21: (D("1000000.00"),) * 2,
        22: (D("996000.00"),) * 2,
    }
    asbe.carry_forward()
    assert {s for _k, _c, s in checks("balance-sheet", "asbe_se")} == {"pass"}
    assert {s for _k, _c, s in checks("cash-flow", "asbe_se")} == {"pass"}


def test_balance_sheet_balances_and_reads_last_year_when_the_next_year_begins(cas):
    # given January carried forward and February with one more sale, paid
    cas.carry_forward()
    cas.post(date(2026, 2, 3), "现销", ("1002", "", "1130", ""), ("6001", "", "", "1000"),
             ("2221.01.07", "", "", "130"))  # fmt: skip
    # when February is read
    found = figures("balance-sheet", "cas", selectors.Month(2026, 2))
    income = figures("income", "cas", selectors.Month(2026, 2))
    # then the year to date adds both months and this period only February
    assert found[1][0] == D("997130.00")
    assert found[70][0] == D("118870.00")  # January's 本年利润 and February's open profit
    assert income[1] == (D("1000.00"), D("306000.00"), D("0.00"))
    assert [s for _k, _c, s in checks("balance-sheet", "cas", selectors.Month(2026, 2))] == [
        "pass",
        "pass",
        "pending",
    ]


def test_drilldown_totals_equal_every_figure_when_each_line_and_column_is_followed(cas):
    for kind in ("balance-sheet", "income", "cash-flow"):
        statement = selectors.statement_build(kind=kind, fmt="cas", month=JANUARY)
        for line in statement.lines:
            if line.line_no is None or line.kind == "heading":
                continue
            for column, value in zip(statement.columns, line.values, strict=True):
                drill = selectors.statement_drilldown(
                    kind=kind, fmt="cas", month=JANUARY, line_no=line.line_no, column_key=column.key
                )
                assert drill.total == (value or D("0")), (kind, line.line_no, column.key)


def test_drilldown_lists_the_accounts_behind_a_figure_with_their_modes(cas):
    drill = selectors.statement_drilldown(
        kind="balance-sheet", fmt="cas", month=JANUARY, line_no=5, column_key="closing"
    )
    assert [(r.account.code, r.mode, r.amount) for r in drill.rows] == [
        ("1122.01", "debit_detail", D("113000.00")),
        ("1231", "net", D("-1130.00")),
    ]
    cash = selectors.statement_drilldown(
        kind="cash-flow", fmt="cas", month=JANUARY, line_no=1, column_key="month"
    )
    assert [(r.item.code, r.amount) for r in cash.rows] == [("CF101", D("242000.00"))]
    lines = selectors.statement_item_lines(item_codes=cash.item_codes, column=cash.column)
    assert sorted(x.cash_flow_tag.amount for x in lines) == [D("6000"), D("10000"), D("226000")]


def test_drilldown_refuses_a_line_or_column_the_statement_lacks(cas):
    with pytest.raises(ValidationFailed):
        selectors.statement_drilldown(
            kind="income", fmt="cas", month=JANUARY, line_no=999, column_key="month"
        )
    with pytest.raises(ValidationFailed):
        selectors.statement_drilldown(
            kind="income", fmt="cas", month=JANUARY, line_no=1, column_key="closing"
        )


def test_statement_build_reads_a_fixed_number_of_queries_whatever_the_vouchers(
    cas, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        selectors.statement_build(kind="balance-sheet", fmt="cas", month=JANUARY)
    for day in range(1, 20):
        cas.post(date(2026, 1, day), "现销", ("1002", "", "100", ""), ("6001", "", "", "100"))
    for kind in ("balance-sheet", "income", "cash-flow"):
        with django_assert_max_num_queries(14):
            selectors.statement_build(kind=kind, fmt="cas", month=JANUARY)


def test_cash_flow_check_shows_the_untagged_lines_as_its_difference(cas):
    # given a bank receipt whose counter-account no mapping covers, posted untagged
    cas.post(date(2026, 1, 30), "收押金", ("1002", "", "500", ""), ("1901", "", "", "500"))
    # then the net increase misses it, by exactly its amount
    statement = selectors.statement_build(kind="cash-flow", fmt="cas", month=JANUARY)
    change = [c for c in statement.checks if c.key == "cash_change"]
    assert [(c.status, c.difference) for c in change[:2]] == [("fail", D("500.00"))] * 2
    untagged = selectors.cash_flow_lines(period_from=_period(2026, 1), period_to=_period(2026, 1))
    assert [x.summary for x in untagged] == ["收押金"]


def test_statement_names_accounts_no_row_takes_in_when_the_definition_misses_them(cas, people):
    rows = selectors.statement_definition(kind="balance-sheet", fmt="cas").rows
    trimmed = [
        r if r.line_no != 9 else r.__class__(9, "存货", "item", "", "", "left", 1) for r in rows
    ]
    services.statement_definition_save(
        actor=people[1], kind="balance-sheet", fmt="cas", rows=trimmed
    )
    statement = selectors.statement_build(kind="balance-sheet", fmt="cas", month=JANUARY)
    assert statement.stored
    assert any("1405 库存商品" in problem for problem in statement.problems)
    assert statement.checks[0].status == "fail"
    assert statement.checks[0].difference == D("-48000.00")  # assets short of the claims


def test_statement_month_refuses_months_before_the_books_and_bad_text(cas):
    with pytest.raises(ValidationFailed) as early:
        selectors.statement_month("2025-11")
    assert "period" in early.value.fields
    for text in ("2026-13", "January", "20261"):
        with pytest.raises(ValidationFailed):
            selectors.statement_month(text)
    assert selectors.statement_month("202601") == JANUARY


def test_posting_fills_in_the_mapping_items_and_leaves_transfers_between_cash_untagged(cas):
    tags = {
        t.line.voucher.summary: (t.item.code, t.source, t.amount)
        for t in CashFlowTag.objects.select_related("line__voucher", "item")
    }
    assert tags["收到投资"] == ("CF301", "default", D("1000000"))
    assert tags["购入设备"] == ("CF211", "default", D("-120000"))
    assert tags["收A货款"] == ("CF101", "default", D("226000"))
    assert tags["付货款"] == ("CF111", "default", D("-113000"))
    assert "提现" not in tags


def _period(year: int, month: int):
    return selectors.period_by_key(f"{year}{month:02d}")


@pytest.mark.parametrize(("standard", "seed"), [("cas", 1), ("cas", 2), ("asbe_se", 3)])
def test_balance_sheet_balances_whatever_accounts_random_vouchers_touch(people, standard, seed):
    """Every account of the chart lies under some row of the default balance sheet: random
    balanced vouchers on any leaf accounts, over two years, leave it balanced at both dates
    (before any carry-forward) with no account left out."""
    import random

    from suanpan.ledger.models import Account

    maker, poster = people
    services.company_setup(
        actor=poster, name="随机公司", standard=standard, first_period=date(2025, 6, 1)
    )
    customer = services.dimension_upsert(kind="customer", code="R1", name="随机客户")
    leaves = [a for a in Account.objects.order_by("code") if not a.children.exists()]
    rng = random.Random(seed)
    for number in range(25):
        picked = rng.sample(leaves, rng.randint(2, 4))
        amounts = [D(rng.randint(1, 500_000)) / 100 for _ in picked[1:]]
        sides = [rng.choice(("debit", "credit")) for _ in picked[1:]]
        net = sum((a if s == "debit" else -a for a, s in zip(amounts, sides, strict=True)), D(0))
        if net == 0:
            continue
        lines = [
            services.LineInput(
                account,
                debit=amount if side == "debit" else D(0),
                credit=amount if side == "credit" else D(0),
                dimension=customer if account.requires_customer else None,
            )
            for account, amount, side in zip(picked[1:], amounts, sides, strict=True)
        ]
        first = picked[0]
        lines.append(
            services.LineInput(
                first,
                debit=-net if net < 0 else D(0),
                credit=net if net > 0 else D(0),
                dimension=customer if first.requires_customer else None,
            )
        )
        on = date(2025, 6, 1) + (date(2026, 3, 28) - date(2025, 6, 1)) * number // 25
        voucher = services.voucher_create(
            actor=maker, date=on, summary=f"随机{number}", lines=lines
        )
        services.voucher_review(actor=poster, voucher=voucher)
        services.voucher_post(actor=poster, voucher=voucher)
    month = selectors.Month(2026, 3)
    sheet = selectors.statement_build(kind="balance-sheet", fmt=standard, month=month)
    assert [c.status for c in sheet.checks if c.key == "balance"] == ["pass", "pass"]
    assert sheet.problems == []
