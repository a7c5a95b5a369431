"""Statement formulas without a database: the grammar, the checks a definition passes, the
figures of each mode, subtotals, and the shipped defaults translated between the charts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suanpan.ledger import cash_flow_templates, statement_templates
from suanpan.ledger.calculations.statements import (
    MODES,
    AccountFigures,
    FormulaError,
    RowInput,
    RowKind,
    RowSpec,
    Term,
    TermKind,
    code_covers,
    formula_parse,
    formula_text,
    rows_check,
    rows_evaluate,
    term_value,
)

D = Decimal


def test_formula_parse_reads_accounts_modes_lines_and_items_when_written_loosely():
    terms = formula_parse(" 1122@debit_detail+2203@DEBIT_DETAIL －1231 ")
    assert terms == (
        Term(1, TermKind.ACCOUNT, "1122", "debit_detail"),
        Term(1, TermKind.ACCOUNT, "2203", "debit_detail"),
        Term(-1, TermKind.ACCOUNT, "1231", ""),
    )
    assert formula_parse("L1 - l12") == (
        Term(1, TermKind.LINE, "1"),
        Term(-1, TermKind.LINE, "12"),
    )
    assert formula_parse("cf312 + CF313.01") == (
        Term(1, TermKind.ITEM, "CF312"),
        Term(1, TermKind.ITEM, "CF313.01"),
    )
    assert formula_parse("") == ()


@pytest.mark.parametrize(
    ("text", "problem", "token"),
    [
        ("1001 1002", "sign", "1002"),
        ("1001 + ", "syntax", "+"),
        ("1001@balance", "mode", "balance"),
        ("1001 * 2", "syntax", "* 2"),
        ("货币资金", "syntax", "货币资金"),
        (" + ".join(["1001"] * 101), "length", "101"),
    ],
)
def test_formula_parse_names_the_problem_when_the_formula_does_not_read(text, problem, token):
    with pytest.raises(FormulaError) as caught:
        formula_parse(text)
    assert (caught.value.problem, caught.value.token) == (problem, token)


terms_strategy = st.lists(
    st.builds(
        Term,
        st.sampled_from([1, -1]),
        st.just(TermKind.ACCOUNT),
        st.from_regex(r"[1-6]\d{3}(\.\d{2}){0,2}", fullmatch=True),
        st.sampled_from(["", *MODES]),
    )
    | st.builds(
        Term,
        st.sampled_from([1, -1]),
        st.just(TermKind.LINE),
        st.integers(1, 9999).map(str),
    ),
    max_size=20,
)


@given(terms_strategy)
def test_formula_text_reads_back_as_the_same_terms_when_parsed(terms):
    assert formula_parse(formula_text(terms)) == tuple(terms)


def _check(rows, *, items_allowed=False):
    return rows_check(rows, items_allowed=items_allowed)[1]


def test_rows_check_passes_a_small_balance_sheet_when_every_reference_exists():
    rows = [
        RowInput(None, "流动资产：", "heading"),
        RowInput(1, "货币资金", "item", "1001 + 1002"),
        RowInput(2, "存货", "item", "1405"),
        RowInput(3, "流动资产合计", "subtotal", "L1 + L2"),
        RowInput(4, "资产总计", "subtotal", "L3"),
    ]
    specs, problems = rows_check(rows, items_allowed=False)
    assert problems == []
    assert [s.kind for s in specs] == [
        RowKind.HEADING,
        RowKind.ITEM,
        RowKind.ITEM,
        RowKind.SUBTOTAL,
        RowKind.SUBTOTAL,
    ]


def test_rows_check_names_each_bad_row_and_field_when_the_definition_is_wrong():
    rows = [
        RowInput(None, "标题", "heading", "1001"),
        RowInput(1, "", "item", "1001"),
        RowInput(1, "重复行次", "item", "1002"),
        RowInput(None, "无行次", "item", "1002"),
        RowInput(3, "合计取科目", "subtotal", "1001"),
        RowInput(4, "项目取行", "item", "L1"),
        RowInput(5, "未知行", "subtotal", "L99"),
        RowInput(6, "引用标题", "subtotal", "L1 + L7"),
        RowInput(7, "现金流量项目", "item", "CF101"),
        RowInput(8, "读不通", "item", "1001 +"),
        RowInput(9, "未知类型", "total", ""),
    ]
    found = {(p.index, p.field, p.problem) for p in _check(rows)}
    assert found >= {
        (0, "formula", "heading_formula"),
        (1, "label", "label_missing"),
        (2, "line_no", "line_duplicate"),
        (3, "line_no", "line_missing"),
        (4, "formula", "subtotal_terms"),
        (5, "formula", "item_lines"),
        (6, "formula", "line_unknown"),
        (8, "formula", "items_not_here"),
        (9, "formula", "syntax"),
        (10, "kind", "kind_unknown"),
    }


def test_rows_check_finds_subtotals_that_depend_on_themselves_when_they_form_a_cycle():
    rows = [
        RowInput(1, "A", "item", "1001"),
        RowInput(2, "B", "subtotal", "L1 + L3"),
        RowInput(3, "C", "subtotal", "L2"),
        RowInput(4, "D", "subtotal", "L4"),
        RowInput(5, "E", "subtotal", "L2"),
    ]
    cycles = {p.index for p in _check(rows) if p.problem == "cycle"}
    assert cycles == {1, 2, 3}


def test_rows_check_refuses_a_heading_named_by_a_subtotal():
    rows = [RowInput(1, "标题", "heading"), RowInput(2, "合计", "subtotal", "L1")]
    # A heading with a line number still has no figure to add.
    assert [p.problem for p in _check(rows)] == ["line_heading"]


def test_term_value_reads_each_mode_on_the_accounts_side_when_figures_are_given():
    figures = AccountFigures(
        closing=D("-500"),  # a credit balance of 500
        opening=D("-200"),
        debit=D("100"),
        credit=D("400"),
        debit_detail=D("30"),
        credit_detail=D("530"),
    )
    credit = {mode: term_value(mode, figures, credit_normal=True) for mode in MODES}
    assert credit == {
        "net": D("500"),
        "opening": D("200"),
        "debit": D("0"),
        "credit": D("500"),
        "debit_detail": D("30"),
        "credit_detail": D("530"),
        "movement": D("300"),
        "debit_movement": D("100"),
        "credit_movement": D("400"),
    }
    assert term_value("net", figures, credit_normal=False) == D("-500")
    assert term_value("movement", figures, credit_normal=False) == D("-300")


def test_rows_evaluate_adds_subtotals_of_subtotals_and_leaves_empty_items_blank():
    specs = [
        RowSpec(None, "标题", RowKind.HEADING),
        RowSpec(1, "收入", RowKind.ITEM, (Term(1, TermKind.ACCOUNT, "6001"),)),
        RowSpec(2, "成本", RowKind.ITEM, (Term(1, TermKind.ACCOUNT, "6401"),)),
        RowSpec(3, "研发费用", RowKind.ITEM, ()),
        RowSpec(
            4,
            "毛利",
            RowKind.SUBTOTAL,
            (
                Term(1, TermKind.LINE, "1"),
                Term(-1, TermKind.LINE, "2"),
                Term(-1, TermKind.LINE, "3"),
            ),
        ),
        RowSpec(5, "净额", RowKind.SUBTOTAL, (Term(1, TermKind.LINE, "4"),)),
    ]
    values = {"6001": D("1000"), "6401": D("600")}

    def item(spec):
        return sum((t.sign * values[t.code] for t in spec.terms), D("0")) if spec.terms else None

    assert rows_evaluate(specs, item) == [None, D("1000"), D("600"), None, D("400"), D("400")]


def test_code_covers_takes_sub_accounts_but_not_neighbours():
    assert code_covers("1122", "1122")
    assert code_covers("1122", "1122.01.02")
    assert not code_covers("1122", "11221")
    assert not code_covers("1122.01", "1122")


def test_code_translate_maps_equity_costs_and_profit_and_loss_and_drops_what_has_no_counterpart():
    translate = statement_templates.code_translate
    assert translate("4103", source="cas", target="asbe_se") == "3103"
    assert translate("5001", source="cas", target="asbe_se") == "4001"
    assert translate("6001.01", source="cas", target="asbe_se") == "5001.01"
    assert translate("1122", source="cas", target="asbe_se") == "1122"
    # CAS's 衍生工具 must not become ASBE-SE's 盈余公积 (both 3101).
    assert translate("3101", source="cas", target="asbe_se") is None
    assert translate("6702", source="cas", target="asbe_se") is None
    assert translate("3001", source="asbe_se", target="cas") == "4001"
    assert translate("4001", source="asbe_se", target="cas") == "5001"


def test_default_rows_leave_out_accounts_the_chart_lacks_when_loaded():
    rows = statement_templates.default_rows(
        kind="balance-sheet",
        fmt="cas",
        standard="cas",
        account_exists={"1001", "1002", "1122", "1231"}.__contains__,
    )
    by_line = {r.line_no: r for r in rows}
    assert by_line[1].formula == "1001 + 1002"
    assert by_line[5].formula == "1122@debit_detail - 1231"
    assert by_line[2].formula == ""
    assert by_line[34].formula == "L14 + L33"


@pytest.mark.parametrize("key", sorted(statement_templates.TEMPLATES))
def test_shipped_templates_pass_the_definition_checks_when_read(key):
    kind, fmt = key
    rows = statement_templates.default_rows(
        kind=kind, fmt=fmt, standard=fmt, account_exists=lambda code: True
    )
    specs, problems = rows_check(rows, items_allowed=kind == "cash-flow")
    assert problems == []
    keys = {s.key for s in specs if s.key}
    wanted = {
        "balance-sheet": {"total_assets", "total_liabilities_equity", "retained_earnings"},
        "income": {"net_profit"},
        "cash-flow": {"operating_net", "net_increase"},
    }[kind]
    assert wanted <= keys


def test_shipped_mappings_name_only_the_seeded_items():
    seeded = {code for code, *_rest in _seeded_items()}
    for mapping in cash_flow_templates.MAPPINGS.values():
        for inflow, outflow in mapping.values():
            assert {inflow, outflow} <= seeded


def _seeded_items():
    import importlib

    return importlib.import_module("suanpan.ledger.migrations.0016_cash_flow_items").DEFAULT_ITEMS
