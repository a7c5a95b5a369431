"""Opportunity pages: the board and its htmx moves, list, detail, forms, forecast and stages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suanpan.customers.models import Customer
from suanpan.sales.models import Opportunity, OpportunityStage
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def stage(name: str) -> OpportunityStage:
    return OpportunityStage.objects.get(name=name)


def opp(
    customer: Customer, amount: str = "1000.00", *, stage_name: str = "谈判", **fields: Any
) -> Opportunity:
    return Opportunity.objects.create(
        customer=customer,
        title=fields.pop("title", f"商机 {amount}"),
        amount=Decimal(amount),
        expected_close_on=fields.pop("expected_close_on", date(2026, 12, 15)),
        stage=stage(stage_name),
        owner=fields.pop("owner", customer.owner),
        **fields,
    )


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# Board ------------------------------------------------------------------------------------------


def test_sales_home_is_the_board(signed_in: Callable[[User], Client], sales_user: User) -> None:
    response = signed_in(sales_user).get(reverse("sales:home"))

    assert response.status_code == 200
    assert response.templates[0].name == "sales/opportunities/board.html"


def test_board_renders_columns_cards_and_totals(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user, name="北京小米科技有限责任公司")
    opp(customer, "1000.00", title="小米 ERP", next_step="下周演示")
    opp(CustomerFactory(), "9999.00", title="别人的商机")

    response = signed_in(sales_user).get(reverse("sales:opportunity_board"))

    html = response.content.decode()
    assert "小米 ERP" in html and "下周演示" in html and "北京小米科技有限责任公司" in html
    assert "别人的商机" not in html
    negotiation = next(c for c in response.context["columns"] if c.stage.name == "谈判")
    assert (negotiation.count, negotiation.weighted_amount) == (1, Decimal("700.00"))
    assert "700.00" in html
    assert reverse("sales:pipeline_forecast") in html
    assert "vendor/sortablejs/Sortable.min.js" in html


def test_board_filters_by_month_range_and_answers_the_fragment_to_htmx(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    customer = CustomerFactory()
    opp(customer, title="十二月", expected_close_on=date(2026, 12, 31))
    opp(customer, title="一月", expected_close_on=date(2027, 1, 1))

    response = signed_in(manager).get(
        reverse("sales:opportunity_board"),
        {"close_month_from": "2026-12", "close_month_to": "2026-12"},
        **HTMX,
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"')
    assert "十二月" in html and "一月" not in html


def test_board_drag_move_via_htmx_answers_the_board_with_the_card_moved(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)
    opportunity = opp(customer, stage_name="初步接洽", title="云服务")
    opp(customer, title="硬件采购")

    response = signed_in(sales_user).post(
        reverse("sales:opportunity_move", args=[opportunity.pk]),
        {"stage": stage("谈判").pk},
        HTTP_HX_CURRENT_URL="http://testserver/sales/pipeline/?q=%E4%BA%91",
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="board"')
    opportunity.refresh_from_db()
    assert opportunity.stage.name == "谈判"
    # The board came back with the filters of the page the card was dragged on (q=云).
    assert "云服务" in html and "硬件采购" not in html
    assert "alert-danger" not in html


def test_board_move_into_lost_asks_for_the_reason_before_saving(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    opportunity = opp(CustomerFactory(owner=sales_user))
    client = signed_in(sales_user)
    url = reverse("sales:opportunity_move", args=[opportunity.pk])

    asked = client.post(url, {"stage": stage("输单").pk}, **HTMX)

    opportunity.refresh_from_db()
    assert opportunity.stage.name == "谈判"
    assert 'name="loss_reason_asked"' in asked.content.decode()
    assert "alert-danger" not in asked.content.decode()

    saved = client.post(
        url,
        {"stage": stage("输单").pk, "loss_reason": "预算砍掉", "loss_reason_asked": "1"},
        **HTMX,
    )

    opportunity.refresh_from_db()
    assert (opportunity.stage.name, opportunity.loss_reason) == ("输单", "预算砍掉")
    assert 'name="loss_reason_asked"' not in saved.content.decode()


def test_board_move_into_lost_with_an_empty_reason_asks_again_with_the_error(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    opportunity = opp(CustomerFactory(owner=sales_user))

    response = signed_in(sales_user).post(
        reverse("sales:opportunity_move", args=[opportunity.pk]),
        {"stage": stage("输单").pk, "loss_reason": " ", "loss_reason_asked": "1"},
        **HTMX,
    )

    html = response.content.decode()
    assert 'name="loss_reason_asked"' in html
    assert "Say why the opportunity was lost." in html
    opportunity.refresh_from_db()
    assert opportunity.stage.name == "谈判"


def test_board_move_refused_snaps_back_with_the_error(
    signed_in: Callable[[User], Client], sales_user: User, manager: User
) -> None:
    opportunity = opp(CustomerFactory(owner=sales_user))
    inactive = OpportunityStage.objects.create(
        name="旧阶段", probability=Decimal("0.4"), is_active=False
    )

    response = signed_in(sales_user).post(
        reverse("sales:opportunity_move", args=[opportunity.pk]), {"stage": inactive.pk}, **HTMX
    )

    opportunity.refresh_from_db()
    assert opportunity.stage.name == "谈判"
    assert 'class="alert alert-danger' in response.content.decode()


def test_card_move_form_without_javascript_redirects_back(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    opportunity = opp(CustomerFactory(owner=sales_user))
    board = reverse("sales:opportunity_board") + "?q=x"

    response = signed_in(sales_user).post(
        reverse("sales:opportunity_move", args=[opportunity.pk]),
        {"stage": stage("赢单").pk, "next": board},
    )

    assert response.status_code == 302 and response["Location"] == board
    opportunity.refresh_from_db()
    assert opportunity.closed_on is not None


def test_card_move_to_lost_without_javascript_shows_the_reason_page(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    opportunity = opp(CustomerFactory(owner=sales_user))

    response = signed_in(sales_user).post(
        reverse("sales:opportunity_move", args=[opportunity.pk]),
        {"stage": stage("输单").pk, "next": "https://evil.example/"},
    )

    assert response.status_code == 200
    assert response.templates[0].name == "sales/opportunities/move.html"
    assert response.context["next"] == reverse("sales:opportunity_board")


def test_move_answers_404_for_an_opportunity_of_an_invisible_customer(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    other = opp(CustomerFactory())

    response = signed_in(sales_user).post(
        reverse("sales:opportunity_move", args=[other.pk]), {"stage": stage("赢单").pk}
    )

    assert response.status_code == 404


def test_board_forbidden_without_sales_permissions(
    signed_in: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    response = signed_in(make_user(None)).get(reverse("sales:opportunity_board"))

    assert response.status_code == 403


def test_move_forbidden_when_read_only(
    signed_in: Callable[[User], Client], make_user: Callable[..., User]
) -> None:
    service = make_user(Role.CUSTOMER_SERVICE)
    opportunity = opp(CustomerFactory())

    response = signed_in(service).post(
        reverse("sales:opportunity_move", args=[opportunity.pk]), {"stage": stage("赢单").pk}
    )

    assert response.status_code == 403


# List -------------------------------------------------------------------------------------------


def test_opportunity_list_queries_do_not_grow_with_rows(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    client = signed_in(sales_user)
    customer = CustomerFactory(owner=sales_user)
    opp(customer)
    client.get(reverse("sales:opportunity_list"))  # sessions, permissions and content types warm
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("sales:opportunity_list"))
    for i in range(15):
        opp(CustomerFactory(owner=sales_user), f"{i}.00")

    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("sales:opportunity_list"))

    assert len(response.context["page_obj"].object_list) == 16
    assert len(many) == len(few)


def test_opportunity_list_sorts_by_amount_and_filters_by_stage(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    customer = CustomerFactory()
    small, large = opp(customer, "1.00"), opp(customer, "5.00")
    opp(customer, "3.00", stage_name="初步接洽")

    response = signed_in(manager).get(
        reverse("sales:opportunity_list"), {"ordering": "-amount", "stage": stage("谈判").pk}
    )

    assert list(response.context["page_obj"].object_list) == [large, small]


def test_opportunity_list_shows_the_empty_state(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    response = signed_in(sales_user).get(reverse("sales:opportunity_list"))

    assert "No opportunities yet." in response.content.decode()


def test_opportunity_list_htmx_answers_only_the_results(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    response = signed_in(sales_user).get(reverse("sales:opportunity_list"), {"q": "无"}, **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "No opportunity matches these filters." in html


# Detail, create, edit, delete -------------------------------------------------------------------


def test_opportunity_detail_shows_fields_history_and_quotes(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    opportunity = opp(CustomerFactory(owner=sales_user), competitor="金蝶")
    client = signed_in(sales_user)
    client.post(
        reverse("sales:opportunity_move", args=[opportunity.pk]), {"stage": stage("赢单").pk}
    )

    response = client.get(reverse("sales:opportunity_detail", args=[opportunity.pk]))

    html = response.content.decode()
    assert "金蝶" in html
    assert response.context["history"][0]["changes"][0]["new"] in ("赢单", "—") or any(
        c["new"] == "赢单" for c in response.context["history"][0]["changes"]
    )
    assert "No quotes yet." in html


def test_opportunity_detail_answers_404_when_customer_not_visible(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    other = opp(CustomerFactory())

    response = signed_in(sales_user).get(reverse("sales:opportunity_detail", args=[other.pk]))

    assert response.status_code == 404


def test_opportunity_create_saves_and_redirects(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)
    client = signed_in(sales_user)

    form = client.get(reverse("sales:opportunity_create"), {"customer": customer.pk})
    assert form.context["form"].initial["customer"] == customer
    assert "owner" not in form.context["form"].fields
    response = client.post(
        reverse("sales:opportunity_create"),
        {
            "customer": customer.pk,
            "title": "云服务",
            "amount": "88000",
            "expected_close_on": "2026-12-20",
            "stage": stage("需求确认").pk,
        },
    )

    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sales:opportunity_detail", args=[opportunity.pk])
    assert (opportunity.owner, opportunity.amount) == (sales_user, Decimal("88000.00"))


def test_opportunity_create_shows_the_service_error_on_its_field(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)

    response = signed_in(sales_user).post(
        reverse("sales:opportunity_create"),
        {
            "customer": customer.pk,
            "title": "丢了",
            "amount": "1",
            "expected_close_on": "2026-12-20",
            "stage": stage("输单").pk,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["loss_reason"]
    assert not Opportunity.objects.exists()


def test_opportunity_edit_saves(signed_in: Callable[[User], Client], sales_user: User) -> None:
    opportunity = opp(CustomerFactory(owner=sales_user))

    response = signed_in(sales_user).post(
        reverse("sales:opportunity_edit", args=[opportunity.pk]),
        {
            "customer": opportunity.customer_id,
            "title": "改名",
            "amount": "10",
            "expected_close_on": "2027-01-31",
            "stage": opportunity.stage_id,
            "next_step": "报价",
        },
    )

    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.title, opportunity.next_step) == ("改名", "报价")


def test_opportunity_delete_by_owner_then_forbidden_for_a_colleague(
    signed_in: Callable[[User], Client], sales_user: User, make_user: Callable[..., User]
) -> None:
    customer = CustomerFactory(owner=sales_user)
    colleague = make_user(Role.SALES)
    customer.shared_with.add(colleague)
    mine, theirs = opp(customer), opp(customer, owner=colleague)

    refused = signed_in(sales_user).post(reverse("sales:opportunity_delete", args=[theirs.pk]))
    deleted = signed_in(sales_user).post(reverse("sales:opportunity_delete", args=[mine.pk]))

    assert refused.status_code == 302 and Opportunity.objects.filter(pk=theirs.pk).exists()
    assert "Only its owner or a sales manager can delete it." in _messages(refused)
    assert deleted["Location"] == reverse("sales:opportunity_list")
    assert not Opportunity.objects.filter(pk=mine.pk).exists()


# Forecast ---------------------------------------------------------------------------------------


def test_forecast_shows_months_and_totals(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    customer = CustomerFactory()
    opp(customer, "1000.00", expected_close_on=date(2026, 12, 5))
    opp(customer, "500.00", stage_name="方案报价", expected_close_on=date(2027, 2, 5))

    response = signed_in(manager).get(
        reverse("sales:pipeline_forecast"), {"start": "2026-12", "months": "3"}
    )

    assert [item["row"].month for item in response.context["rows"]] == [
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]
    total = response.context["total"]
    assert (total.count, total.amount, total.weighted_amount) == (
        2,
        Decimal("1500.00"),
        Decimal("950.00"),
    )
    assert "950.00" in response.content.decode()


def test_forecast_ignores_a_malformed_month(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    response = signed_in(manager).get(reverse("sales:pipeline_forecast"), {"start": "12/2026"})

    assert response.status_code == 200
    assert response.context["form"].errors["start"]
    assert len(response.context["rows"]) == 12


@pytest.mark.parametrize("start", ["9999-12", "0001-01"])
def test_forecast_refuses_a_month_at_the_calendar_ends(
    signed_in: Callable[[User], Client], manager: User, start: str
) -> None:
    response = signed_in(manager).get(reverse("sales:pipeline_forecast"), {"start": start})

    assert response.status_code == 200
    assert "Enter a date on" in response.context["form"].errors["start"][0]
    assert len(response.context["rows"]) == 12


# Stages -----------------------------------------------------------------------------------------


def test_stage_pages_forbidden_when_salesperson(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    assert signed_in(sales_user).get(reverse("sales:stage_list")).status_code == 403


def test_stage_create_takes_a_percentage(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    response = signed_in(manager).post(
        reverse("sales:stage_create"),
        {"name": "样品", "probability_percent": "12.5", "outcome": "open", "is_active": "on"},
    )

    assert response.status_code == 302
    assert stage("样品").probability == Decimal("0.125")


def test_stage_create_refuses_more_than_100_percent(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    response = signed_in(manager).post(
        reverse("sales:stage_create"),
        {"name": "样品", "probability_percent": "120", "outcome": "open"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["probability_percent"]


def test_stage_edit_shows_the_percentage(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    response = signed_in(manager).get(reverse("sales:stage_edit", args=[stage("谈判").pk]))

    assert response.context["form"].initial["probability_percent"] == Decimal("70")


def test_stage_list_moves_and_deactivates(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    client = signed_in(manager)
    first, second = OpportunityStage.objects.order_by("position")[:2]

    client.post(reverse("sales:stage_move", args=[second.pk]), {"direction": "up"})
    client.post(reverse("sales:stage_toggle", args=[second.pk]))
    refused = client.post(reverse("sales:stage_toggle", args=[stage("赢单").pk]))
    page = client.get(reverse("sales:stage_list"))

    assert [s.pk for s in page.context["stages"]][:2] == [second.pk, first.pk]
    second.refresh_from_db()
    assert not second.is_active
    assert any("won stage" in m for m in _messages(refused))
    assert "70 %" in page.content.decode()


def test_stage_delete_refused_when_it_holds_opportunities(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    opp(CustomerFactory())

    response = signed_in(manager).post(reverse("sales:stage_delete", args=[stage("谈判").pk]))

    assert OpportunityStage.objects.filter(name="谈判").exists()
    assert any("deactivate it instead" in m for m in _messages(response))


# Customer page ----------------------------------------------------------------------------------


def test_customer_page_has_an_opportunities_tab(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user)
    opp(customer, title="客户页上的商机")

    response = signed_in(sales_user).get(
        reverse("customers:detail", args=[customer.pk]), {"tab": "opportunities"}
    )

    html = response.content.decode()
    assert "客户页上的商机" in html
    assert f"{reverse('sales:opportunity_create')}?customer={customer.pk}" in html
