"""Bad-debt services: the provision run (matrix, grades, named customers, idempotent re-runs,
releases, closed periods), write-offs with four-eyes approval, recoveries, both standards, and
the open items equal to the receivable account per customer throughout."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import F, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suanpan.core.errors import DomainError, NotFound, PermissionDeniedError
from suanpan.ledger.choices import AccountRole, PeriodStatus
from suanpan.ledger.errors import PeriodClosed
from suanpan.ledger.models import OpenItem, Period, Voucher
from suanpan.ledger.selectors import open_items_check, vouchers_for_source
from suanpan.receivables.choices import WriteOffStatus
from suanpan.receivables.errors import (
    BadDebtInvalid,
    ProvisionNotUsed,
    RecoveryExceeds,
    WriteOffExceeds,
    WriteOffNotInStatus,
    WriteOffOwnApproval,
)
from suanpan.receivables.models import ProvisionRun, Recovery, WriteOff
from suanpan.receivables.selectors import customer_open_sides, provision_preview
from suanpan.receivables.services import (
    IndividualInput,
    RateInput,
    individual_provision_save,
    provision_post,
    provision_rates_save,
    recovery_create,
    writeoff_approve,
    writeoff_cancel,
    writeoff_reverse,
)
from tests.inventory.deliveries_support import balance, customer_with_dimension
from tests.invoicing.support import TAX_NUMBER
from tests.receivables.bad_debt_support import written_off
from tests.receivables.support import ON, invoice, invoice_item, open_of, received

D = Decimal
END = date(2026, 1, 31)


def _rate(actor, rate: str, bucket: int = 0, grade: str = "") -> None:
    provision_rates_save(rates=[RateInput(bucket=bucket, rate=D(rate), grade=grade)], actor=actor)


def test_provision_preview_applies_the_matrix_when_invoices_are_open(
    cas_books, customer, clerk, approver
):
    invoice(customer, "1130.00", actor=clerk)
    invoice(customer, "500.00", actor=clerk)
    _rate(approver, "0.05")

    preview = provision_preview(period="2026-01")

    assert preview.as_of == END
    assert preview.cells[0].balance == D("1630.00")
    assert preview.required.total == D("81.50")
    assert (preview.existing, preview.change) == (D(0), D("81.50"))


def test_provision_post_charges_credit_loss_then_posts_nothing_when_run_again(
    cas_books, customer, clerk, approver
):
    invoice(customer, "1130.00", actor=clerk)
    _rate(approver, "0.05")

    run = provision_post(period="2026-01", actor=clerk)

    assert run is not None and run.change_amount == D("56.50")
    assert balance(AccountRole.CREDIT_LOSS) == D("56.50")
    assert balance(AccountRole.BAD_DEBT_PROVISION) == D("-56.50")
    assert provision_post(period="202601", actor=clerk) is None
    assert ProvisionRun.objects.count() == 1


def test_provision_post_releases_in_blue_when_required_falls(cas_books, customer, clerk, approver):
    invoice(customer, "1130.00", actor=clerk)
    _rate(approver, "0.05")
    provision_post(period="2026-01", actor=clerk)
    _rate(approver, "0.02")

    run = provision_post(period="2026-01", actor=clerk)

    assert run is not None and run.change_amount == D("-33.90")
    voucher = vouchers_for_source(source_type="receivables.provisionrun", source_ids=[run.pk])[0]
    lines = {line.account.code: line for line in voucher.lines.all()}
    assert all(line.debit_amount >= 0 and line.credit_amount >= 0 for line in lines.values())
    assert lines["1231"].debit_amount == D("33.90") and lines["6702"].credit_amount == D("33.90")
    assert balance(AccountRole.BAD_DEBT_PROVISION) == D("-22.60")


def test_provision_preview_uses_the_grade_rate_when_the_grade_has_its_own(
    cas_books, customer, clerk, approver
):
    graded = customer_with_dimension(invoice_tax_number=TAX_NUMBER, grade="D")
    invoice(customer, "1000.00", actor=clerk)
    invoice(graded, "1000.00", actor=clerk)
    _rate(approver, "0.05")
    _rate(approver, "0.30", grade="D")

    preview = provision_preview(period="2026-01")

    assert preview.grades == ["", "D"]
    assert preview.cells_of("D")[0].provision == D("300.00")
    assert preview.required.total == D("350.00")


def test_provision_preview_keeps_named_customers_out_of_the_matrix(
    cas_books, customer, clerk, approver
):
    invoice(customer, "1130.00", actor=clerk)
    _rate(approver, "0.05")
    individual_provision_save(
        data=IndividualInput(customer_id=customer.pk, reason="涉诉", amount=D("2000.00")),
        actor=approver,
    )

    preview = provision_preview(period="2026-01")

    assert preview.required.matrix_total == 0
    [named] = preview.named
    assert (named.balance, named.provision) == (D("1130.00"), D("1130.00"))


def test_provision_post_refuses_when_period_closed(cas_books, customer, clerk, approver):
    invoice(customer, "1130.00", actor=clerk)
    _rate(approver, "0.05")
    Period.objects.filter(year=2026, month=1).update(status=PeriodStatus.CLOSED)

    with pytest.raises(PeriodClosed):
        provision_post(period="2026-01", actor=clerk)
    assert ProvisionRun.objects.count() == 0


@pytest.mark.parametrize("period", ["2026-13", "2026", "abcd-ef", "0999-01"])
def test_provision_preview_refuses_when_period_malformed(cas_books, period):
    with pytest.raises(BadDebtInvalid):
        provision_preview(period=period)


def test_provision_preview_refuses_when_books_are_small_enterprise(small_books):
    with pytest.raises(ProvisionNotUsed):
        provision_preview(period="2026-01")


@pytest.mark.parametrize("rate", ["-0.01", "1.5", "0.12345"])
def test_provision_rates_save_refuses_when_rate_out_of_range(cas_books, approver, rate):
    with pytest.raises(BadDebtInvalid):
        _rate(approver, rate)


def test_provision_rates_save_refuses_when_user_lacks_permission(cas_books, clerk):
    with pytest.raises(PermissionDeniedError):
        _rate(clerk, "0.05")


def test_writeoff_approve_refuses_when_maker_approves(cas_books, customer, approver):
    item = invoice_item(invoice(customer, "1130.00", actor=approver))
    writeoff = written_off(customer, ((item, "1130.00"),), maker=approver)

    with pytest.raises(WriteOffOwnApproval):
        writeoff_approve(writeoff=writeoff, actor=approver, on=ON)
    writeoff.refresh_from_db()
    assert writeoff.status == WriteOffStatus.DRAFT
    assert not Voucher.objects.filter(source_type="receivables.writeoff").exists()


def test_writeoff_approve_closes_the_invoice_against_the_provision(
    cas_books, customer, clerk, approver
):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    writeoff = written_off(customer, ((item, "1000.00"),), maker=clerk, approver=approver)

    assert writeoff.status == WriteOffStatus.POSTED and writeoff.approved_by == approver
    assert open_of(item) == D("130.00")
    assert balance(AccountRole.BAD_DEBT_PROVISION) == D("1000.00")
    assert balance(AccountRole.RECEIVABLE, dimension=customer.number) == D("130.00")
    assert open_items_check(as_of=END) == []
    assert writeoff.lines.get().match is not None


def test_writeoff_create_refuses_when_more_than_open(cas_books, customer, clerk):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))

    with pytest.raises(WriteOffExceeds):
        written_off(customer, ((item, "1130.01"),), maker=clerk)
    assert not WriteOff.objects.exists()


@pytest.mark.parametrize("amount", ["0", "-1.00", "1.005", "1000000000000.00"])
def test_writeoff_create_refuses_when_amount_bad(cas_books, customer, clerk, amount):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))

    with pytest.raises(BadDebtInvalid):
        written_off(customer, ((item, amount),), maker=clerk)
    assert not WriteOff.objects.exists()


def test_writeoff_create_refuses_when_reason_missing(cas_books, customer, clerk):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    with pytest.raises(BadDebtInvalid):
        written_off(customer, ((item, "1.00"),), maker=clerk, reason="  ")


def test_writeoff_create_refuses_when_item_is_another_customers(
    cas_books, customer, other_customer, clerk
):
    item = invoice_item(invoice(other_customer, "1130.00", actor=clerk))
    with pytest.raises(BadDebtInvalid):
        written_off(customer, ((item, "1.00"),), maker=clerk)


def test_writeoff_create_refuses_when_user_lacks_permission(cas_books, customer, clerk, seller):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    with pytest.raises(PermissionDeniedError):
        written_off(customer, ((item, "1.00"),), maker=seller)


def test_writeoff_create_answers_not_found_when_customer_invisible(
    cas_books, other_customer, clerk, seller
):
    item = invoice_item(invoice(other_customer, "1130.00", actor=clerk))
    seller.user_permissions.add(Permission.objects.get(codename="add_writeoff"))
    seller = type(seller).objects.get(pk=seller.pk)  # permissions are cached per instance
    with pytest.raises(NotFound):
        written_off(other_customer, ((item, "1.00"),), maker=seller)


def test_writeoff_approve_refuses_when_cancelled(cas_books, customer, clerk, approver):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    writeoff = written_off(customer, ((item, "1130.00"),), maker=clerk)
    writeoff_cancel(writeoff=writeoff, actor=clerk)

    with pytest.raises(WriteOffNotInStatus):
        writeoff_approve(writeoff=writeoff, actor=approver, on=ON)
    assert open_of(item) == D("1130.00")


def test_writeoff_approve_refuses_when_a_receipt_settled_the_invoice_meanwhile(
    cas_books, customer, clerk, approver
):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    writeoff = written_off(customer, ((item, "1130.00"),), maker=clerk)
    received(customer, "500.00", actor=clerk, allocations=((item, "500.00"),))

    with pytest.raises(WriteOffExceeds):
        writeoff_approve(writeoff=writeoff, actor=approver, on=ON)
    writeoff.refresh_from_db()
    assert writeoff.status == WriteOffStatus.DRAFT


def test_recovery_reinstates_the_receivable_which_a_receipt_then_settles(
    cas_books, customer, clerk, approver
):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    writeoff = written_off(customer, ((item, "1130.00"),), maker=clerk, approver=approver)

    recovery_create(writeoff=writeoff, amount=D("400.00"), actor=clerk, on=ON)

    assert balance(AccountRole.RECEIVABLE, dimension=customer.number) == D("400.00")
    assert balance(AccountRole.BAD_DEBT_PROVISION) == D("730.00")
    [reinstated] = customer_open_sides(customer=customer).debits
    assert reinstated.open_amount == D("400.00")
    received(
        customer,
        "400.00",
        actor=clerk,
        allocations=((OpenItem.objects.get(pk=reinstated.pk), "400.00"),),
    )
    assert balance(AccountRole.RECEIVABLE, dimension=customer.number) == 0
    assert open_items_check(as_of=END) == []


def test_recovery_refuses_when_more_than_left_to_recover(cas_books, customer, clerk, approver):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    writeoff = written_off(customer, ((item, "1130.00"),), maker=clerk, approver=approver)
    recovery_create(writeoff=writeoff, amount=D("1000.00"), actor=clerk, on=ON)

    with pytest.raises(RecoveryExceeds):
        recovery_create(writeoff=writeoff, amount=D("130.01"), actor=clerk, on=ON)
    writeoff.refresh_from_db()
    assert writeoff.recovered_amount == D("1000.00")
    assert Recovery.objects.count() == 1


def test_recovery_refuses_when_writeoff_not_posted(cas_books, customer, clerk):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    writeoff = written_off(customer, ((item, "1130.00"),), maker=clerk)
    with pytest.raises(WriteOffNotInStatus):
        recovery_create(writeoff=writeoff, amount=D("1.00"), actor=clerk, on=ON)


def test_small_enterprise_writes_off_to_non_operating_expense_and_recovers_to_income(
    small_books, customer, clerk, approver
):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    writeoff = written_off(customer, ((item, "1130.00"),), maker=clerk, approver=approver)

    recovery_create(writeoff=writeoff, amount=D("300.00"), actor=clerk, on=ON)

    assert balance(AccountRole.NON_OPERATING_EXPENSE) == D("1130.00")
    assert balance(AccountRole.NON_OPERATING_INCOME) == D("-300.00")
    assert balance(AccountRole.RECEIVABLE, dimension=customer.number) == 0
    assert open_items_check(as_of=END) == []


def _assert_items_within_amounts() -> None:
    assert open_items_check(as_of=END) == []
    assert not OpenItem.objects.filter(
        Q(amount__gt=0, open_amount__lt=0)
        | Q(amount__gt=0, open_amount__gt=F("amount"))
        | Q(amount__lt=0, open_amount__gt=0)
        | Q(amount__lt=0, open_amount__lt=F("amount"))
    ).exists()
    for writeoff in WriteOff.objects.all():
        assert 0 <= writeoff.recovered_amount <= writeoff.amount


cents = st.integers(1, 300_000).map(lambda n: D(n) / 100)
share = st.sampled_from([D("0.3"), D("0.5"), D("1")])
operations = st.one_of(
    st.tuples(st.just("invoice"), cents),
    st.tuples(st.just("write_off"), share),
    st.tuples(st.just("recover"), share),
    st.tuples(st.just("receipt"), share),
)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operations, min_size=3, max_size=15))
def test_open_items_equal_the_account_when_write_offs_and_recoveries_run(
    cas_books, clerk, approver, ops
):
    with transaction.atomic():
        customer = customer_with_dimension(invoice_tax_number=TAX_NUMBER)
        for kind, figure in ops:
            try:
                with transaction.atomic():
                    debits = customer_open_sides(customer=customer).debits
                    if kind == "invoice":
                        invoice(customer, f"{figure:.2f}", actor=clerk)
                    elif kind == "write_off" and debits:
                        item = OpenItem.objects.get(pk=debits[0].pk)
                        amount = (item.open_amount * figure).quantize(D("0.01"))
                        written_off(
                            customer, ((item, f"{amount:.2f}"),), maker=clerk, approver=approver
                        )
                    elif kind == "recover":
                        posted = WriteOff.objects.filter(status=WriteOffStatus.POSTED).first()
                        if posted is not None:
                            left = posted.amount - posted.recovered_amount
                            amount = (left * figure).quantize(D("0.01"))
                            recovery_create(writeoff=posted, amount=amount, actor=clerk, on=ON)
                    elif kind == "receipt" and debits:
                        item = OpenItem.objects.get(pk=debits[-1].pk)
                        amount = (item.open_amount * figure).quantize(D("0.01"))
                        received(
                            customer,
                            f"{amount:.2f}",
                            actor=clerk,
                            allocations=((item, f"{amount:.2f}"),),
                        )
            except DomainError:
                # A refusal (nothing left to take) writes nothing; the game goes on.
                pass
        _assert_items_within_amounts()
        transaction.set_rollback(True)


def test_write_offs_are_numbered_apart_from_red_letter_forms():
    from suanpan.invoicing.services.red_letters import SERIES as RED_LETTER_SERIES
    from suanpan.receivables.services.bad_debts import RECOVERY_SERIES, WRITEOFF_SERIES

    assert len({WRITEOFF_SERIES, RECOVERY_SERIES, RED_LETTER_SERIES}) == 3


def test_writeoff_reverse_opens_the_invoice_again_and_reverses_in_red(
    cas_books, customer, clerk, approver
):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    writeoff = written_off(customer, ((item, "1000.00"),), maker=clerk, approver=approver)
    later = date(2026, 1, 25)
    with pytest.raises(BadDebtInvalid):
        writeoff_reverse(writeoff=writeoff, reason=" ", actor=approver, on=later)
    with pytest.raises(PermissionDeniedError):
        writeoff_reverse(writeoff=writeoff, reason="客户已付款", actor=clerk, on=later)
    reversed_ = writeoff_reverse(writeoff=writeoff, reason="客户已付款", actor=approver, on=later)
    assert reversed_.status == WriteOffStatus.REVERSED and reversed_.reversed_on == later
    assert open_of(item) == D("1130.00")
    assert balance(AccountRole.BAD_DEBT_PROVISION) == 0
    assert balance(AccountRole.RECEIVABLE, dimension=customer.number) == D("1130.00")
    (_posted, red) = vouchers_for_source(
        source_type="receivables.writeoff", source_ids=[writeoff.pk]
    )
    assert red.date == later
    assert open_items_check(as_of=END) == []
    # History as of the day it was written off still shows it written off.
    assert open_items_check(as_of=ON) == []
    with pytest.raises(WriteOffNotInStatus):
        writeoff_reverse(writeoff=reversed_, reason="again", actor=approver, on=later)


def test_writeoff_reverse_refuses_once_money_was_recovered(cas_books, customer, clerk, approver):
    item = invoice_item(invoice(customer, "1130.00", actor=clerk))
    writeoff = written_off(customer, ((item, "1000.00"),), maker=clerk, approver=approver)
    recovery_create(writeoff=writeoff, amount=D("100.00"), actor=clerk, on=ON)
    with pytest.raises(BadDebtInvalid):
        writeoff_reverse(writeoff=writeoff, reason="客户已付款", actor=approver, on=ON)
    writeoff.refresh_from_db()
    assert writeoff.status == WriteOffStatus.POSTED
