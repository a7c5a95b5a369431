"""Opportunity and stage services: the stage rules, closing as won or lost, visibility, history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any
from unittest.mock import patch

import pytest

from suanpan.core.errors import ConflictError, PermissionDeniedError, ValidationFailed
from suanpan.sales.choices import StageOutcome
from suanpan.sales.errors import (
    LossReasonRequired,
    StageInactive,
    StageInUse,
    StageOutcomesIncomplete,
)
from suanpan.sales.models import Opportunity, OpportunityStage, Quote
from suanpan.sales.services import opportunities as services
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def stage(name: str) -> OpportunityStage:
    """One of the stages the sales migration seeds (初步接洽 10% … 赢单, 输单)."""
    return OpportunityStage.objects.get(name=name)


TODAY = date(2026, 11, 20)


@pytest.fixture
def today() -> Any:
    with patch("suanpan.sales.services.opportunities.timezone.localdate", return_value=TODAY):
        yield TODAY


def _data(customer: Any, **changes: Any) -> dict[str, Any]:
    return {
        "customer": customer,
        "title": "ERP 升级",
        "amount": Decimal("120000.00"),
        "expected_close_on": date(2026, 12, 15),
        **changes,
    }


# Stages -----------------------------------------------------------------------------------------


def test_stage_create_appends_at_the_end_when_valid(manager: User) -> None:
    last = OpportunityStage.objects.order_by("-position").first()
    assert last is not None

    made = services.stage_create(
        actor=manager,
        data={"name": "样品试用", "probability": Decimal("0.6"), "outcome": StageOutcome.OPEN},
    )

    assert made.position > last.position
    assert made.probability == Decimal("0.6")


def test_stage_create_refuses_probability_outside_0_to_100_percent(manager: User) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.stage_create(actor=manager, data={"name": "过高", "probability": Decimal("1.5")})

    assert "probability" in caught.value.fields


def test_stage_create_refuses_a_taken_name(manager: User) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.stage_create(actor=manager, data={"name": "谈判", "probability": Decimal("0.7")})

    assert "name" in caught.value.fields


def test_stage_create_accepts_a_name_that_differs_only_in_case(manager: User) -> None:
    services.stage_create(actor=manager, data={"name": "Demo", "probability": Decimal("0.2")})

    services.stage_create(actor=manager, data={"name": "demo", "probability": Decimal("0.2")})

    assert OpportunityStage.objects.filter(name__in=["Demo", "demo"]).count() == 2


def test_stage_create_refused_when_salesperson(sales_user: User) -> None:
    with pytest.raises(PermissionDeniedError):
        services.stage_create(actor=sales_user, data={"name": "X", "probability": Decimal("0.2")})


@pytest.mark.parametrize("name", ["赢单", "输单"])
def test_stage_deactivate_refused_when_last_active_of_its_outcome(manager: User, name: str) -> None:
    with pytest.raises(StageOutcomesIncomplete):
        services.stage_deactivate(actor=manager, stage=stage(name))

    assert stage(name).is_active


def test_stage_deactivate_refused_when_last_open_stage(manager: User) -> None:
    open_stages = list(OpportunityStage.objects.filter(outcome=StageOutcome.OPEN))
    for item in open_stages[:-1]:
        services.stage_deactivate(actor=manager, stage=item)

    with pytest.raises(StageOutcomesIncomplete):
        services.stage_deactivate(actor=manager, stage=open_stages[-1])


def test_stage_update_refuses_turning_the_only_won_stage_into_open(manager: User) -> None:
    with pytest.raises(StageOutcomesIncomplete):
        services.stage_update(actor=manager, stage=stage("赢单"), data={"outcome": "open"})


def test_stage_deactivate_allowed_when_another_stage_has_the_outcome(manager: User) -> None:
    services.stage_create(
        actor=manager, data={"name": "赢单(框架)", "probability": Decimal(1), "outcome": "won"}
    )

    services.stage_deactivate(actor=manager, stage=stage("赢单"))

    assert not stage("赢单").is_active


def test_stage_move_swaps_neighbours_and_renumbers(manager: User) -> None:
    names = list(OpportunityStage.objects.values_list("name", flat=True))

    services.stage_move(actor=manager, stage=stage(names[1]), direction="up")

    order = list(OpportunityStage.objects.order_by("position").values_list("name", "position"))
    assert [n for n, _ in order][:2] == [names[1], names[0]]
    assert [p for _, p in order] == [10 * (i + 1) for i in range(len(order))]


def test_stage_move_keeps_the_first_stage_first_when_moved_up(manager: User) -> None:
    first = OpportunityStage.objects.order_by("position").first()
    assert first is not None

    services.stage_move(actor=manager, stage=first, direction="up")

    assert OpportunityStage.objects.order_by("position").first() == first


def test_stage_delete_refused_when_it_holds_opportunities(manager: User, sales_user: User) -> None:
    customer = CustomerFactory(owner=sales_user)
    services.opportunity_create(actor=sales_user, data=_data(customer, stage=stage("谈判")))

    with pytest.raises(StageInUse):
        services.stage_delete(actor=manager, stage=stage("谈判"))


def test_stage_delete_removes_an_unused_stage(manager: User) -> None:
    made = services.stage_create(actor=manager, data={"name": "多余", "probability": Decimal(0)})

    services.stage_delete(actor=manager, stage=made)

    assert not OpportunityStage.objects.filter(pk=made.pk).exists()


def test_stage_outcome_change_refused_when_it_holds_opportunities(
    manager: User, sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)
    services.opportunity_create(actor=sales_user, data=_data(customer, stage=stage("谈判")))

    with pytest.raises(ValidationFailed) as caught:
        services.stage_update(actor=manager, stage=stage("谈判"), data={"outcome": "won"})

    assert "outcome" in caught.value.fields


# Opportunities ----------------------------------------------------------------------------------


def test_opportunity_create_defaults_owner_and_first_open_stage(sales_user: User) -> None:
    customer = CustomerFactory(owner=sales_user)

    opportunity = services.opportunity_create(actor=sales_user, data=_data(customer))

    assert opportunity.owner == sales_user
    assert opportunity.stage.name == "初步接洽"
    assert opportunity.closed_on is None
    assert opportunity.history.get().history_user == sales_user


def test_opportunity_create_refused_when_customer_not_visible(sales_user: User) -> None:
    stranger = CustomerFactory()

    with pytest.raises(ValidationFailed) as caught:
        services.opportunity_create(actor=sales_user, data=_data(stranger))

    assert "customer" in caught.value.fields
    assert not Opportunity.objects.exists()


def test_opportunity_create_refuses_negative_amount(sales_user: User) -> None:
    customer = CustomerFactory(owner=sales_user)

    with pytest.raises(ValidationFailed) as caught:
        services.opportunity_create(actor=sales_user, data=_data(customer, amount=Decimal("-1")))

    assert "amount" in caught.value.fields


def test_opportunity_create_requires_expected_close_date(sales_user: User) -> None:
    customer = CustomerFactory(owner=sales_user)

    with pytest.raises(ValidationFailed) as caught:
        services.opportunity_create(actor=sales_user, data=_data(customer, expected_close_on=None))

    assert "expected_close_on" in caught.value.fields


def test_opportunity_create_refuses_an_inactive_stage(manager: User, sales_user: User) -> None:
    services.stage_deactivate(actor=manager, stage=stage("谈判"))
    customer = CustomerFactory(owner=sales_user)

    with pytest.raises(StageInactive):
        services.opportunity_create(actor=sales_user, data=_data(customer, stage=stage("谈判")))


def test_opportunity_create_refuses_someone_else_as_owner_when_salesperson(
    sales_user: User, make_user: Callable[..., User]
) -> None:
    colleague = make_user(Role.SALES)
    customer = CustomerFactory(owner=sales_user)

    with pytest.raises(ValidationFailed) as caught:
        services.opportunity_create(actor=sales_user, data=_data(customer, owner=colleague))

    assert "owner" in caught.value.fields


def test_opportunity_create_assigns_owner_when_manager(manager: User, sales_user: User) -> None:
    customer = CustomerFactory(owner=sales_user)

    opportunity = services.opportunity_create(actor=manager, data=_data(customer, owner=sales_user))

    assert opportunity.owner == sales_user


def test_opportunity_stage_move_closes_when_won(sales_user: User, today: date) -> None:
    opportunity = services.opportunity_create(
        actor=sales_user, data=_data(CustomerFactory(owner=sales_user))
    )

    moved = services.opportunity_stage_move(
        actor=sales_user, opportunity=opportunity, stage=stage("赢单")
    )

    assert moved.closed_on == date(2026, 11, 20)
    assert moved.stage.outcome == StageOutcome.WON


def test_opportunity_stage_move_to_lost_requires_a_reason(sales_user: User) -> None:
    opportunity = services.opportunity_create(
        actor=sales_user, data=_data(CustomerFactory(owner=sales_user))
    )

    with pytest.raises(LossReasonRequired) as caught:
        services.opportunity_stage_move(
            actor=sales_user, opportunity=opportunity, stage=stage("输单"), loss_reason="  "
        )

    assert "loss_reason" in caught.value.fields
    opportunity.refresh_from_db()
    assert opportunity.stage.name == "初步接洽"


def test_opportunity_stage_move_to_lost_records_reason_and_close_date(
    sales_user: User, today: date
) -> None:
    opportunity = services.opportunity_create(
        actor=sales_user, data=_data(CustomerFactory(owner=sales_user))
    )

    moved = services.opportunity_stage_move(
        actor=sales_user, opportunity=opportunity, stage=stage("输单"), loss_reason="价格太高"
    )

    assert (moved.loss_reason, moved.closed_on) == ("价格太高", date(2026, 11, 20))


def test_opportunity_stage_move_back_to_open_reopens(sales_user: User) -> None:
    opportunity = services.opportunity_create(
        actor=sales_user, data=_data(CustomerFactory(owner=sales_user))
    )
    services.opportunity_stage_move(
        actor=sales_user, opportunity=opportunity, stage=stage("输单"), loss_reason="预算取消"
    )

    reopened = services.opportunity_stage_move(
        actor=sales_user, opportunity=opportunity, stage=stage("谈判")
    )

    assert reopened.closed_on is None
    assert reopened.loss_reason == ""
    assert reopened.history.count() == 3


def test_opportunity_stage_move_refuses_an_inactive_stage(manager: User, sales_user: User) -> None:
    opportunity = services.opportunity_create(
        actor=sales_user, data=_data(CustomerFactory(owner=sales_user))
    )
    services.stage_deactivate(actor=manager, stage=stage("谈判"))

    with pytest.raises(StageInactive):
        services.opportunity_stage_move(
            actor=sales_user, opportunity=opportunity, stage=stage("谈判")
        )


def test_opportunity_stage_move_refused_when_customer_no_longer_visible(
    sales_user: User, make_user: Callable[..., User]
) -> None:
    customer = CustomerFactory(owner=sales_user)
    opportunity = services.opportunity_create(actor=sales_user, data=_data(customer))
    customer.owner = make_user(Role.SALES)
    customer.save()

    with pytest.raises(ValidationFailed):
        services.opportunity_stage_move(
            actor=sales_user, opportunity=opportunity, stage=stage("谈判")
        )


def test_opportunity_update_changes_fields_and_closes_on_won_stage(sales_user: User) -> None:
    opportunity = services.opportunity_create(
        actor=sales_user, data=_data(CustomerFactory(owner=sales_user))
    )

    updated = services.opportunity_update(
        actor=sales_user,
        opportunity=opportunity,
        data={"amount": Decimal("99.99"), "stage": stage("赢单"), "next_step": "签合同"},
    )

    assert updated.amount == Decimal("99.99")
    assert updated.closed_on is not None
    last = updated.history.first()
    assert last is not None and last.history_user == sales_user


def test_opportunity_update_refuses_moving_to_an_invisible_customer(sales_user: User) -> None:
    opportunity = services.opportunity_create(
        actor=sales_user, data=_data(CustomerFactory(owner=sales_user))
    )

    with pytest.raises(ValidationFailed) as caught:
        services.opportunity_update(
            actor=sales_user, opportunity=opportunity, data={"customer": CustomerFactory()}
        )

    assert "customer" in caught.value.fields


def test_opportunity_update_refuses_unknown_fields(sales_user: User) -> None:
    opportunity = services.opportunity_create(
        actor=sales_user, data=_data(CustomerFactory(owner=sales_user))
    )

    with pytest.raises(ValidationFailed) as caught:
        services.opportunity_update(
            actor=sales_user, opportunity=opportunity, data={"closed_on": date(2026, 1, 1)}
        )

    assert "closed_on" in caught.value.fields


def test_opportunity_delete_by_owner(sales_user: User) -> None:
    opportunity = services.opportunity_create(
        actor=sales_user, data=_data(CustomerFactory(owner=sales_user))
    )

    services.opportunity_delete(actor=sales_user, opportunity=opportunity)

    assert not Opportunity.objects.exists()


def test_opportunity_delete_refused_when_neither_owner_nor_manager(
    manager: User, sales_user: User, make_user: Callable[..., User]
) -> None:
    customer = CustomerFactory(owner=sales_user)
    colleague = make_user(Role.SALES)
    customer.shared_with.add(colleague)
    opportunity = services.opportunity_create(actor=sales_user, data=_data(customer))

    with pytest.raises(PermissionDeniedError):
        services.opportunity_delete(actor=colleague, opportunity=opportunity)

    services.opportunity_delete(actor=manager, opportunity=opportunity)
    assert not Opportunity.objects.exists()


def test_opportunity_delete_refused_when_it_has_quotes(sales_user: User) -> None:
    customer = CustomerFactory(owner=sales_user)
    opportunity = services.opportunity_create(actor=sales_user, data=_data(customer))
    Quote.objects.create(
        number="BJ-TEST-1",
        customer=customer,
        opportunity=opportunity,
        quoted_on=date(2026, 11, 1),
        valid_until=date(2026, 11, 30),
        owner=sales_user,
    )

    with pytest.raises(ConflictError):
        services.opportunity_delete(actor=sales_user, opportunity=opportunity)

    assert Opportunity.objects.filter(pk=opportunity.pk).exists()
