"""/api/v1/opportunities and /api/v1/opportunity-stages: reads, writes, rules and permissions."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suanpan.customers.models import Customer
from suanpan.sales.models import Opportunity, OpportunityStage
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/opportunities"
STAGES = "/api/v1/opportunity-stages"


def stage(name: str) -> OpportunityStage:
    return OpportunityStage.objects.get(name=name)


def opp(customer: Customer, amount: str = "1000.00", *, stage_name: str = "谈判") -> Opportunity:
    return Opportunity.objects.create(
        customer=customer,
        title=f"商机 {amount}",
        amount=Decimal(amount),
        expected_close_on=date(2026, 12, 15),
        stage=stage(stage_name),
        owner=customer.owner,
    )


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def _patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


# Reads ------------------------------------------------------------------------------------------


def test_list_shows_only_opportunities_of_visible_customers(
    sales: Client, sales_user: User
) -> None:
    mine = opp(CustomerFactory(owner=sales_user), "1000.00")
    opp(CustomerFactory(), "5.00")

    body = sales.get(URL).json()

    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == mine.pk
    assert (item["stage_name"], item["outcome"]) == ("谈判", "open")
    assert Decimal(item["weighted_amount"]) == Decimal("700.00")


def test_list_filters_and_sorts(sales: Client, sales_user: User) -> None:
    customer = CustomerFactory(owner=sales_user)
    small, large = opp(customer, "1.00"), opp(customer, "9.00")
    opp(customer, "5.00", stage_name="赢单")

    body = sales.get(URL, {"outcome": "open", "ordering": "-amount"}).json()

    assert [i["id"] for i in body["items"]] == [large.pk, small.pk]


def test_list_reports_an_unknown_ordering(sales: Client) -> None:
    response = sales.get(URL, {"ordering": "secret"})

    assert response.status_code == 422
    assert "ordering" in response.json()["fields"]


def test_list_queries_do_not_grow_with_rows(sales: Client, sales_user: User) -> None:
    opp(CustomerFactory(owner=sales_user))
    sales.get(URL)
    with CaptureQueriesContext(connection) as few:
        sales.get(URL)
    for i in range(10):
        opp(CustomerFactory(owner=sales_user), f"{i}.00")

    with CaptureQueriesContext(connection) as many:
        assert sales.get(URL).json()["count"] == 11

    assert len(many) == len(few)


def test_get_answers_404_for_an_invisible_customer(sales: Client) -> None:
    other = opp(CustomerFactory())

    response = sales.get(f"{URL}/{other.pk}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_pipeline_by_month_with_totals(api_client: Callable[[User], Client], manager: User) -> None:
    customer = CustomerFactory()
    opp(customer, "1000.00")
    opp(customer, "300.00", stage_name="初步接洽")

    body = api_client(manager).get(f"{URL}/pipeline", {"start": "2026-11-05", "months": 2}).json()

    assert [m["month"] for m in body["months"]] == ["2026-11-01", "2026-12-01"]
    december = body["months"][1]
    assert december["count"] == 2
    assert Decimal(december["weighted_amount"]) == Decimal("730.00")
    assert Decimal(body["total"]["amount"]) == Decimal("1300.00")


def test_pipeline_refuses_too_many_months(sales: Client) -> None:
    assert sales.get(f"{URL}/pipeline", {"months": 0}).status_code == 422


# Writes -----------------------------------------------------------------------------------------


def test_create_defaults_stage_and_owner(sales: Client, sales_user: User) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = _post(
        sales,
        URL,
        {
            "customer_id": customer.pk,
            "title": "ERP",
            "amount": "12345.60",
            "expected_close_on": "2026-12-31",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["stage_name"], body["owner_id"]) == ("初步接洽", sales_user.pk)
    assert Decimal(body["amount"]) == Decimal("12345.60")


def test_create_refuses_an_invisible_customer_on_its_field(sales: Client) -> None:
    response = _post(
        sales,
        URL,
        {"customer_id": CustomerFactory().pk, "title": "x", "expected_close_on": "2026-12-31"},
    )

    assert response.status_code == 422
    assert "customer_id" in response.json()["fields"]


def test_create_refuses_a_negative_amount(sales: Client, sales_user: User) -> None:
    response = _post(
        sales,
        URL,
        {
            "customer_id": CustomerFactory(owner=sales_user).pk,
            "title": "x",
            "amount": "-1",
            "expected_close_on": "2026-12-31",
        },
    )

    assert response.status_code == 422
    assert "amount" in response.json()["fields"]


def test_patch_changes_only_given_fields(sales: Client, sales_user: User) -> None:
    opportunity = opp(CustomerFactory(owner=sales_user))

    body = _patch(sales, f"{URL}/{opportunity.pk}", {"next_step": "报价"}).json()

    assert body["next_step"] == "报价"
    assert body["title"] == opportunity.title


def test_move_to_lost_needs_a_reason_then_closes(sales: Client, sales_user: User) -> None:
    opportunity = opp(CustomerFactory(owner=sales_user))
    lost = stage("输单").pk

    refused = _post(sales, f"{URL}/{opportunity.pk}/move", {"stage_id": lost})
    moved = _post(sales, f"{URL}/{opportunity.pk}/move", {"stage_id": lost, "loss_reason": "价格"})

    assert refused.status_code == 422
    assert refused.json()["code"] == "loss_reason_required"
    assert moved.status_code == 200
    assert (moved.json()["outcome"], moved.json()["loss_reason"]) == ("lost", "价格")
    assert moved.json()["closed_on"] is not None


def test_create_keeps_the_close_date_given_for_a_won_deal(sales: Client, sales_user: User) -> None:
    """History is entered with the day it was won, not today."""
    response = _post(
        sales,
        URL,
        {
            "customer_id": CustomerFactory(owner=sales_user).pk,
            "title": "2023 年项目",
            "expected_close_on": "2023-05-31",
            "stage_id": stage("赢单").pk,
            "closed_on": "2023-06-12",
        },
    )

    assert response.status_code == 201, response.content
    assert response.json()["closed_on"] == "2023-06-12"


def test_patch_sets_the_close_date_of_a_lost_deal(sales: Client, sales_user: User) -> None:
    opportunity = opp(CustomerFactory(owner=sales_user), stage_name="输单")
    Opportunity.objects.filter(pk=opportunity.pk).update(loss_reason="价格", closed_on=date.today())

    body = _patch(sales, f"{URL}/{opportunity.pk}", {"closed_on": "2024-02-29"}).json()

    assert body["closed_on"] == "2024-02-29"


@pytest.mark.parametrize(
    ("stage_name", "closed_on"), [("赢单", "2999-01-01"), ("谈判", "2024-01-01")]
)
def test_create_refuses_a_future_close_date_or_one_for_an_open_deal(
    sales: Client, sales_user: User, stage_name: str, closed_on: str
) -> None:
    response = _post(
        sales,
        URL,
        {
            "customer_id": CustomerFactory(owner=sales_user).pk,
            "title": "x",
            "expected_close_on": "2026-12-31",
            "stage_id": stage(stage_name).pk,
            "closed_on": closed_on,
        },
    )

    assert response.status_code == 422
    assert "closed_on" in response.json()["fields"]
    assert not Opportunity.objects.filter(title="x").exists()


def test_move_to_an_unknown_stage_is_a_field_error(sales: Client, sales_user: User) -> None:
    opportunity = opp(CustomerFactory(owner=sales_user))

    response = _post(sales, f"{URL}/{opportunity.pk}/move", {"stage_id": 999999})

    assert response.status_code == 422
    assert "stage_id" in response.json()["fields"]


def test_delete_by_owner_answers_204(sales: Client, sales_user: User) -> None:
    opportunity = opp(CustomerFactory(owner=sales_user))

    response = sales.delete(f"{URL}/{opportunity.pk}")

    assert response.status_code == 204
    assert not Opportunity.objects.exists()


def test_writes_forbidden_when_read_only(
    api_client: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    service = api_client(make_user(Role.CUSTOMER_SERVICE))
    opportunity = opp(CustomerFactory())

    assert service.get(f"{URL}/{opportunity.pk}").status_code == 200
    assert _patch(service, f"{URL}/{opportunity.pk}", {"title": "x"}).status_code == 403
    assert service.delete(f"{URL}/{opportunity.pk}").status_code == 403


# Stages -----------------------------------------------------------------------------------------


def test_stage_list_in_order_with_counts(sales: Client, sales_user: User) -> None:
    opp(CustomerFactory(owner=sales_user))

    body = sales.get(STAGES).json()

    assert [s["name"] for s in body][:2] == ["初步接洽", "需求确认"]
    assert next(s for s in body if s["name"] == "谈判")["opportunity_count"] == 1


def test_stage_create_and_patch_when_manager(
    api_client: Callable[[User], Client], manager: User
) -> None:
    client = api_client(manager)

    created = _post(client, STAGES, {"name": "试用", "probability": "0.4"})
    patched = _patch(client, f"{STAGES}/{created.json()['id']}", {"probability": "0.45"})

    assert created.status_code == 201
    assert Decimal(patched.json()["probability"]) == Decimal("0.45")


def test_stage_patch_refuses_deactivating_the_last_lost_stage(
    api_client: Callable[[User], Client], manager: User
) -> None:
    response = _patch(api_client(manager), f"{STAGES}/{stage('输单').pk}", {"is_active": False})

    assert response.status_code == 422
    assert response.json()["code"] == "stage_outcomes_incomplete"


def test_stage_create_forbidden_when_salesperson(sales: Client) -> None:
    response = _post(sales, STAGES, {"name": "试用", "probability": "0.4"})

    assert response.status_code == 403


def test_stage_create_refuses_a_probability_above_one(
    api_client: Callable[[User], Client], manager: User
) -> None:
    response = _post(api_client(manager), STAGES, {"name": "试用", "probability": "40"})

    assert response.status_code == 422


@pytest.mark.parametrize("start", ["9999-12-01", "9999-12-31", "0001-01-01"])
def test_pipeline_refuses_start_at_the_calendar_ends(sales: Client, start: str) -> None:
    response = sales.get(f"{URL}/pipeline", {"start": start, "months": 60})

    assert response.status_code == 422
    assert response.json()["code"] == "date_out_of_range"
    assert list(response.json()["fields"]) == ["start"]


def test_pipeline_months_stop_at_the_end_of_the_calendar(manager: User) -> None:
    from suanpan.sales.selectors.opportunities import pipeline_by_month

    customer = CustomerFactory()
    far = opp(customer, "500.00")
    Opportunity.objects.filter(pk=far.pk).update(expected_close_on=date(9999, 12, 31))

    rows = pipeline_by_month(user=manager, start=date(9999, 11, 20), months=12)

    assert [row.month for row in rows] == [date(9999, 11, 1), date(9999, 12, 1)]
    assert rows[1].count == 1 and rows[1].amount == Decimal("500.00")


def test_opportunity_list_filters_up_to_december_9999(manager: User) -> None:
    from suanpan.sales.selectors.opportunities import opportunity_list

    customer = CustomerFactory()
    listed = opp(customer)

    rows, _filterset = opportunity_list(user=manager, filters={"close_month_to": "9999-12"})

    assert [row.pk for row in rows] == [listed.pk]
