"""vouchers_for_source: the vouchers other apps show on their document pages; the voucher
list's filters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from suanpan.ledger import selectors, services
from suanpan.ledger.choices import DimensionKind
from suanpan.ledger.services import LineInput
from tests.ledger.builders import invoice_event, receipt_event


@pytest.fixture
def posted(books, accountant):
    services.dimension_upsert(kind=DimensionKind.CUSTOMER, code="KH-000001", name="小米")
    return services.posting_post_batch(
        events=[
            invoice_event("F2", "113.00", on=date(2026, 1, 16)),
            invoice_event("F1", "226.00"),
            receipt_event("R1", "100.00"),
        ],
        actor=accountant,
    )


def test_vouchers_for_source_lists_a_documents_vouchers_in_date_order(posted):
    found = selectors.vouchers_for_source(source_type="invoicing.invoice", source_ids=["F2", "F1"])

    assert [(v.source_id, v.date) for v in found] == [
        ("F1", date(2026, 1, 15)),
        ("F2", date(2026, 1, 16)),
    ]


def test_vouchers_for_source_takes_ids_as_numbers_too(posted):
    assert not selectors.vouchers_for_source(source_type="invoicing.invoice", source_ids=[1])
    assert selectors.vouchers_for_source(source_type="receivables.receipt", source_ids=["R1"])


def test_vouchers_for_source_narrows_to_one_event_when_asked(posted):
    assert selectors.vouchers_for_source(
        source_type="invoicing.invoice", source_ids=["F1"], event="issued"
    ).exists()
    assert not selectors.vouchers_for_source(
        source_type="invoicing.invoice", source_ids=["F1"], event="cancelled"
    ).exists()


def test_vouchers_for_source_reads_periods_with_the_vouchers(posted, django_assert_num_queries):
    with django_assert_num_queries(1):
        keys = [
            v.period.key
            for v in selectors.vouchers_for_source(
                source_type="invoicing.invoice", source_ids=["F1", "F2"]
            )
        ]
    assert keys == ["202601", "202601"]


# ---------------------------------------------------------------------------- the voucher list


@pytest.fixture
def split_sale(accounts, customer_dim, accountant):
    """One voucher of 50.00 whose three lines all say 货款 and two of which are the customer's
    receivables (1122.01 and 1122.99): each filter below matches it on two or three lines."""
    return services.voucher_create(
        actor=accountant,
        date=date(2026, 1, 20),
        summary="销售",
        lines=[
            LineInput(accounts["1122.01"], debit=D("30"), dimension=customer_dim, summary="货款甲"),
            LineInput(accounts["1122.99"], debit=D("20"), dimension=customer_dim, summary="货款乙"),
            LineInput(accounts["6001"], credit=D("50"), summary="货款收入"),
        ],
    )


@pytest.mark.parametrize(
    "filters", [{"account": "1122"}, {"customer": "KH-000001"}, {"q": "货款"}, {}]
)
def test_voucher_list_counts_each_voucher_once_with_its_own_total_when_lines_match_twice(
    split_sale, filters
):
    queryset, _filterset = selectors.voucher_list(filters=filters)

    assert queryset.count() == 1
    rows = list(queryset)
    assert [v.pk for v in rows] == [split_sale.pk]
    assert selectors.voucher_debit_total(rows[0]) == D("50.00")
