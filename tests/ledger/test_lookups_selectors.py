"""Finding accounts and customers the way accountants type them (code, name, pinyin)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from suanpan.ledger import selectors, services
from suanpan.ledger.choices import DimensionKind
from suanpan.ledger.models import Account, Dimension

pytestmark = pytest.mark.django_db


def codes(rows) -> list[str]:
    return [row.code for row in rows]


@pytest.mark.parametrize("typed", ["yhck", "银行存款", "1002", "yinhang", "1002 银行存款"])
def test_account_search_offers_the_bank_first_when_typed_any_way(books, typed):
    assert codes(selectors.account_search(text=typed))[0] == "1002"


def test_account_search_ranks_initials_before_a_match_inside_another_name(accounts):
    # 1001's initials (xjyhby) hold "yh" and its code sorts first; 1002's start with it.
    Account.objects.create(
        code="1001", name="现金-银行备用", level=1, direction="debit", category="asset"
    )

    assert codes(selectors.account_search(text="yh")) == ["1002", "1001"]


def test_account_search_offers_only_accounts_a_line_may_name(accounts):
    found = codes(selectors.account_search(text="yszk"))

    assert found == ["1122.01"]  # not its parent 1122


def test_account_search_lists_the_chart_by_code_when_nothing_is_typed(accounts):
    found = codes(selectors.account_search(text=""))

    assert found == sorted(found)
    assert "1122" not in found


def test_account_resolve_takes_the_only_match_and_lists_several(accounts):
    assert selectors.account_resolve(text="yhck") == accounts["1002"]
    assert selectors.account_resolve(text="1122.01 应收账款-客户") == accounts["1122.01"]
    several = selectors.account_resolve(text="zy")
    assert isinstance(several, list)
    assert codes(several) == ["6001", "6401"]
    assert selectors.account_resolve(text="不存在") == []


@pytest.fixture
def customers(books) -> dict[str, Dimension]:
    made = {}
    for code, name in [
        ("KH-000001", "北京小米科技有限公司"),
        ("KH-000002", "小米之家商贸有限公司"),
        ("KH-000003", "北京百度网讯科技有限公司"),
    ]:
        made[code] = services.dimension_upsert(kind=DimensionKind.CUSTOMER, code=code, name=name)
    return made


def test_dimension_upsert_spells_the_name_in_pinyin_when_created_and_renamed(customers):
    stored = Dimension.objects.get(code="KH-000003")
    assert (stored.name_pinyin, stored.name_initials) == (
        "beijingbaiduwangxunkejiyouxiangongsi",
        "bjbdwxkjyxgs",
    )

    services.dimension_upsert(kind=DimensionKind.CUSTOMER, code="KH-000003", name="上海星辰贸易")

    assert Dimension.objects.get(code="KH-000003").name_initials == "shxcmy"
    assert codes(selectors.dimension_search(text="bjbd")) == []


def test_dimension_bulk_upsert_spells_the_names_too(books):
    services.dimension_bulk_upsert(
        kind=DimensionKind.CUSTOMER, rows=[("KH-000009", "华为技术有限公司", True)]
    )

    assert Dimension.objects.get(code="KH-000009").name_initials == "hwjsyxgs"


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("bjxm", ["KH-000001"]),
        ("BJXM", ["KH-000001"]),
        # 小米之家's pinyin starts with it, 北京小米's only holds it.
        ("xiaomi", ["KH-000002", "KH-000001"]),
        ("小米", ["KH-000001", "KH-000002"]),
        ("kh-00000", ["KH-000001", "KH-000002", "KH-000003"]),
        ("KH-000003", ["KH-000003"]),
        ("KH-000001 北京小米科技有限公司", ["KH-000001"]),
        ("tengxun", []),
    ],
)
def test_dimension_search_ranks_number_initials_name_then_pinyin(customers, typed, found):
    assert codes(selectors.dimension_search(text=typed)) == found


def test_dimension_search_leaves_out_inactive_customers(customers):
    services.dimension_upsert(
        kind=DimensionKind.CUSTOMER, code="KH-000001", name="北京小米科技有限公司", is_active=False
    )

    assert codes(selectors.dimension_search(text="xiaomi")) == ["KH-000002"]


def test_dimension_resolve_takes_the_only_match_and_lists_several(customers):
    assert selectors.dimension_resolve(text="bjbd") == customers["KH-000003"]
    assert selectors.dimension_resolve(text="KH-000002") == customers["KH-000002"]
    assert codes(selectors.dimension_resolve(text="xiaomi")) == ["KH-000002", "KH-000001"]


def test_pinyin_fill_migration_spells_customers_the_ledger_knew_already(books):
    Dimension.objects.create(kind=DimensionKind.CUSTOMER, code="KH-000007", name="北京小米")
    migration = importlib.import_module("suanpan.ledger.migrations.0008_dimension_pinyin_fill")

    migration.pinyin_fill(apps, None)

    stored = Dimension.objects.get(code="KH-000007")
    assert (stored.name_pinyin, stored.name_initials) == ("beijingxiaomi", "bjxm")
    assert stored.search_text == "kh-000007 北京小米 beijingxiaomi bjxm"


def test_dimension_search_finds_pinyin_typed_with_spaces(customers):
    assert codes(selectors.dimension_search(text="bei jing xiao")) == ["KH-000001"]
