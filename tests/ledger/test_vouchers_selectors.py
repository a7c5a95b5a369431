"""vouchers_for_source: the vouchers other apps show on their document pages."""

from __future__ import annotations

from datetime import date

import pytest

from suanpan.ledger import selectors, services
from suanpan.ledger.choices import DimensionKind
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
