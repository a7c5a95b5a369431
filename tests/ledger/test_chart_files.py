"""The chart-of-accounts templates shipped as data (src/suanpan/ledger/chart_templates/*.csv).

Read with the csv module only: the ledger models are not needed to check the files themselves.
The rules are those of docs/charts-of-accounts.md and the role table in DESIGN.md.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

CHARTS_DIR = Path(__file__).resolve().parents[2] / "src" / "suanpan" / "ledger" / "chart_templates"
STANDARDS = ("cas", "asbe_se")
HEADER = [
    "code",
    "name",
    "parent",
    "direction",
    "category",
    "customer_dimension",
    "open_item",
    "roles",
]
DIRECTIONS = {"debit", "credit"}
CATEGORIES = {"asset", "liability", "common", "equity", "cost", "profit_loss"}
FLAGS = {"0", "1"}
ROLES = {
    "cash",
    "bank",
    "notes_receivable",
    "receivable",
    "receivable_unbilled",
    "customer_advance",
    "bad_debt_provision",
    "inventory",
    "goods_shipped",
    "stock_adjustment",
    "payable",
    "vat_output",
    "vat_output_pending",
    "vat_transfer_out",
    "vat_unpaid",
    "revenue",
    "cogs",
    "selling_expense",
    "admin_expense",
    "financial_expense",
    "credit_loss",
    "non_operating_income",
    "non_operating_expense",
    "retained_earnings",
    "current_year_profit",
    "prior_year_adjustment",
}
# ASBE-SE writes bad debts off directly (no provision, no credit-loss account) and has no
# 以前年度损益调整.
CAS_ONLY_ROLES = {"bad_debt_provision", "credit_loss", "prior_year_adjustment"}
EXPECTED_ROLES = {"cas": ROLES, "asbe_se": ROLES - CAS_ONLY_ROLES}

Row = dict[str, str]


def read_chart(standard: str) -> tuple[list[str], list[Row]]:
    with (CHARTS_DIR / f"{standard}.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def rows_of(standard: str) -> list[Row]:
    return read_chart(standard)[1]


def by_code(standard: str) -> dict[str, Row]:
    return {row["code"]: row for row in rows_of(standard)}


def parent_codes(rows: list[Row]) -> set[str]:
    return {row["parent"] for row in rows if row["parent"]}


def roles_of(row: Row) -> list[str]:
    return [role for role in row["roles"].split("|") if role]


def role_holders(standard: str) -> dict[str, list[str]]:
    holders: dict[str, list[str]] = {}
    for row in rows_of(standard):
        for role in roles_of(row):
            holders.setdefault(role, []).append(row["code"])
    return holders


def leaf_with_role(standard: str, role: str) -> Row:
    (code,) = role_holders(standard)[role]
    return by_code(standard)[code]


standards = pytest.mark.parametrize("standard", STANDARDS)


# --- shape of the files ---------------------------------------------------------------------


@standards
def test_chart_file_has_exact_header_when_read(standard: str) -> None:
    header, rows = read_chart(standard)

    assert header == HEADER
    assert rows, "the chart has no accounts"


@standards
def test_chart_cells_are_complete_and_unpadded_when_read(standard: str) -> None:
    for row in rows_of(standard):
        assert None not in row, f"{row} has more cells than the header"
        assert all(value is not None for value in row.values()), f"{row} has missing cells"
        assert all(value == value.strip() for value in row.values()), f"{row} has padding"
        assert row["code"] and row["name"], f"{row} lacks a code or name"


@standards
def test_chart_codes_are_unique_when_read(standard: str) -> None:
    counts = Counter(row["code"] for row in rows_of(standard))

    assert [code for code, n in counts.items() if n > 1] == []


@standards
def test_chart_level_one_code_is_four_digits_when_parent_empty(standard: str) -> None:
    level_one = [row["code"] for row in rows_of(standard) if not row["parent"]]

    assert level_one
    assert [code for code in level_one if not (len(code) == 4 and code.isdigit())] == []


@standards
def test_chart_parent_exists_and_prefixes_code_when_sub_account(standard: str) -> None:
    codes = by_code(standard)
    for row in codes.values():
        if "." in row["code"]:
            assert row["parent"] in codes, f"{row['code']}: parent {row['parent']} missing"
            assert row["code"].startswith(row["parent"] + "."), row["code"]
            assert row["code"].rsplit(".", 1)[0] == row["parent"], row["code"]
        else:
            assert row["parent"] == "", f"{row['code']} has a parent but no dot"


@standards
def test_chart_parent_precedes_child_when_read_in_file_order(standard: str) -> None:
    # The loader creates accounts in file order, so a parent must come first.
    seen: set[str] = set()
    for row in rows_of(standard):
        assert not row["parent"] or row["parent"] in seen, row["code"]
        seen.add(row["code"])


@standards
def test_chart_sub_code_adds_two_digit_segment_when_sub_account(standard: str) -> None:
    for row in rows_of(standard):
        head, *segments = row["code"].split(".")
        assert all(len(s) == 2 and s.isdigit() for s in segments), row["code"]
        assert head.isdigit(), row["code"]


@standards
def test_chart_direction_and_category_are_valid_when_read(standard: str) -> None:
    for row in rows_of(standard):
        assert row["direction"] in DIRECTIONS, row
        assert row["category"] in CATEGORIES, row


@standards
def test_chart_sub_account_keeps_parent_category_when_sub_account(standard: str) -> None:
    codes = by_code(standard)
    for row in codes.values():
        if row["parent"]:
            assert row["category"] == codes[row["parent"]]["category"], row["code"]


@standards
def test_chart_level_one_category_follows_code_class_when_read(standard: str) -> None:
    # First digit of a level-1 code is its class in both standards' tables.
    classes = {
        "cas": {
            "1": "asset",
            "2": "liability",
            "3": "common",
            "4": "equity",
            "5": "cost",
            "6": "profit_loss",
        },
        "asbe_se": {"1": "asset", "2": "liability", "3": "equity", "4": "cost", "5": "profit_loss"},
    }[standard]
    for row in rows_of(standard):
        if not row["parent"]:
            assert row["category"] == classes.get(row["code"][0]), row["code"]


def test_asbe_se_chart_has_no_common_category_when_read() -> None:
    assert {row["category"] for row in rows_of("asbe_se")} == CATEGORIES - {"common"}


# --- roles ----------------------------------------------------------------------------------


@standards
def test_chart_every_role_appears_exactly_once_when_read(standard: str) -> None:
    holders = role_holders(standard)

    assert set(holders) == EXPECTED_ROLES[standard]
    assert {role: codes for role, codes in holders.items() if len(codes) != 1} == {}


def test_asbe_se_chart_lacks_cas_only_roles_when_read() -> None:
    assert CAS_ONLY_ROLES.isdisjoint(role_holders("asbe_se"))


@standards
def test_chart_roles_sit_on_leaves_when_assigned(standard: str) -> None:
    rows = rows_of(standard)
    parents = parent_codes(rows)

    assert [row["code"] for row in rows if row["roles"] and row["code"] in parents] == []


@standards
def test_chart_row_has_no_duplicate_role_when_several_listed(standard: str) -> None:
    for row in rows_of(standard):
        assert len(roles_of(row)) == len(set(roles_of(row))), row["code"]
        assert row["roles"] == "|".join(roles_of(row)), f"{row['code']}: empty role entry"


# --- customer dimension and open items ------------------------------------------------------


@standards
def test_chart_flags_are_zero_or_one_when_read(standard: str) -> None:
    for row in rows_of(standard):
        assert row["customer_dimension"] in FLAGS, row
        assert row["open_item"] in FLAGS, row


@standards
def test_chart_flags_sit_on_leaves_when_set(standard: str) -> None:
    rows = rows_of(standard)
    parents = parent_codes(rows)
    flagged = [r["code"] for r in rows if "1" in (r["customer_dimension"], r["open_item"])]

    assert flagged
    assert [code for code in flagged if code in parents] == []


@standards
def test_chart_open_item_implies_customer_dimension_when_set(standard: str) -> None:
    for row in rows_of(standard):
        if row["open_item"] == "1":
            assert row["customer_dimension"] == "1", row["code"]


@standards
def test_chart_open_items_are_receivable_and_advance_when_read(standard: str) -> None:
    open_items = {row["code"] for row in rows_of(standard) if row["open_item"] == "1"}

    assert open_items == {
        leaf_with_role(standard, "receivable")["code"],
        leaf_with_role(standard, "customer_advance")["code"],
    }


@standards
def test_chart_customer_dimension_is_on_receivable_and_advance_when_read(standard: str) -> None:
    with_customer = {row["code"] for row in rows_of(standard) if row["customer_dimension"] == "1"}

    assert with_customer == {
        leaf_with_role(standard, role)["code"]
        for role in ("receivable", "receivable_unbilled", "customer_advance")
    }


# --- spot checks against DESIGN.md and the standards' own tables ----------------------------

SPOT_CHECKS = [
    # (standard, code, name, role or "" for none)
    ("cas", "1001", "库存现金", "cash"),
    ("cas", "1002", "银行存款", "bank"),
    ("cas", "1121", "应收票据", "notes_receivable"),
    ("cas", "1122", "应收账款", ""),
    ("cas", "1231", "坏账准备", "bad_debt_provision"),
    ("cas", "1405", "库存商品", "inventory"),
    ("cas", "1406", "发出商品", "goods_shipped"),
    ("cas", "2203", "预收账款", ""),
    ("cas", "2205", "合同负债", "customer_advance"),
    ("cas", "2221", "应交税费", ""),
    ("cas", "4103", "本年利润", "current_year_profit"),
    ("cas", "4104", "利润分配", ""),
    ("cas", "6001", "主营业务收入", "revenue"),
    ("cas", "6301", "营业外收入", "non_operating_income"),
    ("cas", "6401", "主营业务成本", "cogs"),
    ("cas", "6403", "税金及附加", ""),
    ("cas", "6601", "销售费用", "selling_expense"),
    ("cas", "6602", "管理费用", "admin_expense"),
    ("cas", "6603", "财务费用", "financial_expense"),
    ("cas", "6702", "信用减值损失", "credit_loss"),
    ("cas", "6711", "营业外支出", "non_operating_expense"),
    ("asbe_se", "1001", "库存现金", "cash"),
    ("asbe_se", "1002", "银行存款", "bank"),
    ("asbe_se", "1121", "应收票据", "notes_receivable"),
    ("asbe_se", "1122", "应收账款", ""),
    ("asbe_se", "1405", "库存商品", "inventory"),
    ("asbe_se", "1406", "发出商品", "goods_shipped"),
    ("asbe_se", "2203", "预收账款", "customer_advance"),
    ("asbe_se", "2221", "应交税费", ""),
    ("asbe_se", "3103", "本年利润", "current_year_profit"),
    ("asbe_se", "3104", "利润分配", ""),
    ("asbe_se", "5001", "主营业务收入", "revenue"),
    ("asbe_se", "5301", "营业外收入", "non_operating_income"),
    ("asbe_se", "5401", "主营业务成本", "cogs"),
    ("asbe_se", "5403", "税金及附加", ""),
    ("asbe_se", "5601", "销售费用", "selling_expense"),
    ("asbe_se", "5602", "管理费用", "admin_expense"),
    ("asbe_se", "5603", "财务费用", "financial_expense"),
    ("asbe_se", "5711", "营业外支出", "non_operating_expense"),
]


@pytest.mark.parametrize(("standard", "code", "name", "role"), SPOT_CHECKS)
def test_chart_account_matches_design_when_spot_checked(
    standard: str, code: str, name: str, role: str
) -> None:
    row = by_code(standard).get(code)

    assert row is not None, f"{standard} lacks {code} {name}"
    assert row["name"] == name
    assert row["parent"] == ""
    if role:
        assert roles_of(row) == [role]


@pytest.mark.parametrize("code", ["1231", "6702", "6701", "1471"])
def test_asbe_se_chart_lacks_provision_accounts_when_read(code: str) -> None:
    # ASBE-SE has no impairment provisions at all: bad debts are written off directly.
    assert code not in by_code("asbe_se")
    assert code in by_code("cas")


@pytest.mark.parametrize("code", ["1011", "1003", "3001", "6031", "2011", "1501", "1503"])
def test_cas_chart_lacks_dropped_accounts_when_read(code: str) -> None:
    assert code not in by_code("cas")


@standards
def test_chart_receivable_leaves_sit_under_1122_when_read(standard: str) -> None:
    receivable = leaf_with_role(standard, "receivable")
    unbilled = leaf_with_role(standard, "receivable_unbilled")

    assert receivable["parent"] == unbilled["parent"] == "1122"
    assert receivable["code"] != unbilled["code"]
    assert receivable["direction"] == unbilled["direction"] == "debit"


@standards
def test_chart_vat_roles_sit_under_2221_when_read(standard: str) -> None:
    output = leaf_with_role(standard, "vat_output")
    pending = leaf_with_role(standard, "vat_output_pending")
    codes = by_code(standard)

    assert output["name"] == "销项税额"
    assert codes[output["parent"]]["name"] == "应交增值税"
    assert codes[output["parent"]]["parent"] == "2221"
    assert pending["name"] == "待转销项税额"
    assert pending["parent"] == "2221"
    assert output["direction"] == pending["direction"] == "credit"


@standards
def test_chart_retained_earnings_is_undistributed_profit_leaf_when_read(standard: str) -> None:
    leaf = leaf_with_role(standard, "retained_earnings")
    profit_distribution = {"cas": "4104", "asbe_se": "3104"}[standard]

    assert leaf["name"] == "未分配利润"
    assert leaf["parent"] == profit_distribution
    assert leaf["direction"] == "credit"


@standards
def test_chart_contra_accounts_are_credit_when_provision_or_depreciation(standard: str) -> None:
    for row in rows_of(standard):
        if row["category"] == "asset" and row["name"].endswith(("准备", "累计折旧", "累计摊销")):
            assert row["direction"] == "credit", row["code"]
