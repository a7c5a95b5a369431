"""Batch review and batch post: every voucher through the single-voucher rules, all or nothing,
with the full list of refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from suanpan.core.errors import PermissionDeniedError
from suanpan.ledger import services, verification
from suanpan.ledger.choices import VoucherStatus
from suanpan.ledger.errors import VoucherBatchRefused, VoucherNotFound, VoucherSelectionTooLarge
from suanpan.ledger.models import PeriodTotal, Voucher
from suanpan.ledger.selectors import MAX_VOUCHERS
from suanpan.ledger.services import LineInput
from suanpan.users.choices import Role

pytestmark = pytest.mark.django_db
D = Decimal


def _draft(accounts, maker, amount="100.00", on=date(2026, 1, 10)) -> Voucher:
    return services.voucher_create(
        actor=maker,
        date=on,
        summary="现销",
        lines=[
            LineInput(accounts["1002"], debit=D(amount)),
            LineInput(accounts["6001"], credit=D(amount)),
        ],
    )


def _statuses(*vouchers: Voucher) -> list[str]:
    return [Voucher.objects.get(pk=v.pk).status for v in vouchers]


def test_review_batch_reviews_every_voucher_when_none_is_refused(
    accounts, accountant, finance_manager
):
    drafts = [_draft(accounts, accountant, str(n)) for n in (1, 2, 3)]

    reviewed = services.voucher_review_batch(actor=finance_manager, ids=[v.pk for v in drafts])

    assert [v.pk for v in reviewed] == [v.pk for v in drafts]
    assert _statuses(*drafts) == [VoucherStatus.REVIEWED] * 3
    assert {Voucher.objects.get(pk=v.pk).reviewer_id for v in drafts} == {finance_manager.pk}


def test_review_batch_changes_nothing_and_names_every_refusal_when_some_are_refused(
    accounts, accountant, finance_manager
):
    mine = _draft(accounts, finance_manager, "1")  # the reviewer made it
    fine = _draft(accounts, accountant, "2")
    posted = _draft(accounts, accountant, "3")
    services.voucher_review(actor=finance_manager, voucher=posted)
    services.voucher_post(actor=finance_manager, voucher=posted)

    with pytest.raises(VoucherBatchRefused) as refused:
        services.voucher_review_batch(actor=finance_manager, ids=[fine.pk, mine.pk, posted.pk])

    refusals = refused.value.refusals
    assert [(r.position, r.voucher_id) for r in refusals] == [(1, mine.pk), (2, posted.pk)]
    assert refusals[0].reason == "The maker of a voucher cannot review it."
    assert refusals[1].number == "记-202601-0001"
    assert "is Posted" in refusals[1].reason
    assert set(refused.value.fields) == {"ids.1", "ids.2"}
    assert refused.value.fields["ids.2"][0].startswith("记-202601-0001: ")
    assert refused.value.http_status == 409
    assert _statuses(fine, mine) == [VoucherStatus.DRAFT, VoucherStatus.DRAFT]
    assert Voucher.objects.get(pk=fine.pk).reviewer_id is None


def test_post_batch_numbers_chains_and_totals_every_voucher_when_all_are_reviewed(
    accounts, accountant, finance_manager
):
    drafts = [
        _draft(accounts, accountant, "30.00", on=date(2026, 2, 3)),
        _draft(accounts, accountant, "10.00", on=date(2026, 1, 20)),
        _draft(accounts, accountant, "20.00", on=date(2026, 1, 5)),
    ]
    services.voucher_review_batch(actor=finance_manager, ids=[v.pk for v in drafts])

    services.voucher_post_batch(actor=finance_manager, ids=[v.pk for v in drafts])

    numbers = {
        v.summary + str(v.lines.get(line_no=1).debit_amount): v.display_number
        for v in Voucher.objects.all()
    }
    # Posted in date order: January's numbers follow the dates, February starts at 1.
    assert numbers == {
        "现销20.00": "记-202601-0001",
        "现销10.00": "记-202601-0002",
        "现销30.00": "记-202602-0001",
    }
    assert verification.books_verify().ok
    bank = PeriodTotal.objects.filter(account=accounts["1002"])
    assert sum((t.debit_amount for t in bank), D(0)) == D("60.00")


def test_post_batch_posts_nothing_and_takes_no_number_when_one_is_still_a_draft(
    accounts, accountant, finance_manager
):
    reviewed = _draft(accounts, accountant, "1")
    services.voucher_review(actor=finance_manager, voucher=reviewed)
    draft = _draft(accounts, accountant, "2")

    with pytest.raises(VoucherBatchRefused) as refused:
        services.voucher_post_batch(actor=finance_manager, ids=[reviewed.pk, draft.pk])

    assert [r.voucher_id for r in refused.value.refusals] == [draft.pk]
    assert _statuses(reviewed, draft) == [VoucherStatus.REVIEWED, VoucherStatus.DRAFT]
    assert not PeriodTotal.objects.exists()
    # The number the refused batch drew went back with it.
    services.voucher_post(actor=finance_manager, voucher=reviewed)
    assert Voucher.objects.get(pk=reviewed.pk).display_number == "记-202601-0001"


def test_batch_takes_each_voucher_once_when_named_twice(accounts, accountant, finance_manager):
    draft = _draft(accounts, accountant)

    reviewed = services.voucher_review_batch(actor=finance_manager, ids=[draft.pk, draft.pk])

    assert [v.pk for v in reviewed] == [draft.pk]


def test_batch_refuses_unknown_ids_and_too_many_vouchers(accounts, accountant, finance_manager):
    draft = _draft(accounts, accountant)

    with pytest.raises(VoucherNotFound) as missing:
        services.voucher_review_batch(actor=finance_manager, ids=[draft.pk, 987654])
    assert "987654" in missing.value.message
    with pytest.raises(VoucherSelectionTooLarge):
        services.voucher_review_batch(actor=finance_manager, ids=list(range(1, MAX_VOUCHERS + 2)))
    assert _statuses(draft) == [VoucherStatus.DRAFT]


@pytest.mark.parametrize("service", ["voucher_review_batch", "voucher_post_batch"])
def test_batch_refuses_a_user_without_the_permission(accounts, accountant, make_user, service):
    draft = _draft(accounts, accountant)

    with pytest.raises(PermissionDeniedError):
        getattr(services, service)(actor=make_user(Role.SALES), ids=[draft.pk])
