"""Property test: random invoices, red letters, receipts (with and without allocations),
settlements by hand and automatic, undos, cancellations, refunds and their cancellations,
write-offs, their reversals and recoveries keep the open items equal to their accounts per
customer (DESIGN.md invariant 3), no item settled below zero or above its amount, no receipt
settling more than it is, no write-off recovered beyond itself, and the ageing total equal to the
receivable balance at every date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suanpan.core.errors import DomainError
from suanpan.invoicing.choices import InvoiceKind
from suanpan.invoicing.models import Invoice
from suanpan.ledger import selectors as ledger_selectors
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.models import OpenItem, VoucherLine
from suanpan.receivables.choices import AutoMatchRule, ReceiptStatus, WriteOffStatus
from suanpan.receivables.models import Receipt, Refund, Settlement, SettlementLine, WriteOff
from suanpan.receivables.selectors import customer_open_sides, customer_refundable
from suanpan.receivables.services import (
    Pair,
    RefundInput,
    WriteOffInput,
    WriteOffItem,
    receipt_cancel,
    recovery_create,
    refund_cancel,
    refund_create,
    settlement_auto,
    settlement_make,
    settlement_undo,
    writeoff_approve,
    writeoff_create,
    writeoff_reverse,
)
from tests.inventory.deliveries_support import customer_with_dimension
from tests.invoicing.manual_support import red_against
from tests.invoicing.support import TAX_NUMBER
from tests.receivables.support import invoice, received

D = Decimal
customers = st.integers(0, 1)
cents = st.integers(1, 500_000).map(lambda n: D(n) / 100)
share = st.sampled_from([D("0"), D("0.3"), D("0.5"), D("1")])
operations = st.one_of(
    st.tuples(st.just("invoice"), customers, cents),
    st.tuples(st.just("receipt"), customers, cents, share),
    st.tuples(st.just("settle"), customers, st.integers(0, 5), st.integers(0, 5), share),
    st.tuples(st.just("auto"), customers, st.sampled_from(AutoMatchRule.values)),
    st.tuples(st.just("undo"), st.integers(0, 9)),
    st.tuples(st.just("cancel"), st.integers(0, 9)),
    st.tuples(st.just("refund"), customers, share),
    st.tuples(st.just("refund_cancel"), st.integers(0, 9)),
    st.tuples(st.just("red"), st.integers(0, 9)),
    st.tuples(st.just("write_off"), customers, share),
    st.tuples(st.just("recover"), st.integers(0, 9), share),
    st.tuples(st.just("writeoff_reverse"), st.integers(0, 9)),
)


def _nth(rows: Any, index: int) -> Any:
    rows = list(rows)
    return rows[index % len(rows)] if rows else None


def _day(step: int) -> date:
    return date(2026, 1, min(2 + step // 2, 31))


def play(parts: dict[str, Any], step: int, op: tuple[Any, ...]) -> None:
    clerk = parts["clerk"]
    on = _day(step)
    kind = op[0]
    try:
        with transaction.atomic():
            if kind == "invoice":
                invoice(parts["customers"][op[1]], f"{op[2]:.2f}", actor=clerk, issued_on=on)
            elif kind == "receipt":
                customer = parts["customers"][op[1]]
                debits = customer_open_sides(customer=customer).debits
                allocations = ()
                if debits and op[3]:
                    first = OpenItem.objects.get(pk=debits[0].pk)
                    amount = min(op[2] * op[3], first.open_amount).quantize(D("0.01"))
                    if amount > 0:
                        allocations = ((first, f"{amount:.2f}"),)
                received(customer, f"{op[2]:.2f}", actor=clerk, on=on, allocations=allocations)
            elif kind == "settle":
                customer = parts["customers"][op[1]]
                sides = customer_open_sides(customer=customer)
                if sides.debits and sides.credits:
                    debit = sides.debits[op[2] % len(sides.debits)]
                    credit = sides.credits[op[3] % len(sides.credits)]
                    room = min(debit.open_amount, -credit.open_amount)
                    amount = (room * (op[4] or D("0.5"))).quantize(D("0.01"))
                    if amount > 0:
                        settlement_make(
                            customer_id=customer.pk,
                            pairs=[Pair(debit.pk, credit.pk, amount)],
                            actor=clerk,
                            on=on,
                        )
            elif kind == "auto":
                settlement_auto(
                    customer_id=parts["customers"][op[1]].pk, rule=op[2], actor=clerk, on=on
                )
            elif kind == "undo":
                live = list(Settlement.objects.filter(undone_on__isnull=True).order_by("pk"))
                if live:
                    settlement_undo(settlement=live[op[1] % len(live)], actor=clerk, on=on)
            elif kind == "cancel":
                posted = list(Receipt.objects.filter(status=ReceiptStatus.POSTED).order_by("pk"))
                if posted:
                    receipt_cancel(
                        receipt=posted[op[1] % len(posted)], reason="测试", actor=clerk, on=on
                    )
            elif kind == "refund":
                customer = parts["customers"][op[1]]
                amount = (customer_refundable(customer=customer) * op[2]).quantize(D("0.01"))
                if amount > 0:
                    refund_create(
                        data=RefundInput(
                            customer_id=customer.pk, refunded_on=on, amount=amount, reason="退"
                        ),
                        actor=clerk,
                    )
            elif kind == "refund_cancel":
                posted = list(Refund.objects.filter(status=ReceiptStatus.POSTED).order_by("pk"))
                if posted:
                    refund_cancel(
                        refund=posted[op[1] % len(posted)], reason="测试", actor=clerk, on=on
                    )
            elif kind == "red":
                # A red letter reverses a whole blue invoice once, paid or not: what it credits
                # the customer is matched, refunded or left as the customer's credit.
                blue = _nth(
                    Invoice.objects.filter(kind=InvoiceKind.BLUE, red_invoices__isnull=True)
                    .filter(issued_on__lte=on)
                    .order_by("pk"),
                    op[1],
                )
                if blue is not None:
                    red_against(blue, actor=clerk, issued_on=on)
            elif kind == "write_off":
                customer = parts["customers"][op[1]]
                debits = customer_open_sides(customer=customer).debits
                if debits and op[2]:
                    amount = (debits[0].open_amount * op[2]).quantize(D("0.01"))
                    if amount > 0:
                        draft = writeoff_create(
                            data=WriteOffInput(
                                customer_id=customer.pk,
                                reason="破产",
                                items=(WriteOffItem(debits[0].pk, amount),),
                                written_off_on=on,
                            ),
                            actor=clerk,
                        )
                        writeoff_approve(writeoff=draft, actor=parts["approver"], on=on)
            elif kind == "recover":
                posted = _nth(
                    WriteOff.objects.filter(status=WriteOffStatus.POSTED).order_by("pk"), op[1]
                )
                if posted is not None:
                    amount = ((posted.amount - posted.recovered_amount) * op[2]).quantize(D("0.01"))
                    if amount > 0:
                        recovery_create(writeoff=posted, amount=amount, actor=clerk, on=on)
            elif kind == "writeoff_reverse":
                posted = _nth(
                    WriteOff.objects.filter(status=WriteOffStatus.POSTED).order_by("pk"), op[1]
                )
                if posted is not None:
                    writeoff_reverse(
                        writeoff=posted, reason="误核销", actor=parts["approver"], on=on
                    )
    except DomainError:
        # Refusals (a match dated before an earlier undo, say) write nothing; the game goes on.
        pass


def assert_invariants() -> None:
    end = date(2026, 1, 31)
    assert ledger_selectors.open_items_check(as_of=end) == []
    assert not OpenItem.objects.filter(
        Q(amount__gt=0, open_amount__lt=0)
        | Q(amount__gt=0, open_amount__gt=F("amount"))
        | Q(amount__lt=0, open_amount__gt=0)
        | Q(amount__lt=0, open_amount__lt=F("amount"))
    ).exists()
    for receipt in Receipt.objects.all():
        settled = SettlementLine.objects.filter(
            credit_source_type="receivables.receipt",
            credit_source_id=str(receipt.pk),
            is_transfer=False,
            settlement__undone_on__isnull=True,
        ).aggregate(total=Sum("amount"))["total"] or D(0)
        assert settled <= receipt.amount
    for writeoff in WriteOff.objects.all():
        assert D(0) <= writeoff.recovered_amount <= writeoff.amount
    receivable = ledger_selectors.account_for_role(AccountRole.RECEIVABLE)
    assert receivable is not None
    for day in (date(2026, 1, 2), date(2026, 1, 9), date(2026, 1, 17), end):
        lines = VoucherLine.objects.filter(
            account=receivable, voucher__status="posted", voucher__date__lte=day
        )
        balance = sum((line.debit_amount - line.credit_amount for line in lines), D(0))
        assert ledger_selectors.ageing(as_of=day, account=receivable).total == balance


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operations, min_size=5, max_size=25))
def test_receivables_invariants_hold_when_random_operations_run(cas_books, clerk, approver, ops):
    with transaction.atomic():
        parts = {
            "clerk": clerk,
            "approver": approver,
            "customers": [
                customer_with_dimension(invoice_tax_number=TAX_NUMBER),
                customer_with_dimension(invoice_tax_number=TAX_NUMBER),
            ],
        }
        for step, op in enumerate(ops):
            play(parts, step, op)
        assert_invariants()
        transaction.set_rollback(True)


def test_receivables_invariants_hold_along_a_busy_month(cas_books, clerk, approver):
    """A fixed sequence in which every kind of operation does work."""
    parts = {
        "clerk": clerk,
        "approver": approver,
        "customers": [customer_with_dimension(invoice_tax_number=TAX_NUMBER)],
    }
    ops = [
        ("invoice", 0, D("1130.00")),
        ("invoice", 0, D("500.00")),
        ("receipt", 0, D("800.00"), D("1")),
        ("receipt", 0, D("900.00"), D("0")),
        ("settle", 0, 0, 0, D("0.5")),
        ("auto", 0, AutoMatchRule.OLDEST_DUE),
        ("undo", 0),
        ("cancel", 1),
        ("auto", 0, AutoMatchRule.REFERENCE),
        ("receipt", 0, D("600.00"), D("0")),
        ("refund", 0, D("0.5")),
        ("refund", 0, D("1")),
        ("refund_cancel", 0),
        ("invoice", 0, D("2260.00")),
        ("invoice", 0, D("339.00")),
        ("red", 3),
        ("auto", 0, AutoMatchRule.OLDEST_DUE),
        ("write_off", 0, D("0.5")),
        ("write_off", 0, D("1")),
        ("recover", 0, D("0.5")),
        ("writeoff_reverse", 1),
    ]
    for step, op in enumerate(ops):
        play(parts, step, op)
    assert Settlement.objects.filter(undone_on__isnull=False).exists()
    assert Receipt.objects.filter(status=ReceiptStatus.CANCELLED).exists()
    assert Settlement.objects.filter(undone_on__isnull=True).exists()
    assert Refund.objects.filter(status=ReceiptStatus.CANCELLED).exists()
    assert Refund.objects.filter(status=ReceiptStatus.POSTED).exists()
    assert Invoice.objects.filter(kind=InvoiceKind.RED).count() == 1
    assert WriteOff.objects.filter(status=WriteOffStatus.POSTED, recovered_amount__gt=0).exists()
    assert WriteOff.objects.filter(status=WriteOffStatus.REVERSED).exists()
    assert_invariants()
