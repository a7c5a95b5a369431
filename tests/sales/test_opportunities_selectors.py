"""Opportunity selectors: visibility, the board, and the weighted pipeline's maths and queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404

from suanpan.customers.models import Customer
from suanpan.sales.models import Opportunity, OpportunityStage
from suanpan.sales.selectors import opportunities as selectors
from suanpan.sales.selectors.opportunities import PipelineMonth
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def stage(name: str) -> OpportunityStage:
    return OpportunityStage.objects.get(name=name)


def opp(
    customer: Customer,
    amount: str,
    close: date,
    *,
    stage_name: str = "谈判",
    owner: User | None = None,
    **fields: Any,
) -> Opportunity:
    """An opportunity written straight to the database: selectors are tested, not services."""
    return Opportunity.objects.create(
        customer=customer,
        title=f"商机 {amount}",
        amount=Decimal(amount),
        expected_close_on=close,
        stage=stage(stage_name),
        owner=owner or customer.owner,
        **fields,
    )


# Visibility -------------------------------------------------------------------------------------


def test_opportunity_visible_follows_the_customer_when_salesperson(
    sales_user: User, make_user: Callable[..., User]
) -> None:
    own = opp(CustomerFactory(owner=sales_user), "1.00", date(2026, 12, 1))
    shared_customer = CustomerFactory()
    shared_customer.shared_with.add(sales_user)
    shared = opp(shared_customer, "2.00", date(2026, 12, 1))
    # Owned by the salesperson, but on a customer they no longer see.
    opp(CustomerFactory(), "3.00", date(2026, 12, 1), owner=sales_user)

    visible = set(selectors.opportunity_visible(user=sales_user))

    assert visible == {own, shared}


def test_opportunity_visible_is_everything_when_manager(manager: User) -> None:
    made = [opp(CustomerFactory(), "1.00", date(2026, 12, 1)) for _ in range(3)]

    assert set(selectors.opportunity_visible(user=manager)) == set(made)


def test_opportunity_visible_is_nothing_without_the_permission(
    make_user: Callable[..., User],
) -> None:
    opp(CustomerFactory(), "1.00", date(2026, 12, 1))
    nobody = make_user(None)

    assert not selectors.opportunity_visible(user=nobody).exists()


def test_opportunity_get_answers_404_when_customer_not_visible(sales_user: User) -> None:
    other = opp(CustomerFactory(), "1.00", date(2026, 12, 1))

    with pytest.raises(Http404):
        selectors.opportunity_get(user=sales_user, pk=other.pk)


def test_opportunity_list_filters_by_outcome_and_close_range(manager: User) -> None:
    customer = CustomerFactory()
    inside = opp(customer, "1.00", date(2026, 12, 10))
    opp(customer, "1.00", date(2027, 1, 10))
    opp(customer, "1.00", date(2026, 12, 10), stage_name="赢单")

    rows, filterset = selectors.opportunity_list(
        user=manager,
        filters={"outcome": "open", "close_after": "2026-12-01", "close_before": "2026-12-31"},
    )

    assert filterset.is_valid()
    assert list(rows) == [inside]


def test_opportunity_list_searches_customer_pinyin_and_title(manager: User) -> None:
    xiaomi = CustomerFactory(name="北京小米科技有限责任公司")
    wanted = opp(xiaomi, "1.00", date(2026, 12, 10))
    titled = opp(CustomerFactory(), "1.00", date(2026, 12, 11), next_step="")
    titled.title = "小米手环集采"
    titled.save()
    opp(CustomerFactory(), "1.00", date(2026, 12, 12))

    by_initials, _ = selectors.opportunity_list(user=manager, filters={"q": "bjxm"})
    by_title, _ = selectors.opportunity_list(user=manager, filters={"q": "手环"})

    assert list(by_initials) == [wanted]
    assert list(by_title) == [titled]


def test_opportunity_list_refuses_a_malformed_month(manager: User) -> None:
    opp(CustomerFactory(), "1.00", date(2026, 12, 10))

    rows, filterset = selectors.opportunity_list(
        user=manager, filters={"close_month_from": "12/26"}
    )

    assert not filterset.is_valid()
    assert "close_month_from" in filterset.errors
    assert not rows.exists()


# Board ------------------------------------------------------------------------------------------


def test_opportunity_board_columns_follow_active_stages_with_totals(manager: User) -> None:
    customer = CustomerFactory()
    opp(customer, "100.00", date(2026, 12, 1), stage_name="谈判")
    opp(customer, "0.05", date(2026, 12, 2), stage_name="谈判")
    opp(customer, "50.00", date(2026, 12, 3), stage_name="赢单")
    inactive = OpportunityStage.objects.create(
        name="停用", probability=Decimal("0.2"), position=5, is_active=False
    )

    columns, _ = selectors.opportunity_board(user=manager)

    assert [c.stage.name for c in columns] == list(
        OpportunityStage.objects.filter(is_active=True).values_list("name", flat=True)
    )
    assert inactive not in [c.stage for c in columns]
    negotiation = next(c for c in columns if c.stage.name == "谈判")
    assert (negotiation.count, negotiation.amount) == (2, Decimal("100.05"))
    # 100.05 × 70 % = 70.035 → 70.04 (half up)
    assert negotiation.weighted_amount == Decimal("70.04")
    assert [c.amount for c in negotiation.cards] == [Decimal("100.00"), Decimal("0.05")]


def test_opportunity_board_caps_cards_but_counts_them_all(
    manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "BOARD_CARDS_PER_COLUMN", 2)
    customer = CustomerFactory()
    for day in range(1, 6):
        opp(customer, "1.00", date(2026, 12, day))

    columns, _ = selectors.opportunity_board(user=manager)

    negotiation = next(c for c in columns if c.stage.name == "谈判")
    assert (negotiation.count, len(negotiation.cards), negotiation.hidden) == (5, 2, 3)
    assert [c.expected_close_on.day for c in negotiation.cards] == [1, 2]


def test_opportunity_board_shows_the_latest_first_in_won_columns(manager: User) -> None:
    customer = CustomerFactory()
    earlier = opp(customer, "1.00", date(2026, 3, 1), stage_name="赢单", closed_on=date(2026, 3, 1))
    later = opp(customer, "2.00", date(2026, 9, 1), stage_name="赢单", closed_on=date(2026, 9, 1))

    columns, _ = selectors.opportunity_board(user=manager)

    won = next(c for c in columns if c.stage.name == "赢单")
    assert won.cards == [later, earlier]


def test_opportunity_board_queries_do_not_grow_with_the_data(
    manager: User, django_assert_num_queries: Any
) -> None:
    customer = CustomerFactory()
    manager.has_perm("sales.view_opportunity")  # permissions cached, as after the first page
    for name in OpportunityStage.objects.values_list("name", flat=True):
        opp(customer, "1.00", date(2026, 12, 1), stage_name=name, loss_reason="x")
    stages = OpportunityStage.objects.filter(is_active=True).count()
    # The stages, one aggregate, one query per column.
    with django_assert_num_queries(2 + stages):
        selectors.opportunity_board(user=manager)
    for day in range(1, 20):
        opp(customer, "1.00", date(2026, 12, day), stage_name="初步接洽")

    with django_assert_num_queries(2 + stages):
        columns, _ = selectors.opportunity_board(user=manager)
        for column in columns:
            for card in column.cards:
                str(card.customer.name) + str(card.owner)


# Weighted pipeline ------------------------------------------------------------------------------


def test_pipeline_by_month_lists_every_month_with_sums(manager: User) -> None:
    customer = CustomerFactory()
    opp(customer, "1000.00", date(2026, 11, 30), stage_name="初步接洽")  # 10 %
    opp(customer, "2000.00", date(2026, 11, 1), stage_name="谈判")  # 70 %
    opp(customer, "500.00", date(2027, 1, 31), stage_name="方案报价")  # 50 %

    rows = selectors.pipeline_by_month(user=manager, start=date(2026, 11, 17), months=3)

    assert rows == [
        PipelineMonth(date(2026, 11, 1), 2, Decimal("3000.00"), Decimal("1500.00")),
        PipelineMonth(date(2026, 12, 1), 0, Decimal("0.00"), Decimal("0.00")),
        PipelineMonth(date(2027, 1, 1), 1, Decimal("500.00"), Decimal("250.00")),
    ]


def test_pipeline_by_month_leaves_out_closed_out_of_range_and_invisible(
    sales_user: User,
) -> None:
    own = CustomerFactory(owner=sales_user)
    opp(own, "10.00", date(2026, 12, 5))
    opp(own, "20.00", date(2026, 12, 5), stage_name="赢单")
    opp(own, "30.00", date(2026, 12, 5), stage_name="输单", loss_reason="价格")
    opp(own, "40.00", date(2026, 11, 30))  # before the start month
    opp(own, "50.00", date(2027, 1, 1))  # after the last month
    opp(CustomerFactory(), "60.00", date(2026, 12, 5))  # a customer the user does not see

    rows = selectors.pipeline_by_month(user=sales_user, start=date(2026, 12, 1), months=1)

    assert rows == [PipelineMonth(date(2026, 12, 1), 1, Decimal("10.00"), Decimal("7.00"))]


def test_pipeline_by_month_rounds_each_month_and_stage_group_half_up(manager: User) -> None:
    customer = CustomerFactory()
    eighth = OpportunityStage.objects.create(name="八分之一", probability=Decimal("0.125"))
    half = OpportunityStage.objects.create(name="一半", probability=Decimal("0.5"))
    for amount, item in [("0.05", eighth), ("0.05", eighth), ("0.01", half)]:
        Opportunity.objects.create(
            customer=customer,
            title="t",
            amount=Decimal(amount),
            expected_close_on=date(2026, 12, 9),
            stage=item,
            owner=customer.owner,
        )

    [row] = selectors.pipeline_by_month(user=manager, start=date(2026, 12, 1), months=1)

    # Per group: 0.10 × 12.5 % = 0.0125 → 0.01, and 0.01 × 50 % = 0.005 → 0.01 (half up, not
    # to even). Rounding each opportunity instead would give 0.01 + 0.01 + 0.01 = 0.03.
    assert row == PipelineMonth(date(2026, 12, 1), 3, Decimal("0.11"), Decimal("0.02"))


def test_pipeline_by_month_sums_exactly_where_floats_drift(manager: User) -> None:
    customer = CustomerFactory()
    amounts = [Decimal("0.10"), Decimal("0.20"), Decimal("1234567.89")] * 30
    Opportunity.objects.bulk_create(
        Opportunity(
            customer=customer,
            title="t",
            amount=amount,
            expected_close_on=date(2026, 12, 9),
            stage=stage("方案报价"),
            owner=customer.owner,
        )
        for amount in amounts
    )

    [row] = selectors.pipeline_by_month(user=manager, start=date(2026, 12, 1), months=1)

    assert row.amount == sum(amounts)
    assert row.weighted_amount == Decimal("18518522.85")  # 37037045.70 × 50 %


def test_pipeline_by_month_filters_by_owner(manager: User, make_user: Callable[..., User]) -> None:
    first, second = make_user(Role.SALES), make_user(Role.SALES)
    opp(CustomerFactory(owner=first), "10.00", date(2026, 12, 5))
    opp(CustomerFactory(owner=second), "20.00", date(2026, 12, 5))

    by_user = selectors.pipeline_by_month(
        user=manager, start=date(2026, 12, 1), months=1, owner=second
    )
    by_id = selectors.pipeline_by_month(
        user=manager, start=date(2026, 12, 1), months=1, owner=second.pk
    )

    assert by_user == by_id
    assert by_user[0].amount == Decimal("20.00")


def test_pipeline_by_month_runs_one_query_whatever_the_data(
    sales_user: User, django_assert_num_queries: Any
) -> None:
    customer = CustomerFactory(owner=sales_user)
    sales_user.has_perm("sales.view_opportunity")
    opp(customer, "1.00", date(2026, 12, 1))
    with django_assert_num_queries(1):
        selectors.pipeline_by_month(user=sales_user, start=date(2026, 12, 1), months=12)
    for month in range(1, 13):
        for name in ("初步接洽", "需求确认", "谈判"):
            opp(customer, "3.33", date(2027, month, 15), stage_name=name)

    with django_assert_num_queries(1):
        rows = selectors.pipeline_by_month(user=sales_user, start=date(2026, 12, 1), months=14)

    assert sum(r.count for r in rows) == 37


def test_pipeline_by_month_is_empty_for_no_months(manager: User) -> None:
    assert selectors.pipeline_by_month(user=manager, start=date(2026, 12, 1), months=0) == []


def test_pipeline_total_adds_the_rows() -> None:
    rows = [
        PipelineMonth(date(2026, 12, 1), 2, Decimal("1.10"), Decimal("0.55")),
        PipelineMonth(date(2027, 1, 1), 1, Decimal("2.00"), Decimal("0.20")),
    ]

    assert selectors.pipeline_total(rows) == PipelineMonth(
        date(2026, 12, 1), 3, Decimal("3.10"), Decimal("0.75")
    )
    assert selectors.pipeline_total([]) is None


@pytest.mark.parametrize(
    ("probability", "shown"),
    [("0.5", "50"), ("0.125", "12.5"), ("1", "100"), ("0", "0"), ("0.3333", "33.33")],
)
def test_percent_shows_probabilities_without_trailing_zeros(probability: str, shown: str) -> None:
    assert str(selectors.percent(Decimal(probability))) == shown


def test_customer_tab_context_counts_and_sums_open(sales_user: User) -> None:
    customer = CustomerFactory(owner=sales_user)
    opp(customer, "10.00", date(2026, 12, 5))
    opp(customer, "20.00", date(2026, 12, 6), stage_name="赢单")

    context = selectors.customer_tab_context(sales_user, customer, {})

    assert context["opportunities_count"] == 2
    assert context["opportunities_open_amount"] == Decimal("10.00")
    assert len(context["opportunities"]) == 2


# History ----------------------------------------------------------------------------------------


def test_opportunity_history_names_stage_owner_and_customer(
    sales_user: User, make_user: Callable[..., User]
) -> None:
    first, second = CustomerFactory(owner=sales_user, name="甲公司"), CustomerFactory(name="乙公司")
    opportunity = opp(first, "10.00", date(2026, 12, 1))
    other = make_user(Role.SALES)
    opportunity.stage = stage("赢单")
    opportunity.owner = other
    opportunity.customer = second
    opportunity.save()

    changed, created = selectors.opportunity_history(opportunity=opportunity)

    changes = {c["field"]: (c["old"], c["new"]) for c in changed["changes"]}
    assert changes["stage"] == ("谈判", "赢单")
    assert changes["owner"] == (str(sales_user), str(other))
    assert changes["customer"] == ("甲公司", "乙公司")
    assert created["type"] == "+" and created["changes"] == []
