"""Quote pages and the quote PDF: what each renders, saves and refuses; the list's query budget."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from suanpan.ledger.services import company_setup
from suanpan.sales.choices import QuoteStatus
from suanpan.sales.models import Contract, Quote
from suanpan.sales.services.lines import LineInput
from suanpan.sales.services.quotes import quote_create, quote_send
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory, ProductFactory

pytestmark = pytest.mark.django_db
D = Decimal


def _quote(seller: User, *, lines: int = 1, **data) -> Quote:
    product = ProductFactory(name="工业级交换机", specification="24口", list_price=D("113.00"))
    return quote_create(
        actor=seller,
        customer=data.pop("customer", None)
        or CustomerFactory(owner=seller, name="北京示例科技有限公司"),
        data={"quoted_on": date(2026, 11, 20), "valid_until": date(2026, 12, 20), **data},
        lines=[LineInput(product_id=product.pk, quantity=D("3"))] * lines,
    )


def _grid(rows: list[dict[str, str]]) -> dict[str, str]:
    data = {"lines-TOTAL_FORMS": str(len(rows)), "lines-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"lines-{index}-{k}": v for k, v in row.items()})
    return data


def test_quote_list_shows_own_quotes_within_a_fixed_query_budget(
    login: Callable[[User], Client], seller: User, django_assert_max_num_queries
) -> None:
    for _ in range(5):
        _quote(seller)
    client = login(seller)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("sales:quote_list"))

    assert response.status_code == 200
    assert response.content.decode().count("BJ-202611-") == 5


def test_quote_list_empty_state_and_filtered_empty_state(
    login: Callable[[User], Client], seller: User
) -> None:
    client = login(seller)

    empty = client.get(reverse("sales:quote_list")).content.decode()
    filtered = client.get(reverse("sales:quote_list"), {"q": "BJ-1999"}).content.decode()

    assert "No quotes yet." in empty
    assert "No quote matches these filters." in filtered


def test_quote_create_page_saves_a_quote_with_its_lines(
    login: Callable[[User], Client], seller: User
) -> None:
    customer = CustomerFactory(owner=seller)
    product = ProductFactory(list_price=D("113"))
    client = login(seller)

    page = client.get(reverse("sales:quote_create"), {"customer": customer.pk})
    response = client.post(
        reverse("sales:quote_create"),
        {
            "customer": customer.pk,
            "quoted_on": "2026-11-20",
            "valid_until": "",
            "price_includes_tax": "on",
            "terms": "含税含运费",
            **_grid(
                [
                    {"product": str(product.pk), "quantity": "2", "discount": "10"},
                    {"product": "", "quantity": ""},
                ]
            ),
        },
    )

    assert page.status_code == 200 and "sp-line-grid" in page.content.decode()
    quote = Quote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sales:quote_detail", args=[quote.pk])
    # 226 less 10 % = 203.40 including tax; valid 30 days by default.
    assert (quote.gross_amount, quote.valid_until) == (D("203.40"), date(2026, 12, 20))


def test_quote_create_page_shows_line_errors(login: Callable[[User], Client], seller: User) -> None:
    customer = CustomerFactory(owner=seller)
    client = login(seller)

    response = client.post(
        reverse("sales:quote_create"),
        {
            "customer": customer.pk,
            "quoted_on": "2026-11-20",
            "price_includes_tax": "on",
            **_grid([{"product": "", "quantity": ""}]),
        },
    )

    assert response.status_code == 200
    assert "Add at least one line." in response.content.decode()
    assert not Quote.objects.exists()


def test_quote_create_page_prefills_the_opportunitys_customer(
    login: Callable[[User], Client], seller: User
) -> None:
    from suanpan.sales.models import Opportunity, OpportunityStage

    opportunity = Opportunity.objects.create(
        customer=CustomerFactory(owner=seller),
        title="机房改造",
        expected_close_on=date(2026, 12, 31),
        stage=OpportunityStage.objects.first(),
        owner=seller,
    )
    client = login(seller)

    response = client.get(reverse("sales:quote_create"), {"opportunity": opportunity.pk})

    form = response.context["form"]
    assert form.initial["opportunity"] == opportunity.pk
    assert form.initial["customer"] == opportunity.customer_id


def test_quote_detail_shows_totals_in_capitals_and_hides_other_salespeoples_quotes(
    login: Callable[[User], Client], seller: User, make_user: Callable[..., User]
) -> None:
    quote = _quote(seller)

    own = login(seller).get(reverse("sales:quote_detail", args=[quote.pk]))
    other = login(make_user(Role.SALES)).get(reverse("sales:quote_detail", args=[quote.pk]))

    assert own.status_code == 200
    html = own.content.decode()
    assert "叁佰叁拾玖元整" in html and "339.00" in html
    assert other.status_code == 404


def test_quote_edit_replaces_lines(login: Callable[[User], Client], seller: User) -> None:
    quote = _quote(seller)
    product = ProductFactory(list_price=D("10"))
    client = login(seller)

    page = client.get(reverse("sales:quote_edit", args=[quote.pk]))
    response = client.post(
        reverse("sales:quote_edit", args=[quote.pk]),
        {
            "quoted_on": "2026-11-20",
            "valid_until": "2026-11-30",
            "price_includes_tax": "on",
            **_grid([{"product": str(product.pk), "quantity": "5", "unit_price": "12"}]),
        },
    )

    quote.refresh_from_db()
    assert page.status_code == 200 and "工业级交换机" in page.content.decode()
    assert response.status_code == 302
    assert (quote.gross_amount, quote.valid_until) == (D("60.00"), date(2026, 11, 30))


def test_quote_actions_send_then_refuse_edit(login: Callable[[User], Client], seller: User) -> None:
    quote = _quote(seller)
    client = login(seller)

    client.post(reverse("sales:quote_action", args=[quote.pk, "send"]))
    edit = client.get(reverse("sales:quote_edit", args=[quote.pk]))
    again = client.post(reverse("sales:quote_action", args=[quote.pk, "send"]), follow=True)

    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT
    assert edit.status_code == 302
    assert "cannot be sent" in again.content.decode()


def test_quote_copy_opens_the_new_draft(login: Callable[[User], Client], seller: User) -> None:
    quote = _quote(seller)

    response = login(seller).post(reverse("sales:quote_action", args=[quote.pk, "copy"]))

    copy = Quote.objects.exclude(pk=quote.pk).get()
    assert response["Location"] == reverse("sales:quote_edit", args=[copy.pk])


def test_unknown_quote_action_is_not_found(login: Callable[[User], Client], seller: User) -> None:
    quote = _quote(seller)

    response = login(seller).post(reverse("sales:quote_action", args=[quote.pk, "explode"]))

    assert response.status_code == 404


def test_convert_to_contract(login: Callable[[User], Client], seller: User) -> None:
    quote = quote_send(actor=seller, quote=_quote(seller))
    client = login(seller)

    page = client.get(reverse("sales:quote_convert_contract", args=[quote.pk]))
    response = client.post(
        reverse("sales:quote_convert_contract", args=[quote.pk]),
        {"number": "", "title": "交换机采购合同", "signed_on": "2026-11-25"},
    )

    contract = Contract.objects.get()
    quote.refresh_from_db()
    assert page.status_code == 200
    assert response["Location"] == reverse("sales:contract_detail", args=[contract.pk])
    assert (contract.number, contract.amount, contract.title) == (
        "HT-202611-0001",
        D("339.00"),
        "交换机采购合同",
    )
    assert quote.status == QuoteStatus.ACCEPTED
    detail = client.get(reverse("sales:quote_detail", args=[quote.pk])).content.decode()
    assert "HT-202611-0001" in detail


def test_customer_page_has_a_quotes_tab(login: Callable[[User], Client], seller: User) -> None:
    quote = _quote(seller)

    response = login(seller).get(
        reverse("customers:detail", args=[quote.customer_id]), {"tab": "quotes"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert quote.number in html and "?tab=contracts" in html


def _pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "".join(page.extract_text() for page in reader.pages)


def test_quote_pdf_prints_number_chinese_and_company(
    login: Callable[[User], Client], seller: User, make_user: Callable[..., User]
) -> None:
    company_setup(
        actor=make_user(Role.ADMINISTRATOR, is_superuser=True),
        name="上海算盘软件有限公司",
        standard="cas",
        first_period=date(2026, 1, 1),
        tax_number="91310000MA1FL0000X",
    )
    quote = _quote(seller, terms="付款方式：款到发货")

    response = login(seller).get(reverse("sales:quote_pdf", args=[quote.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pages, text = _pdf_text(response.content)
    assert pages == 1
    assert quote.number in text
    assert "工业级交换机" in text and "北京示例科技有限公司" in text
    assert "上海算盘软件有限公司" in text and "91310000MA1FL0000X" in text
    assert "叁佰叁拾玖元整" in text and "款到发货" in text


def test_quote_pdf_without_books_and_with_many_lines_runs_to_more_pages(
    login: Callable[[User], Client], seller: User
) -> None:
    quote = _quote(seller, lines=80)

    response = login(seller).get(reverse("sales:quote_pdf", args=[quote.pk]))

    pages, text = _pdf_text(response.content)
    assert pages >= 2
    assert quote.number in text


def test_quote_pdf_of_another_salespersons_quote_is_not_found(
    login: Callable[[User], Client], seller: User, make_user: Callable[..., User]
) -> None:
    quote = _quote(seller)

    response = login(make_user(Role.SALES)).get(reverse("sales:quote_pdf", args=[quote.pk]))

    assert response.status_code == 404


def test_quote_pdf_addresses_the_customer_not_a_closing_date_when_in_chinese(
    login: Callable[[User], Client], seller: User, settings
) -> None:
    # "To" is also the end of a date range (截止日期); before the customer's name it is 致.
    settings.LANGUAGE_CODE = "zh-hans"
    quote = _quote(seller)

    response = login(seller).get(
        reverse("sales:quote_pdf", args=[quote.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    )

    _pages, text = _pdf_text(response.content)
    assert "致\n北京示例科技有限公司" in text  # the label cell, then the customer's name
    assert "截止日期" not in text
