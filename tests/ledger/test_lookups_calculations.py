"""How a typed text fits an account or customer: code, initials, name, pinyin; no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suanpan.ledger.calculations import MatchRank, letters, match_rank, spelling


@pytest.mark.parametrize(
    ("typed", "rank"),
    [
        ("1002", MatchRank.CODE),
        ("10", MatchRank.CODE),
        ("yhck", MatchRank.INITIALS),
        ("YHCK", MatchRank.INITIALS),
        ("银行存款", MatchRank.NAME),
        ("存款", MatchRank.NAME),
        ("yinhang", MatchRank.PINYIN),
        ("yin hang", MatchRank.PINYIN),
        ("ck", MatchRank.INSIDE),
        ("cunkuan", MatchRank.INSIDE),
        ("", MatchRank.CODE),
    ],
)
def test_match_rank_places_what_accountants_type_when_it_fits(typed, rank):
    assert match_rank(typed, code="1002", name="银行存款") == rank


@pytest.mark.parametrize("typed", ["1122", "xj", "现金", "0"])
def test_match_rank_is_none_when_the_text_does_not_fit(typed):
    assert match_rank(typed, code="1002", name="银行存款") is None


def test_spelling_drops_punctuation_when_a_name_has_some():
    assert spelling("应交增值税(销项税额)") == ("yingjiaozengzhishuixiaoxiangshuie", "yjzzsxxse")
    assert spelling("应收账款-客户")[1] == "yszkkh"


def test_match_rank_finds_a_sub_account_by_initials_across_its_dash():
    assert match_rank("yszkkh", code="1122.01", name="应收账款-客户") == MatchRank.INITIALS


@given(st.text(max_size=20))
def test_letters_keeps_only_lower_case_latin_letters_and_digits_whatever_is_typed(text):
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789" for c in letters(text))


@given(st.sampled_from(["银行存款", "应收账款-客户", "主营业务收入", "北京小米科技有限公司"]))
def test_a_names_own_initials_and_pinyin_always_find_it(name):
    pinyin, initials = spelling(name)

    assert match_rank(initials, code="9999", name=name) == MatchRank.INITIALS
    assert match_rank(pinyin, code="9999", name=name) in (MatchRank.INITIALS, MatchRank.PINYIN)
