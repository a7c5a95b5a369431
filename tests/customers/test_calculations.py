from decimal import Decimal as D

from suanpan.customers import calculations


def test_name_initials_gives_first_letters_when_name_is_chinese():
    assert calculations.name_initials("北京小米") == "bjxm"


def test_name_pinyin_reads_polyphones_in_context_when_city_name():
    # 重庆 is chong qing, not zhong qing; 银行 is yin hang, not yin xing.
    assert calculations.name_pinyin("重庆银行") == "chongqingyinhang"


def test_name_initials_keeps_latin_words_when_mixed():
    assert calculations.name_initials("ABC科技") == "abckj"


def test_search_text_holds_every_searchable_field_when_built():
    text = calculations.search_fields(
        name="北京小米科技有限责任公司",
        short_name="小米",
        number="KH-000001",
        credit_code="91110000600037341L",
        contact_names=["雷军"],
        phones=["138 0013 8000"],
    ).search_text
    for needle in (
        "北京小米",
        "beijingxiaomi",
        "bjxmkjyxzrgs",
        "xm",
        "kh-000001",
        "91110000600037341l",
        "雷军",
        "13800138000",
    ):
        assert needle in text


def test_search_query_normalize_compares_phone_by_digits_when_written_with_dashes():
    assert calculations.search_query_normalize(" 138-0013 8000 ") == "13800138000"


def test_search_query_normalize_lowercases_when_text():
    assert calculations.search_query_normalize(" BJXM ") == "bjxm"


def test_credit_used_percent_rounds_halves_up_and_passes_100_when_over_the_limit():
    assert calculations.credit_used_percent(balance=D("189.00"), limit=D("1000.00")) == 19
    assert calculations.credit_used_percent(balance=D("5.00"), limit=D("1000.00")) == 1
    assert calculations.credit_used_percent(balance=D("4.99"), limit=D("1000.00")) == 0
    assert calculations.credit_used_percent(balance=D("189.00"), limit=D("100.00")) == 189


def test_credit_used_percent_is_zero_or_none_when_in_credit_or_without_limit():
    assert calculations.credit_used_percent(balance=D("-50.00"), limit=D("1000.00")) == 0
    assert calculations.credit_used_percent(balance=D("189.00"), limit=D("0")) is None
