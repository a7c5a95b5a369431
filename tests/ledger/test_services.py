import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, connection, transaction

from suanpan.core.errors import PermissionDeniedError
from suanpan.ledger import calculations, selectors, services, verification
from suanpan.ledger.choices import AccountRole, PeriodStatus, VoucherStatus
from suanpan.ledger.errors import (
    AccountRoleNotMapped,
    OpenItemMatchExceeds,
    PeriodClosed,
    PeriodCloseFailed,
    VoucherInvalid,
    VoucherMakerCannotReview,
    VoucherUnbalanced,
)
from suanpan.ledger.models import (
    OpenItem,
    OpenItemMatch,
    Period,
    PeriodTotal,
    PostedVoucherImmutable,
    Voucher,
    VoucherLine,
)
from suanpan.ledger.services import LineInput
from suanpan.ledger.types import PostingEvent, RoleLine
from tests.ledger.builders import carry_forward

pytestmark = pytest.mark.django_db
D = Decimal


def invoice_event(number: str, amount: str, *, on=date(2026, 1, 15), customer="KH-000001"):
    gross = D(amount)
    net = (gross / D("1.13")).quantize(D("0.01"))
    return PostingEvent(
        source_type="invoicing.invoice",
        source_id=number,
        event="issued",
        date=on,
        summary=f"发票 {number}",
        lines=(
            RoleLine(
                AccountRole.RECEIVABLE,
                debit=gross,
                dimension_code=customer,
                due_on=date(2026, 2, 14),
            ),
            RoleLine(AccountRole.REVENUE, credit=net),
            RoleLine(AccountRole.VAT_OUTPUT, credit=gross - net),
        ),
    )


def receipt_event(number: str, amount: str, *, on=date(2026, 1, 20), customer="KH-000001"):
    return PostingEvent(
        source_type="receivables.receipt",
        source_id=number,
        event="received",
        date=on,
        summary=f"收款 {number}",
        word="收",
        lines=(
            RoleLine(AccountRole.BANK, debit=D(amount)),
            RoleLine(AccountRole.RECEIVABLE, credit=D(amount), dimension_code=customer),
        ),
    )


def manual_voucher(actor, accounts, amount="100.00", **kwargs):
    return services.voucher_create(
        actor=actor,
        date=kwargs.pop("on", date(2026, 1, 10)),
        summary="收到投资款",
        lines=[
            LineInput(accounts["1002"], debit=D(amount)),
            LineInput(accounts["6001"], credit=D(amount)),
        ],
        **kwargs,
    )


def test_voucher_flow_numbers_and_chains_when_reviewed_by_another_and_posted(
    accounts, accountant, finance_manager
):
    first = manual_voucher(accountant, accounts)
    second = manual_voucher(accountant, accounts, amount="50.00")
    for voucher in (first, second):
        services.voucher_review(actor=finance_manager, voucher=voucher)
        services.voucher_post(actor=finance_manager, voucher=voucher)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, str(first), str(second)) == (
        VoucherStatus.POSTED,
        "记-202601-0001",
        "记-202601-0002",
    )
    assert first.prev_hash == calculations.GENESIS_HASH
    assert second.prev_hash == first.hash
    total = PeriodTotal.objects.get(account=accounts["1002"])
    assert total.debit_amount == D("150.00")


def test_voucher_review_refused_when_reviewer_is_maker(accounts, accountant):
    voucher = manual_voucher(accountant, accounts)
    with pytest.raises(VoucherMakerCannotReview):
        services.voucher_review(actor=accountant, voucher=voucher)


def test_voucher_create_refuses_unbalanced_lines_when_totals_differ(accounts, accountant):
    with pytest.raises(VoucherUnbalanced):
        services.voucher_create(
            actor=accountant,
            date=date(2026, 1, 5),
            summary="错账",
            lines=[
                LineInput(accounts["1002"], debit=D("100")),
                LineInput(accounts["6001"], credit=D("99.99")),
            ],
        )
    assert not Voucher.objects.exists()


@pytest.mark.parametrize(
    ("debit", "credit", "field"),
    [("100", "100", "lines.0.debit"), ("-100", "0", "lines.0.debit")],
)
def test_voucher_create_refuses_bad_line_when_both_columns_or_negative(
    accounts, accountant, debit, credit, field
):
    with pytest.raises(VoucherInvalid) as info:
        services.voucher_create(
            actor=accountant,
            date=date(2026, 1, 5),
            summary="错账",
            lines=[
                LineInput(accounts["1002"], debit=D(debit), credit=D(credit)),
                LineInput(accounts["6001"], credit=D("100")),
            ],
        )
    assert field in info.value.fields


def test_voucher_create_refuses_parent_account_and_missing_customer_when_given(
    accounts, accountant
):
    with pytest.raises(VoucherInvalid) as info:
        services.voucher_create(
            actor=accountant,
            date=date(2026, 1, 5),
            summary="应收",
            lines=[
                LineInput(accounts["1122"], debit=D("100")),
                LineInput(accounts["1122.01"], debit=D("100")),
                LineInput(accounts["6001"], credit=D("200")),
            ],
        )
    assert {"lines.0.account", "lines.1.dimension"} <= set(info.value.fields)


def test_posted_voucher_refuses_save_delete_and_update_when_touched(
    accounts, accountant, finance_manager
):
    voucher = manual_voucher(accountant, accounts)
    services.voucher_review(actor=finance_manager, voucher=voucher)
    services.voucher_post(actor=finance_manager, voucher=voucher)
    voucher.refresh_from_db()
    voucher.summary = "改过"
    with pytest.raises(PostedVoucherImmutable):
        voucher.save()
    with pytest.raises(PostedVoucherImmutable):
        voucher.delete()
    with pytest.raises(PostedVoucherImmutable):
        Voucher.objects.filter(pk=voucher.pk).update(summary="改过")
    with pytest.raises(PostedVoucherImmutable):
        VoucherLine.objects.filter(voucher=voucher).update(summary="改过")
    line = voucher.lines.first()
    line.summary = "改过"
    with pytest.raises(PostedVoucherImmutable):
        line.save()


def test_posting_post_is_idempotent_and_creates_open_item_when_event_repeats(
    accounts, customer_dim, accountant
):
    first = services.posting_post(event=invoice_event("F1", "113.00"), actor=accountant)
    again = services.posting_post(event=invoice_event("F1", "113.00"), actor=accountant)
    assert first.pk == again.pk
    assert Voucher.objects.count() == 1
    item = OpenItem.objects.get()
    assert (item.amount, item.due_on, item.dimension) == (
        D("113.00"),
        date(2026, 2, 14),
        customer_dim,
    )
    assert str(first) == "转-202601-0001"


def test_posting_post_refuses_unmapped_role_when_company_lacks_it(
    accounts, customer_dim, accountant
):
    event = PostingEvent(
        source_type="x",
        source_id="1",
        event="e",
        date=date(2026, 1, 3),
        summary="s",
        lines=(
            RoleLine(AccountRole.CREDIT_LOSS, debit=D(1)),
            RoleLine(AccountRole.BANK, credit=D(1)),
        ),
    )
    with pytest.raises(AccountRoleNotMapped):
        services.posting_post(event=event, actor=accountant)


def test_open_item_match_settles_and_refuses_excess_when_receipt_applied(
    accounts, customer_dim, accountant
):
    services.posting_post(event=invoice_event("F1", "113.00"), actor=accountant)
    services.posting_post(event=receipt_event("R1", "100.00"), actor=accountant)
    invoice_item = OpenItem.objects.get(amount__gt=0)
    receipt_item = OpenItem.objects.get(amount__lt=0)
    services.open_item_match(
        actor=accountant, debit_item=invoice_item, credit_item=receipt_item, amount=D("60")
    )
    with pytest.raises(OpenItemMatchExceeds):
        services.open_item_match(
            actor=accountant, debit_item=invoice_item, credit_item=receipt_item, amount=D("40.01")
        )
    match = services.open_item_match(
        actor=accountant, debit_item=invoice_item, credit_item=receipt_item, amount=D("40")
    )
    assert selectors.open_amounts([invoice_item, receipt_item]) == {
        invoice_item.pk: D("13.00"),
        receipt_item.pk: D("0.00"),
    }
    services.open_item_unmatch(actor=accountant, match=match)
    assert selectors.open_amounts([invoice_item])[invoice_item.pk] == D("53.00")
    assert selectors.open_items_check(as_of=date(2026, 1, 31)) == []


def _kept(*items: OpenItem) -> list[Decimal]:
    return [OpenItem.objects.get(pk=item.pk).open_amount for item in items]


def test_open_item_match_keeps_open_amount_when_matched_and_undone(
    accounts, customer_dim, accountant
):
    services.posting_post(event=invoice_event("F1", "113.00"), actor=accountant)
    services.posting_post(event=receipt_event("R1", "100.00"), actor=accountant)
    invoice_item = OpenItem.objects.get(amount__gt=0)
    receipt_item = OpenItem.objects.get(amount__lt=0)
    assert _kept(invoice_item, receipt_item) == [D("113.00"), D("-100.00")]

    first = services.open_item_match(
        actor=accountant, debit_item=invoice_item, credit_item=receipt_item, amount=D("60")
    )
    assert _kept(invoice_item, receipt_item) == [D("53.00"), D("-40.00")]
    services.open_item_match(
        actor=accountant, debit_item=invoice_item, credit_item=receipt_item, amount=D("40")
    )
    assert _kept(invoice_item, receipt_item) == [D("13.00"), D("0.00")]
    services.open_item_unmatch(actor=accountant, match=first)

    assert _kept(invoice_item, receipt_item) == [D("73.00"), D("-60.00")]
    assert selectors.open_amounts([invoice_item, receipt_item]) == {
        invoice_item.pk: D("73.00"),
        receipt_item.pk: D("-60.00"),
    }


def test_open_item_check_constraint_refuses_open_amount_beyond_item_when_written_by_sql(
    accounts, customer_dim, accountant
):
    services.posting_post(event=invoice_event("F1", "113.00"), actor=accountant)
    services.posting_post(event=receipt_event("R1", "100.00"), actor=accountant)
    invoice_item = OpenItem.objects.get(amount__gt=0)
    receipt_item = OpenItem.objects.get(amount__lt=0)
    # matched beyond the amount (open below zero), or "un-matched" above it, either sign
    for item, fen in (
        (invoice_item, -1),
        (invoice_item, 11301),
        (receipt_item, 1),
        (receipt_item, -10001),
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE ledger_openitem SET open_amount = %s WHERE id = %s", [fen, item.pk]
            )
    assert _kept(invoice_item, receipt_item) == [D("113.00"), D("-100.00")]


def test_open_items_check_names_customer_when_kept_open_amount_is_wrong(
    accounts, customer_dim, accountant
):
    services.posting_post(event=invoice_event("F1", "113.00"), actor=accountant)
    services.posting_post(event=receipt_event("R1", "100.00"), actor=accountant)
    invoice_item = OpenItem.objects.get(amount__gt=0)
    receipt_item = OpenItem.objects.get(amount__lt=0)
    services.open_item_match(
        actor=accountant, debit_item=invoice_item, credit_item=receipt_item, amount=D("60")
    )
    # Both items "forget" the match: each customer total still equals the account.
    OpenItem.objects.filter(pk=invoice_item.pk).update(open_amount=D("113.00"))
    OpenItem.objects.filter(pk=receipt_item.pk).update(open_amount=D("-100.00"))

    (problem,) = selectors.open_items_check(as_of=date(2026, 1, 31))

    assert (problem.account_id, problem.dimension_id) == (accounts["1122.01"].pk, customer_dim.pk)
    assert problem.items == problem.balance == D("13.00")
    assert problem.wrong_open_items == 2


def test_open_amount_migration_fills_from_live_matches_when_run_forward_and_back(
    accounts, customer_dim, accountant
):
    fill = importlib.import_module("suanpan.ledger.migrations.0004_openitem_open_amount_fill")
    services.posting_post(event=invoice_event("F1", "113.00"), actor=accountant)
    services.posting_post(event=receipt_event("R1", "100.00"), actor=accountant)
    invoice_item = OpenItem.objects.get(amount__gt=0)
    receipt_item = OpenItem.objects.get(amount__lt=0)
    undone = services.open_item_match(
        actor=accountant, debit_item=invoice_item, credit_item=receipt_item, amount=D("30")
    )
    services.open_item_unmatch(actor=accountant, match=undone)
    services.open_item_match(
        actor=accountant, debit_item=invoice_item, credit_item=receipt_item, amount=D("45")
    )

    fill.empty(django_apps, None)
    assert _kept(invoice_item, receipt_item) == [D("0.00"), D("0.00")]
    fill.fill(django_apps, None)

    assert _kept(invoice_item, receipt_item) == [D("68.00"), D("-55.00")]


def test_voucher_copy_migration_fills_number_and_summary_when_run_forward_and_back(
    accounts, customer_dim, accountant
):
    fill = importlib.import_module(
        "suanpan.ledger.migrations.0006_openitem_voucher_number_summary_fill"
    )
    services.posting_post(event=invoice_event("F1", "113.00"), actor=accountant)
    services.posting_post(event=receipt_event("R1", "100.00"), actor=accountant)
    posted = {
        item.pk: (item.voucher_number, item.summary)
        for item in OpenItem.objects.select_related("line__voucher__period")
    }
    assert sorted(posted.values()) == [("收-202601-0001", "收款 R1"), ("转-202601-0001", "发票 F1")]

    fill.empty(django_apps, None)
    assert set(OpenItem.objects.values_list("voucher_number", "summary")) == {("", "")}
    fill.fill(django_apps, None)

    assert {i.pk: (i.voucher_number, i.summary) for i in OpenItem.objects.all()} == posted


def test_voucher_reverse_posts_red_copy_and_settles_items_when_invoice_reversed(
    accounts, customer_dim, accountant
):
    voucher = services.posting_post(event=invoice_event("F1", "113.00"), actor=accountant)
    red = services.voucher_reverse(actor=accountant, voucher=voucher, on=date(2026, 1, 25))
    assert red.reverses == voucher
    assert sorted(red.lines.values_list("debit_amount", flat=True)) == [D("-113.00"), D(0), D(0)]
    items = list(OpenItem.objects.all())
    assert all(v == 0 for v in selectors.open_amounts(items).values())
    balance = selectors.trial_balance(period_from=voucher.period, period_to=voucher.period)
    assert balance.closing_debit == balance.closing_credit == 0
    assert selectors.open_items_check(as_of=date(2026, 1, 31)) == []


def test_period_close_locks_period_and_refuses_postings_when_checks_pass(
    accounts, customer_dim, accountant, finance_manager
):
    services.posting_post(event=invoice_event("F1", "113.00"), actor=accountant)
    period = Period.objects.get(year=2026, month=1)
    carry_forward(accountant)
    services.period_close(actor=accountant, period=period)
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED
    with pytest.raises(PeriodClosed):
        services.posting_post(event=invoice_event("F2", "10.00"), actor=accountant)
    with pytest.raises(PermissionDeniedError):
        services.period_reopen(actor=accountant, period=period, reason="补录")
    services.period_reopen(actor=finance_manager, period=period, reason="补录发票")
    assert period.events.first().reason == "补录发票"
    services.posting_post(event=invoice_event("F2", "10.00"), actor=accountant)


def test_period_close_refused_with_reasons_when_drafts_remain(accounts, accountant):
    manual_voucher(accountant, accounts)
    with pytest.raises(PeriodCloseFailed) as info:
        services.period_close(actor=accountant, period=Period.objects.get())
    assert "not posted" in info.value.message


def test_trial_balance_nets_to_zero_and_rolls_up_parents_when_posted(
    accounts, customer_dim, accountant
):
    services.posting_post(event=invoice_event("F1", "113.00"), actor=accountant)
    services.posting_post(
        event=invoice_event("F2", "226.00", on=date(2026, 2, 3)), actor=accountant
    )
    january = Period.objects.get(month=1)
    february = Period.objects.get(month=2)
    balance = selectors.trial_balance(period_from=february, period_to=february)
    rows = {r.account.code: r for r in balance.rows}
    assert rows["1122"].opening == D("113.00")
    assert rows["1122"].debit == D("226.00")
    assert rows["1122"].closing == rows["1122.01"].closing == D("339.00")
    assert balance.closing_debit == balance.closing_credit == D("339.00")
    assert selectors.trial_balance(period_from=january, period_to=january).period_debit == D(
        "113.00"
    )


@pytest.mark.parametrize(("standard", "receivable"), [("cas", "1122.01"), ("asbe_se", "1122.01")])
def test_company_setup_loads_chart_with_roles_when_standard_chosen(
    admin_user, standard, receivable
):
    from suanpan.ledger.models import AccountRoleMap

    company = services.company_setup(
        actor=admin_user, name="算盘", standard=standard, first_period=date(2026, 11, 5)
    )
    assert company.first_period == date(2026, 11, 1)
    receivable_account = AccountRoleMap.objects.get(role=AccountRole.RECEIVABLE).account
    assert (receivable_account.code, receivable_account.is_open_item) == (receivable, True)
    assert Period.objects.filter(year=2026, month=11).exists()
    revenue = AccountRoleMap.objects.get(role=AccountRole.REVENUE).account.code
    assert revenue == {"cas": "6001", "asbe_se": "5001"}[standard]


def test_open_item_match_refuses_date_before_items_or_last_undo_when_backdated(
    accounts, customer_dim, accountant
):
    from suanpan.ledger.errors import OpenItemMatchInvalid

    services.posting_post(event=invoice_event("F1", "100.00"), actor=accountant)
    services.posting_post(event=receipt_event("R1", "100.00"), actor=accountant)
    services.posting_post(
        event=receipt_event("R2", "100.00", on=date(2026, 1, 21)), actor=accountant
    )
    invoice = OpenItem.objects.get(amount__gt=0)
    first, second = OpenItem.objects.filter(amount__lt=0).order_by("posted_on")
    with pytest.raises(OpenItemMatchInvalid):
        services.open_item_match(
            actor=accountant,
            debit_item=invoice,
            credit_item=first,
            amount=D(10),
            on=date(2026, 1, 19),
        )
    match = services.open_item_match(
        actor=accountant, debit_item=invoice, credit_item=first, amount=D(100), on=date(2026, 1, 21)
    )
    with pytest.raises(OpenItemMatchInvalid):
        services.open_item_unmatch(actor=accountant, match=match, on=date(2026, 1, 20))
    services.open_item_unmatch(actor=accountant, match=match, on=date(2026, 2, 10))
    # Matching the second receipt "back in January" would over-settle the invoice as of 31 Jan.
    with pytest.raises(OpenItemMatchInvalid):
        services.open_item_match(
            actor=accountant,
            debit_item=invoice,
            credit_item=second,
            amount=D(100),
            on=date(2026, 1, 22),
        )
    services.open_item_match(
        actor=accountant,
        debit_item=invoice,
        credit_item=second,
        amount=D(100),
        on=date(2026, 2, 10),
    )
    for as_of in (date(2026, 1, 31), date(2026, 2, 28)):
        assert all(
            0 <= amount <= 100
            for pk, amount in selectors.open_amounts([invoice], as_of=as_of).items()
        )


def test_voucher_reverse_refuses_date_before_original_when_backdated(
    accounts, customer_dim, accountant
):
    voucher = services.posting_post(event=invoice_event("F1", "113.00"), actor=accountant)
    with pytest.raises(VoucherInvalid) as info:
        services.voucher_reverse(actor=accountant, voucher=voucher, on=date(2026, 1, 14))
    assert "date" in info.value.fields


def test_voucher_update_refuses_blank_summary_when_editing_draft(accounts, accountant):
    voucher = manual_voucher(accountant, accounts)
    with pytest.raises(VoucherInvalid) as info:
        services.voucher_update(
            actor=accountant,
            voucher=voucher,
            date=date(2026, 1, 10),
            summary="  ",
            lines=[
                LineInput(accounts["1002"], debit=D("1")),
                LineInput(accounts["6001"], credit=D("1")),
            ],
        )
    assert "summary" in info.value.fields


def test_open_items_match_many_settles_in_order_or_writes_nothing(
    accounts, customer_dim, accountant, django_assert_max_num_queries
):
    from suanpan.ledger.errors import OpenItemMatchExceeds
    from suanpan.ledger.types import ItemMatch

    for number in ("F1", "F2", "F3"):
        services.posting_post(event=invoice_event(number, "100.00"), actor=accountant)
    services.posting_post(event=receipt_event("R1", "250.00"), actor=accountant)
    first, second, third = OpenItem.objects.filter(amount__gt=0).order_by("pk")
    receipt = OpenItem.objects.get(amount__lt=0)
    # The third pair asks for more than the receipt has left after the first two: none is made.
    with pytest.raises(OpenItemMatchExceeds):
        services.open_items_match_many(
            actor=accountant,
            pairs=[
                ItemMatch(first.pk, receipt.pk, D("100")),
                ItemMatch(second.pk, receipt.pk, D("100")),
                ItemMatch(third.pk, receipt.pk, D("50.01")),
            ],
            on=date(2026, 1, 20),
        )
    assert _kept(first, second, third, receipt) == [D("100"), D("100"), D("100"), D("-250")]
    with django_assert_max_num_queries(8):
        made = services.open_items_match_many(
            actor=accountant,
            pairs=[
                ItemMatch(first.pk, receipt.pk, D("100")),
                ItemMatch(second.pk, receipt.pk, D("100")),
                ItemMatch(third.pk, receipt.pk, D("50")),
            ],
            on=date(2026, 1, 20),
        )
    # The new matches' ids come back in the order of the pairs.
    matches = OpenItemMatch.objects.in_bulk(made)
    assert [(matches[pk].debit_item_id, matches[pk].amount) for pk in made] == [
        (first.pk, D("100")),
        (second.pk, D("100")),
        (third.pk, D("50")),
    ]
    assert _kept(first, second, third, receipt) == [D("0"), D("0"), D("50"), D("0")]
    assert selectors.open_items_check(as_of=date(2026, 1, 31)) == []


def test_open_items_match_many_refuses_backdating_wrong_sides_and_missing_items(
    accounts, customer_dim, accountant
):
    from suanpan.ledger.errors import OpenItemMatchInvalid
    from suanpan.ledger.types import ItemMatch

    services.posting_post(event=invoice_event("F1", "100.00"), actor=accountant)
    services.posting_post(event=receipt_event("R1", "100.00"), actor=accountant)
    invoice = OpenItem.objects.get(amount__gt=0)
    receipt = OpenItem.objects.get(amount__lt=0)
    with pytest.raises(OpenItemMatchInvalid):
        services.open_items_match_many(
            actor=accountant,
            pairs=[ItemMatch(invoice.pk, receipt.pk, D("10"))],
            on=date(2026, 1, 19),
        )
    with pytest.raises(OpenItemMatchInvalid):
        services.open_items_match_many(
            actor=accountant,
            pairs=[ItemMatch(receipt.pk, invoice.pk, D("10"))],
            on=date(2026, 1, 20),
        )
    with pytest.raises(OpenItemMatchInvalid):
        services.open_items_match_many(
            actor=accountant,
            pairs=[ItemMatch(invoice.pk, 999_999, D("10"))],
            on=date(2026, 1, 20),
        )
    assert _kept(invoice, receipt) == [D("100"), D("-100")]


def _matched_receipt(customer: str = "KH-000001") -> PostingEvent:
    return receipt_event("R1", "100.00", customer=customer)


@pytest.mark.parametrize("fast", [True, False], ids=["default path", "general path"])
def test_posting_post_matched_writes_the_new_items_settled_when_a_posting_settles_at_once(
    accounts, customer_dim, accountant, monkeypatch, fast
):
    from suanpan.ledger.services import posting
    from suanpan.ledger.types import ItemMatch, LineMatch

    # Given a numbering series and month that exist (so the fast path may run), two invoices
    # and an earlier receipt of the customer
    services.posting_post_batch(
        events=[
            invoice_event("F1", "113.00"),
            invoice_event("F2", "50.00"),
            receipt_event("R0", "30.00"),
        ],
        actor=accountant,
    )
    first, second = OpenItem.objects.filter(amount__gt=0).order_by("pk")
    earlier = OpenItem.objects.get(source_id="R0")
    ran: list[int] = []
    fast_post = posting._events_post_fast

    def counted(*args, **kwargs):
        vouchers = fast_post(*args, **kwargs)
        ran.append(len(vouchers))
        return vouchers

    monkeypatch.setattr(posting, "_events_post_fast", counted)
    if not fast:
        monkeypatch.setattr(posting, "_fast_path_available", lambda: False)
    receipt = _matched_receipt()

    # When a receipt is posted whose receivable line (line 2) settles 60 of the first invoice
    # and 40 of the second, and the earlier receipt settles 20 of the second
    made = services.posting_post_matched(
        actor=accountant,
        events=[receipt],
        line_matches=[
            LineMatch(first.pk, receipt.key, 2, D("60.00")),
            LineMatch(second.pk, receipt.key, 2, D("30.00")),
        ],
        pairs=[ItemMatch(second.pk, earlier.pk, D("20.00"))],
        on=date(2026, 1, 20),
    )

    # Then the receipt's item is written settled, the others moved, the books agree
    assert ran == ([1] if fast and connection.vendor == "postgresql" else [])
    (voucher,) = made.vouchers
    new = OpenItem.objects.get(line__voucher=voucher)
    assert (new.amount, new.open_amount) == (D("-100.00"), D("-10.00"))
    assert _kept(first, second, earlier) == [D("53.00"), D("0.00"), D("-10.00")]
    matches = OpenItemMatch.objects.in_bulk([*made.line_matches, *made.matches])
    assert [
        (matches[pk].debit_item_id, matches[pk].credit_item_id, matches[pk].amount)
        for pk in [*made.line_matches, *made.matches]
    ] == [
        (first.pk, new.pk, D("60.00")),
        (second.pk, new.pk, D("30.00")),
        (second.pk, earlier.pk, D("20.00")),
    ]
    assert selectors.open_items_check(as_of=date(2026, 1, 31)) == []
    assert verification.chain_verify().ok


def test_posting_post_matched_writes_nothing_when_a_match_is_refused(
    accounts, customer_dim, accountant
):
    from suanpan.ledger.errors import OpenItemMatchInvalid
    from suanpan.ledger.types import LineMatch

    services.posting_post(event=invoice_event("F1", "50.00"), actor=accountant)
    services.dimension_upsert(kind="customer", code="KH-000002", name="另一家公司")
    services.posting_post(
        event=invoice_event("F9", "80.00", customer="KH-000002"), actor=accountant
    )
    invoice = OpenItem.objects.get(source_id="F1")
    other = OpenItem.objects.get(source_id="F9")
    vouchers = Voucher.objects.count()

    def post(*line_matches: LineMatch, event: PostingEvent | None = None) -> None:
        services.posting_post_matched(
            actor=accountant,
            events=[event or _matched_receipt()],
            line_matches=line_matches,
            on=date(2026, 1, 20),
        )

    key = _matched_receipt().key
    # More than the line posts, more than the invoice has open, another customer's invoice,
    # a line that makes no open item (the bank's), an amount that is not positive.
    with pytest.raises(OpenItemMatchExceeds):
        post(LineMatch(invoice.pk, key, 2, D("100.01")))
    with pytest.raises(OpenItemMatchExceeds):
        post(LineMatch(invoice.pk, key, 2, D("50.01")))
    for refused in (
        LineMatch(other.pk, key, 2, D("10.00")),
        LineMatch(invoice.pk, key, 1, D("10.00")),
        LineMatch(invoice.pk, key, 3, D("10.00")),
        LineMatch(invoice.pk, key, 2, D("0.00")),
        LineMatch(invoice.pk, "receivables.receipt:R2:received", 2, D("10.00")),
    ):
        with pytest.raises(OpenItemMatchInvalid):
            post(refused)
    assert Voucher.objects.count() == vouchers
    assert _kept(invoice, other) == [D("50.00"), D("80.00")]
    # An event posted already cannot open its items settled.
    services.posting_post(event=_matched_receipt(), actor=accountant)
    with pytest.raises(VoucherInvalid):
        post(LineMatch(invoice.pk, key, 2, D("10.00")))
    # Numbers and the chain have no gap where the refused postings were rolled back.
    assert [v.number for v in Voucher.objects.filter(word="收")] == [1]
    assert verification.chain_verify().ok
    assert selectors.open_items_check(as_of=date(2026, 1, 31)) == []


def test_settleable_dimensions_owe_on_the_account_and_hold_a_credit(
    accounts, customer_dim, accountant
):
    for code in ("KH-000002", "KH-000003"):
        services.dimension_upsert(kind="customer", code=code, name=f"公司 {code}")
    services.posting_post_batch(
        events=[
            invoice_event("F1", "113.00"),
            receipt_event("R1", "10.00"),
            invoice_event("F2", "50.00", customer="KH-000002"),
            receipt_event("R3", "20.00", customer="KH-000003"),
        ],
        actor=accountant,
    )
    receivable = selectors.account_for_role(AccountRole.RECEIVABLE)

    found = selectors.open_item_dimensions_settleable(account=receivable)

    assert list(found) == ["KH-000001"]
    assert found["KH-000001"] == customer_dim.pk
