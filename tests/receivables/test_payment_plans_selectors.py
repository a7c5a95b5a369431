"""Payment plans read: per instalment what was planned, invoiced (red letters netted) and
received (settled against those invoices), its status and days overdue; across contracts with
filters, scoped by customer, in a constant number of queries per page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from suanpan.receivables.calculations.payment_plans import (
    DUE_SOON,
    INVOICED,
    NOT_DUE,
    OVERDUE,
    RECEIVED,
    plan_figures,
)
from suanpan.receivables.choices import PlanStatus
from suanpan.receivables.selectors import payment_plan, payment_plans, plan_rows
from suanpan.receivables.services import receipt_cancel
from tests.factories import UserFactory
from tests.invoicing.manual_support import red_against
from tests.receivables.plan_support import contract_with_plan, instalment_invoiced
from tests.receivables.support import invoice_item, received

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = date(2026, 12, 1)


def _figures(row):
    f = row.figures
    return f.planned, f.invoiced, f.received, f.open, f.status, f.days_overdue


def test_partly_invoiced_and_partly_received_instalment(customer, seller, clerk):
    contract, (first, _second) = contract_with_plan(
        customer,
        owner=seller,
        plan=(("1000.00", date(2026, 12, 20)), ("500.00", date(2027, 3, 1))),
    )
    bill = instalment_invoiced(first, "600.00", maker=clerk)
    received(
        customer,
        "250.00",
        actor=clerk,
        on=date(2026, 11, 20),
        allocations=((invoice_item(bill), "250.00"),),
    )
    plan = payment_plan(contract=contract, today=TODAY)
    assert [_figures(row) for row in plan.rows] == [
        (D("1000.00"), D("600.00"), D("250.00"), D("750.00"), NOT_DUE, 0),
        (D("500.00"), D("0"), D("0"), D("500.00"), NOT_DUE, 0),
    ]
    assert (plan.planned, plan.invoiced, plan.received, plan.open) == (
        D("1500.00"),
        D("600.00"),
        D("250.00"),
        D("1250.00"),
    )


def test_a_red_letter_reduces_what_was_invoiced(customer, seller, clerk):
    contract, (instalment,) = contract_with_plan(
        customer, owner=seller, plan=(("1000.00", date(2026, 12, 20)),)
    )
    instalment_invoiced(instalment, "600.00", maker=clerk)
    wrong = instalment_invoiced(instalment, "400.00", maker=clerk)
    red_against(wrong, actor=clerk, issued_on=date(2026, 11, 13))
    (row,) = payment_plan(contract=contract, today=TODAY).rows
    assert (row.figures.invoiced, row.figures.received, row.figures.open) == (
        D("600.00"),
        D("0"),
        D("1000.00"),
    )


def test_received_in_full_and_overdue_with_its_days(customer, seller, clerk):
    contract, (paid, late) = contract_with_plan(
        customer,
        owner=seller,
        plan=(("300.00", date(2026, 11, 15)), ("700.00", date(2026, 11, 21))),
    )
    bill = instalment_invoiced(paid, "300.00", maker=clerk)
    receipt = received(
        customer,
        "300.00",
        actor=clerk,
        on=date(2026, 11, 14),
        allocations=((invoice_item(bill), "300.00"),),
    )
    instalment_invoiced(late, "700.00", maker=clerk)
    rows = payment_plan(contract=contract, today=TODAY).rows
    assert [(r.figures.status, r.figures.days_overdue) for r in rows] == [
        (RECEIVED, 0),
        (OVERDUE, 10),
    ]
    # Cancelling the receipt undoes its settlement: the money is to come again.
    receipt_cancel(receipt=receipt, reason="退票", on=date(2026, 11, 30), actor=clerk)
    rows = payment_plan(contract=contract, today=TODAY).rows
    assert (rows[0].figures.received, rows[0].figures.status) == (D("0"), OVERDUE)


@pytest.mark.parametrize(
    ("invoiced", "received", "due", "status"),
    [
        ("0", "0", date(2026, 12, 30), NOT_DUE),
        ("0", "0", date(2026, 12, 8), DUE_SOON),
        ("100.00", "0", date(2026, 12, 8), INVOICED),
        ("100.00", "40.00", date(2026, 11, 30), OVERDUE),
        ("100.00", "100.00", date(2026, 11, 30), RECEIVED),
        ("100.00", "-30.00", date(2026, 12, 30), INVOICED),
    ],
)
def test_status_of_an_instalment(invoiced, received, due, status):
    figures = plan_figures(
        planned=D("100.00"),
        invoiced=D(invoiced),
        received=D(received),
        due_on=due,
        today=TODAY,
        remind_days=7,
    )
    assert figures.status == status
    assert figures.received >= 0
    assert figures.open == D("100.00") - figures.received


def test_list_is_scoped_filtered_and_reads_a_page_in_constant_queries(
    customer, other_customer, seller, clerk, django_assert_max_num_queries
):
    today = timezone.localdate()
    _mine, mine = contract_with_plan(
        customer,
        owner=seller,
        plan=tuple((f"{100 * n}.00", today + timedelta(days=n * 3)) for n in range(1, 6)),
    )
    for instalment in mine:
        instalment_invoiced(instalment, str(instalment.amount), maker=clerk)
    contract_with_plan(other_customer, owner=UserFactory(), plan=(("900.00", date(2026, 11, 1)),))
    rows, _filterset = payment_plans(user=seller, filters={})
    assert [row.pk for row in rows] == [row.pk for row in mine]
    everything, _filterset = payment_plans(user=clerk, filters={})
    assert everything.count() == 6
    one, _filterset = payment_plans(user=clerk, filters={"contract": str(mine[0].contract_id)})
    assert one.count() == 5
    with django_assert_max_num_queries(3):
        page = plan_rows(list(rows), today=TODAY, remind_days=7)
    assert [row.figures.status for row in page] == [INVOICED] * 5
    with django_assert_max_num_queries(3):
        plan_rows(list(rows)[:1], today=TODAY, remind_days=7)
    overdue, _filterset = payment_plans(user=clerk, filters={"status": OVERDUE})
    assert [row.contract.customer_id for row in overdue] == [other_customer.pk]
    soon, _filterset = payment_plans(
        user=clerk, filters={"due_from": today.isoformat(), "q": "设备"}
    )
    assert soon.count() == 5
    assert not payment_plans(user=clerk, filters={"q": "不存在"})[0].exists()


def test_the_statuses_worked_out_are_the_choices_offered():
    assert set(PlanStatus.values) == {NOT_DUE, DUE_SOON, OVERDUE, INVOICED, RECEIVED}


def test_someone_without_receivables_sees_no_plan(customer, seller):
    contract_with_plan(customer, owner=seller, plan=(("100.00", TODAY),))
    service = UserFactory(role="customer_service")
    rows, _filterset = payment_plans(user=service, filters={})
    assert not rows.exists()
