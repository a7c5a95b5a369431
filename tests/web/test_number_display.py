"""Pages print every number one way: thousands separators and the field's places, never the
raw Decimal (1380, 2636.1111, 5000000.00); zero cells of the books blank, not linked."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from suanpan.ledger import services as ledger_services
from suanpan.ledger.models import Company, Dimension
from suanpan.sales.models import Opportunity, OpportunityStage
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import (
    CHART,
    CustomerFactory,
    ProductFactory,
    UserFactory,
    WarehouseFactory,
    order_build,
)
from tests.inventory.conftest import stock_books  # noqa: F401
from tests.inventory.stock_support import posted_receipt
from tests.ledger.builders import invoice_event, receipt_event

pytestmark = pytest.mark.django_db

CHART_CODES = [row[0] for row in CHART]

# A number of four or more digits before the point, without separators: what a template prints
# when it shows a Decimal as it is. Dates (2026-11-02), times, document numbers and names
# with a number in them (测试商品2279, SP-02279) are not such a run standing alone.
_RAW = re.compile(r"(?<![\w,.\-:/])\d{4,}(?:\.\d+)?(?![\d,\-:/])")


def raw_numbers(html: str, *, codes: frozenset[str] = frozenset()) -> list[str]:
    """The unformatted numbers in a page's visible text (tags and attributes left out), but
    for years and the `codes` (account codes are numbers that are not amounts)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]*>", " ", text)
    return [
        m.group() for m in _RAW.finditer(text) if not _is_year(m.group()) and m.group() not in codes
    ]


def _is_year(token: str) -> bool:
    return token.isdigit() and len(token) == 4 and 2000 <= int(token) <= 2100


def test_raw_numbers_finds_what_the_issue_saw() -> None:
    html = "<td>1380</td><td>2636.1111</td><td>5000000.00</td><td>1,380.00</td><td>2026-11-02</td>"
    assert raw_numbers(html) == ["1380", "2636.1111", "5000000.00"]
    assert raw_numbers("<td>测试商品2279</td><td>用户2280</td><td>KH-T02281</td>") == []


def test_order_detail_prints_prices_and_quantities_with_separators(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    product = ProductFactory(list_price=Decimal("1380"))
    order = order_build(
        customer=CustomerFactory(owner=sales_user), lines=[(product, "1200", "1380")]
    )

    html = signed_in(sales_user).get(reverse("sales:order_detail", args=[order.pk])).content
    page = html.decode()

    assert raw_numbers(page) == []
    assert "1,380.00" in page and "1,200" in page and "1,656,000.00" in page


def test_product_list_prints_prices_with_separators(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    ProductFactory(list_price=Decimal("1380"), standard_cost=Decimal("2636.1111"))

    page = signed_in(sales_user).get(reverse("catalog:product_list")).content.decode()

    assert raw_numbers(page) == []
    assert "1,380.00" in page


@pytest.mark.usefixtures("stock_books")
def test_stock_page_prints_the_moving_average_cost_with_separators(client: Client) -> None:
    keeper = UserFactory(role=Role.FINANCE_MANAGER)
    posted_receipt(keeper, WarehouseFactory(), ProductFactory(), "9", "2636.1111")
    client.force_login(keeper)

    page = client.get(reverse("inventory:home")).content.decode()

    assert raw_numbers(page) == []
    assert "2,636.1111" in page and "23,725.00" in page


def test_history_prints_changed_amounts_with_separators(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    opportunity = Opportunity.objects.create(
        customer=CustomerFactory(owner=sales_user),
        title="大单",
        amount=Decimal("1000.00"),
        expected_close_on=date(2026, 12, 15),
        stage=OpportunityStage.objects.get(name="谈判"),
        owner=sales_user,
    )
    opportunity.amount = Decimal("5000000.00")
    opportunity.expected_close_on = date(2027, 1, 5)
    opportunity.save()

    response = signed_in(sales_user).get(reverse("sales:opportunity_detail", args=[opportunity.pk]))

    changes = [c for entry in response.context["history"] for c in entry["changes"]]
    assert {"field": "amount", "old": "1,000.00", "new": "5,000,000.00"} in changes
    # Dates in history as in tables, not in the long format (January 5, 2027).
    assert {"field": "expected close date", "old": "2026-12-15", "new": "2027-01-05"} in changes
    assert raw_numbers(response.content.decode()) == []


def test_trial_balance_leaves_zero_cells_blank_and_links_only_amounts(
    client: Client, books: Company
) -> None:
    accountant = UserFactory(role=Role.ACCOUNTANT)
    Dimension.objects.create(kind="customer", code="KH-000001", name="北京小米科技有限公司")
    for event in (invoice_event("F1", "11300.00"), receipt_event("R1", "10000.00")):
        ledger_services.posting_post(event=event, actor=accountant)
    client.force_login(accountant)

    page = client.get(reverse("ledger_reports:trial_balance"), {"level": "1"}).content.decode()

    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert raw_numbers(page, codes=frozenset(CHART_CODES)) == []
    assert "11,300.00" in body
    assert ">0.00<" not in body  # zero cells are blank, not 0.00, and never links
    assert not re.search(r"<a [^>]*>\s*</a>", body)
    revenue = next(row for row in body.split("<tr>") if "主营业务收入" in row)
    # Revenue moved on the credit side only: its debit cells are empty, the credit one a link.
    assert revenue.count("<a ") == 2  # period credit → drilldown, closing credit → ledger


def test_customer_history_prints_a_changed_credit_limit_with_separators(
    signed_in: Callable[[User], Client], sales_user: User
) -> None:
    customer = CustomerFactory(owner=sales_user, credit_limit_amount=Decimal("0.00"))
    customer.credit_limit_amount = Decimal("5000000.00")
    customer.save()

    page = signed_in(sales_user).get(
        reverse("customers:detail", args=[customer.pk]), {"tab": "history"}
    )

    html = page.content.decode()
    assert "5,000,000.00" in html
    assert raw_numbers(html) == []
