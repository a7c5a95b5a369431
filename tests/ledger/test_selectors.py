from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from suanpan.ledger import calculations, selectors, services
from suanpan.ledger.models import Dimension, OpenItem, Period, VoucherLine
from tests.ledger.builders import cash_sale, invoice_event, receipt_event

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def second_dim(books) -> Dimension:
    return Dimension.objects.create(kind="customer", code="KH-000002", name="上海测试贸易有限公司")


def _period(year: int, month: int) -> Period:
    return Period.objects.get(year=year, month=month)


def _post(*events, actor):
    return [services.posting_post(event=e, actor=actor) for e in events]


# ---------------------------------------------------------------------------- trial balance


def test_trial_balance_shows_one_level_and_keeps_totals_when_level_given(
    accounts, customer_dim, accountant
):
    _post(invoice_event("F1", "113.00"), actor=accountant)
    january = _period(2026, 1)
    balance = selectors.trial_balance(period_from=january, period_to=january, level=2)
    assert {r.account.code for r in balance.rows} == {"1122.01", "2221.01"}
    assert balance.closing_debit == balance.closing_credit == D("113.00")
    assert balance.period_debit == D("113.00")


def test_trial_balance_query_count_is_constant_when_data_grows(
    accounts, customer_dim, second_dim, accountant, django_assert_num_queries
):
    _post(invoice_event("F1", "113.00"), actor=accountant)
    january = _period(2026, 1)
    with django_assert_num_queries(2):
        selectors.trial_balance(period_from=january, period_to=january)
    _post(
        *[invoice_event(f"G{i}", "10.00", customer="KH-000002") for i in range(5)],
        receipt_event("R1", "50.00", on=date(2026, 2, 1)),
        actor=accountant,
    )
    february = _period(2026, 2)
    with django_assert_num_queries(2):
        balance = selectors.trial_balance(period_from=january, period_to=february)
    assert balance.closing_debit == balance.closing_credit


# ---------------------------------------------------------------------------- general ledger


def test_general_ledger_carries_balance_and_year_totals_when_months_pass(
    accounts, customer_dim, accountant, django_assert_num_queries
):
    _post(
        invoice_event("F1", "113.00"),
        invoice_event("F2", "226.00", on=date(2026, 2, 3)),
        receipt_event("R1", "100.00", on=date(2026, 2, 20)),
        actor=accountant,
    )
    services.period_for_posting(date(2026, 3, 1))
    february, march = _period(2026, 2), _period(2026, 3)
    with django_assert_num_queries(2):
        rows = selectors.general_ledger(
            account=accounts["1122"], period_from=february, period_to=march
        )
    assert [(r.key, r.opening, r.debit, r.credit, r.closing) for r in rows] == [
        ("202602", D("113.00"), D("226.00"), D("100.00"), D("239.00")),
        ("202603", D("239.00"), D("0.00"), D("0.00"), D("239.00")),
    ]
    assert (rows[1].year_debit, rows[1].year_credit) == (D("339.00"), D("100.00"))


# ---------------------------------------------------------------------------- detail ledger


def test_account_detail_runs_balance_from_partial_month_opening_when_range_starts_mid_month(
    accounts, customer_dim, accountant, finance_manager
):
    cash_sale(accounts, "50.00", maker=accountant, poster=finance_manager, on=date(2026, 1, 5))
    _post(
        receipt_event("R1", "100.00", on=date(2026, 1, 20)),
        receipt_event("R2", "30.00", on=date(2026, 2, 2)),
        actor=accountant,
    )
    cash_sale(accounts, "7.00", maker=accountant, poster=finance_manager, on=date(2026, 2, 10))
    cash_sale(accounts, "1.00", maker=accountant, poster=finance_manager, on=date(2026, 2, 28))
    detail = selectors.account_detail(
        account=accounts["1002"], date_from=date(2026, 2, 5), date_to=date(2026, 2, 27)
    )
    # January whole (150) plus 2 February before the 5th (30) open the range.
    assert detail.opening == D("180.00")
    assert [(line.debit_amount, line.balance) for line in detail.lines] == [
        (D("7.00"), D("187.00"))
    ]
    assert detail.closing == D("187.00")


def test_account_detail_covers_every_leaf_in_order_when_account_is_parent(
    accounts, customer_dim, second_dim, accountant
):
    _post(
        invoice_event("F1", "113.00", on=date(2026, 1, 15)),
        invoice_event("F2", "20.00", on=date(2026, 1, 15), customer="KH-000002"),
        receipt_event("R1", "100.00", on=date(2026, 1, 16)),
        actor=accountant,
    )
    detail = selectors.account_detail(
        account=accounts["1122"], date_from=date(2026, 1, 1), date_to=date(2026, 1, 31)
    )
    assert [line.balance for line in detail.lines] == [D("113.00"), D("133.00"), D("33.00")]
    only_first = selectors.account_detail(
        account=accounts["1122"],
        date_from=date(2026, 1, 1),
        date_to=date(2026, 1, 31),
        dimension=customer_dim,
    )
    assert [line.balance for line in only_first.lines] == [D("113.00"), D("13.00")]
    assert (only_first.debit, only_first.credit) == (D("113.00"), D("100.00"))


def test_account_detail_totals_equal_the_lines_when_range_cuts_months_or_not(
    accounts, customer_dim, accountant, django_assert_max_num_queries
):
    days = [date(2026, 1, 5), date(2026, 1, 31), date(2026, 2, 1), date(2026, 2, 14),
            date(2026, 3, 1), date(2026, 3, 31), date(2026, 4, 2)]  # fmt: skip
    _post(
        *[invoice_event(f"F{i}", f"{10 + i}.00", on=day) for i, day in enumerate(days)],
        *[receipt_event(f"R{i}", f"{1 + i}.00", on=day) for i, day in enumerate(days)],
        actor=accountant,
    )
    lines = list(
        VoucherLine.objects.filter(account=accounts["1122.01"]).values_list(
            "voucher__date", "debit_amount", "credit_amount"
        )
    )
    ranges = [
        (date(2026, 1, 1), date(2026, 3, 31)),  # whole months: no line scan for the totals
        (date(2026, 1, 2), date(2026, 3, 31)),
        (date(2026, 1, 1), date(2026, 3, 30)),
        (date(2026, 1, 6), date(2026, 3, 1)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 2, 2), date(2026, 2, 14)),
        (date(2026, 1, 31), date(2026, 2, 1)),
        (date(2026, 2, 1), date(2026, 4, 30)),
    ]
    for start, end in ranges:
        with django_assert_max_num_queries(3):
            detail = selectors.account_detail(
                account=accounts["1122.01"], date_from=start, date_to=end
            )
        assert detail.opening == sum((d - c for on, d, c in lines if on < start), D(0))
        assert detail.debit == sum((d for on, d, _c in lines if start <= on <= end), D(0))
        assert detail.credit == sum((c for on, _d, c in lines if start <= on <= end), D(0))
        shown = [line.balance for line in detail.lines]
        assert shown[-1:] == ([detail.closing] if shown else []), (start, end)


def test_account_detail_query_count_is_constant_when_lines_grow(
    accounts, customer_dim, accountant, django_assert_num_queries
):
    _post(invoice_event("F1", "113.00"), actor=accountant)

    def read() -> list:
        detail = selectors.account_detail(
            account=accounts["1122"], date_from=date(2026, 1, 2), date_to=date(2026, 3, 31)
        )
        return [(line.voucher_number, line.balance) for line in detail.lines]

    with django_assert_num_queries(3):
        assert len(read()) == 1
    _post(
        *[invoice_event(f"G{i}", "1.00", on=date(2026, 2, 1)) for i in range(6)], actor=accountant
    )
    with django_assert_num_queries(3):
        assert len(read()) == 7


# ---------------------------------------------------------------------------- customer balances


def test_customer_balances_split_per_customer_when_several_post(
    accounts, customer_dim, second_dim, accountant, django_assert_num_queries
):
    _post(
        invoice_event("F1", "113.00"),
        invoice_event("F2", "20.00", customer="KH-000002"),
        receipt_event("R1", "100.00", on=date(2026, 2, 1)),
        actor=accountant,
    )
    february = _period(2026, 2)
    with django_assert_num_queries(1):
        report = selectors.customer_balances(
            account=accounts["1122"], period_from=february, period_to=february
        )
    assert [(r.code, r.opening, r.credit, r.closing) for r in report.rows] == [
        ("KH-000001", D("113.00"), D("100.00"), D("13.00")),
        ("KH-000002", D("20.00"), D("0.00"), D("20.00")),
    ]
    assert report.closing == D("33.00")


def test_voucher_drilldown_returns_posted_vouchers_behind_cell_when_filtered(
    accounts, customer_dim, second_dim, accountant
):
    first, second, receipt = _post(
        invoice_event("F1", "113.00"),
        invoice_event("F2", "20.00", customer="KH-000002"),
        receipt_event("R1", "100.00", on=date(2026, 2, 1)),
        actor=accountant,
    )
    january = _period(2026, 1)
    february = _period(2026, 2)
    assert list(
        selectors.voucher_drilldown(
            account=accounts["1122"], period_from=january, period_to=february
        )
    ) == [first, second, receipt]
    assert list(
        selectors.voucher_drilldown(
            account=accounts["1122"],
            period_from=january,
            period_to=february,
            dimension=customer_dim,
        )
    ) == [first, receipt]
    assert (
        list(
            selectors.voucher_drilldown(
                account=accounts["6001"], period_from=february, period_to=february
            )
        )
        == []
    )


# ---------------------------------------------------------------------------- open items


def _items(accountant):
    _post(
        invoice_event("F1", "113.00", on=date(2026, 1, 15)),
        receipt_event("R1", "100.00", on=date(2026, 1, 20)),
        actor=accountant,
    )
    return OpenItem.objects.get(amount__gt=0), OpenItem.objects.get(amount__lt=0)


def test_open_items_counts_matches_live_on_the_date_when_as_of_given(
    accounts, customer_dim, accountant
):
    invoice, receipt = _items(accountant)
    match = services.open_item_match(
        actor=accountant,
        debit_item=invoice,
        credit_item=receipt,
        amount=D("100"),
        on=date(2026, 1, 25),
    )
    services.open_item_unmatch(actor=accountant, match=match, on=date(2026, 2, 10))

    def amounts(as_of, only_open=True):
        # Ordered by due date: the receipt (due when posted, 20 Jan) before the invoice.
        return [
            i.open_amount
            for i in selectors.open_items(
                account=accounts["1122.01"], as_of=as_of, only_open=only_open
            )
        ]

    assert amounts(date(2026, 1, 24)) == [D("-100.00"), D("113.00")]
    assert amounts(date(2026, 2, 1)) == [D("13.00")]
    assert amounts(date(2026, 2, 1), only_open=False) == [D("0.00"), D("13.00")]
    assert amounts(date(2026, 2, 10)) == [D("-100.00"), D("113.00")]
    assert amounts(date(2026, 1, 16)) == [D("113.00")]
    assert amounts(None) == [D("-100.00"), D("113.00")]


def test_open_items_query_count_is_constant_when_items_grow(
    accounts, customer_dim, accountant, django_assert_num_queries
):
    invoice, receipt = _items(accountant)
    services.open_item_match(
        actor=accountant, debit_item=invoice, credit_item=receipt, amount=D("60")
    )
    with django_assert_num_queries(1):
        assert (
            len(list(selectors.open_items(account=accounts["1122"], dimension=customer_dim))) == 2
        )
    _post(*[invoice_event(f"G{i}", "1.00") for i in range(8)], actor=accountant)
    with django_assert_num_queries(1):
        found = list(selectors.open_items(account=accounts["1122"], dimension=customer_dim))
        numbers = [i.voucher_number for i in found]
    assert numbers[0] == "收-202601-0001"
    assert numbers[1:] == [f"转-202601-{n:04d}" for n in range(1, 10)]
    assert len(found) == 10


def test_item_history_lists_matches_with_other_voucher_when_undone_too(
    accounts, customer_dim, accountant, django_assert_num_queries
):
    invoice, receipt = _items(accountant)
    first = services.open_item_match(
        actor=accountant, debit_item=invoice, credit_item=receipt, amount=D("60")
    )
    services.open_item_unmatch(actor=accountant, match=first)
    services.open_item_match(
        actor=accountant, debit_item=invoice, credit_item=receipt, amount=D("40")
    )
    with django_assert_num_queries(2):
        history = selectors.item_history(item=invoice)
        voucher_numbers = [row.voucher_number for row in history.rows]
    assert history.open_amount == D("73.00")
    assert voucher_numbers == ["收-202601-0001", "收-202601-0001"]
    assert [(r.amount, r.undone_on is not None) for r in history.rows] == [
        (D("60.00"), True),
        (D("40.00"), False),
    ]


# ---------------------------------------------------------------------------- ageing


def test_ageing_buckets_by_due_or_posting_date_when_basis_changes(
    accounts, customer_dim, second_dim, accountant
):
    _post(
        invoice_event("F1", "100.00", on=date(2026, 1, 5), due=date(2026, 3, 1)),
        invoice_event("F2", "50.00", on=date(2026, 1, 5), due=date(2026, 1, 20)),
        invoice_event(
            "F3", "30.00", on=date(2026, 2, 25), due=date(2026, 3, 25), customer="KH-000002"
        ),
        actor=accountant,
    )
    buckets = calculations.buckets_from_days([30, 60])
    by_due = selectors.ageing(as_of=date(2026, 3, 10), account=accounts["1122.01"], buckets=buckets)
    # F1 is 9 days overdue, F2 49 days, F3 not yet due.
    assert [(r.code, r.amounts, r.total) for r in by_due.rows] == [
        ("KH-000001", [D("0.00"), D("100.00"), D("50.00"), D("0.00")], D("150.00")),
        ("KH-000002", [D("30.00"), D("0.00"), D("0.00"), D("0.00")], D("30.00")),
    ]
    by_posting = selectors.ageing(
        as_of=date(2026, 3, 10), account=accounts["1122.01"], buckets=buckets, basis="posting"
    )
    # Posted 64 days before (F1, F2) and 13 days before (F3).
    assert by_posting.totals == [D("0.00"), D("30.00"), D("0.00"), D("150.00")]
    assert by_posting.total == by_due.total == D("180.00")


def test_ageing_total_equals_account_balance_when_taken_at_past_dates(
    accounts, customer_dim, second_dim, accountant
):
    invoice, receipt = _items(accountant)
    _post(
        invoice_event("F9", "40.00", on=date(2026, 2, 3), customer="KH-000002"),
        receipt_event("R9", "15.00", on=date(2026, 2, 8), customer="KH-000002"),
        actor=accountant,
    )
    match = services.open_item_match(
        actor=accountant,
        debit_item=invoice,
        credit_item=receipt,
        amount=D("90"),
        on=date(2026, 2, 1),
    )
    services.open_item_unmatch(actor=accountant, match=match, on=date(2026, 2, 15))
    for as_of in (date(2026, 1, 16), date(2026, 1, 31), date(2026, 2, 5), date(2026, 2, 28)):
        report = selectors.ageing(as_of=as_of, account=accounts["1122.01"])
        assert report.total == selectors.account_balance(account=accounts["1122.01"], as_of=as_of)
        assert sum(report.totals) == report.total
        for row in report.rows:
            dimension = Dimension.objects.get(pk=row.dimension_id)
            assert row.total == selectors.account_balance(
                account=accounts["1122.01"], as_of=as_of, dimension=dimension
            )


def test_ageing_buckets_count_matches_as_they_stood_when_as_of_is_past(
    accounts, customer_dim, accountant
):
    # Invoice 113 due 14 Feb; receipt 100 on 20 Jan (due that day).
    invoice, receipt = _items(accountant)
    first = services.open_item_match(
        actor=accountant,
        debit_item=invoice,
        credit_item=receipt,
        amount=D("100"),
        on=date(2026, 1, 25),
    )
    services.open_item_unmatch(actor=accountant, match=first, on=date(2026, 2, 10))
    services.open_item_match(
        actor=accountant,
        debit_item=invoice,
        credit_item=receipt,
        amount=D("13"),
        on=date(2026, 2, 20),
    )
    zero = D("0.00")

    def buckets(as_of):
        (row,) = selectors.ageing(as_of=as_of, account=accounts["1122.01"]).rows
        return row.amounts

    # before any match; while the first match stood; after it was undone; after the second
    assert buckets(date(2026, 1, 24)) == [D("113.00"), D("-100.00"), zero, zero, zero, zero]
    assert buckets(date(2026, 2, 5)) == [D("13.00"), zero, zero, zero, zero, zero]
    assert buckets(date(2026, 2, 12)) == [D("113.00"), D("-100.00"), zero, zero, zero, zero]
    assert buckets(date(2026, 2, 25)) == [zero, D("100.00"), D("-87.00"), zero, zero, zero]
    invoice.refresh_from_db()
    receipt.refresh_from_db()
    assert (invoice.open_amount, receipt.open_amount) == (D("100.00"), D("-87.00"))


def test_ageing_query_count_is_constant_when_customers_grow(
    accounts, customer_dim, accountant, django_assert_num_queries
):
    _items(accountant)
    # One query, and on PostgreSQL one more that sets the report's planner settings.
    queries = 2 if connection.vendor == "postgresql" else 1
    with django_assert_num_queries(queries):
        small = selectors.ageing(as_of=date(2026, 1, 31), account=accounts["1122"])
    assert len(small.rows) == 1
    for index in range(2, 8):
        Dimension.objects.create(kind="customer", code=f"KH-{index:06d}", name=f"客户{index}")
    _post(
        *[invoice_event(f"G{i}", "10.00", customer=f"KH-{i:06d}") for i in range(2, 8)],
        actor=accountant,
    )
    with django_assert_num_queries(queries):
        large = selectors.ageing(as_of=date(2026, 1, 31), account=accounts["1122"])
    assert len(large.rows) == 7
    assert large.total == D("73.00")


# ---------------------------------------------------------------------------- company


def test_company_letterhead_is_blank_before_the_books_are_set_up():
    assert selectors.company_letterhead() == ("", "")


def test_company_letterhead_names_the_company_and_its_taxpayer_number(books):
    assert selectors.company_letterhead() == (books.name, books.tax_number)
    assert books.name
