"""Ledger pages: what each renders, saves and refuses, for the roles that use the books."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from suanpan.ledger import services
from suanpan.ledger.choices import AccountRole, PeriodStatus, VoucherStatus
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    Company,
    Period,
    PeriodEvent,
    Voucher,
)
from suanpan.ledger.services import LineInput
from suanpan.users.choices import Role
from tests.ledger.builders import carry_forward

pytestmark = pytest.mark.django_db
D = Decimal


def _draft(actor, accounts, amount: str = "100.00", *, on: date = date(2026, 1, 10), **kw: Any):
    return services.voucher_create(
        actor=actor,
        date=on,
        summary=kw.pop("summary", "收到投资款"),
        lines=[
            LineInput(accounts["1002"], debit=D(amount)),
            LineInput(accounts["6001"], credit=D(amount)),
        ],
        **kw,
    )


def _posted(maker, poster, accounts, amount: str = "100.00", **kw: Any) -> Voucher:
    voucher = _draft(maker, accounts, amount, **kw)
    services.voucher_review(actor=poster, voucher=voucher)
    return services.voucher_post(actor=poster, voucher=voucher)


def _grid(rows: list[dict[str, str]], **header: str) -> dict[str, str]:
    data = {
        "date": "2026-01-12",
        "word": "记",
        "summary": "收到货款",
        "attachments": "1",
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    data.update(header)
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"lines-{index}-{key}"] = value
    return data


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# ---------------------------------------------------------------------------- access


LEDGER_PAGES = [
    "/ledger/",
    "/ledger/company/",
    "/ledger/accounts/",
    "/ledger/vouchers/",
    "/ledger/vouchers/new/",
    "/ledger/periods/",
]


@pytest.mark.parametrize("url", LEDGER_PAGES)
def test_ledger_pages_refuse_403_when_salesperson(client: Client, books, sales_user, url):
    client.force_login(sales_user)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", LEDGER_PAGES)
def test_ledger_pages_redirect_to_login_when_anonymous(client: Client, books, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response["Location"]


@pytest.mark.parametrize("url", LEDGER_PAGES)
def test_ledger_pages_render_when_accountant(client: Client, books, accountant, url):
    client.force_login(accountant)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url", ["/ledger/", "/ledger/accounts/", "/ledger/vouchers/", "/ledger/periods/"]
)
def test_ledger_pages_redirect_to_setup_when_books_not_set_up(client: Client, accountant, url):
    client.force_login(accountant)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:company")
    assert "not set up" in " ".join(_messages(response))


def test_navigation_links_ledger_when_accountant(client: Client, books, accountant):
    client.force_login(accountant)
    response = client.get("/")
    assert 'href="/ledger/"' in response.content.decode()


# ---------------------------------------------------------------------------- overview


def test_home_counts_drafts_and_reviewed_when_vouchers_exist(
    client: Client, accounts, accountant, finance_manager
):
    _draft(accountant, accounts)
    reviewed = _draft(accountant, accounts, "20.00")
    services.voucher_review(actor=finance_manager, voucher=reviewed)
    client.force_login(accountant)
    response = client.get("/ledger/")
    assert response.context["counts"]["draft"] == 1
    assert response.context["counts"]["reviewed"] == 1
    assert response.context["period"].key == "202601"


# ---------------------------------------------------------------------------- company


def test_company_setup_form_shown_when_books_not_set_up(client: Client, finance_manager):
    client.force_login(finance_manager)
    response = client.get("/ledger/company/")
    assert response.status_code == 200
    assert "ledger/company/setup.html" in [t.name for t in response.templates]
    assert response.context["can_setup"] is True


def test_company_setup_refused_when_accountant_posts(client: Client, accountant):
    client.force_login(accountant)
    response = client.post(
        "/ledger/company/",
        {
            "name": "算盘",
            "standard": "cas",
            "revenue_policy": "on_delivery",
            "first_period": "2026-11",
            "voucher_words": "记",
        },
    )
    assert response.status_code == 403
    assert not Company.objects.exists()


@pytest.mark.parametrize("standard", ["cas", "asbe_se"])
def test_company_setup_loads_chart_when_finance_manager_submits(
    client: Client, finance_manager, standard
):
    client.force_login(finance_manager)
    response = client.post(
        "/ledger/company/",
        {
            "name": "算盘科技",
            "tax_number": "91110000600037341L",
            "standard": standard,
            "revenue_policy": "on_delivery",
            "first_period": "2026-11",
            "voucher_words": "收付转",
        },
    )
    assert response.status_code == 302
    company = Company.objects.get()
    assert (company.standard, company.first_period) == (standard, date(2026, 11, 1))
    assert (company.voucher_words, company.default_word) == ("收付转", "收")
    assert AccountRoleMap.objects.filter(role=AccountRole.RECEIVABLE).exists()
    page = client.get("/ledger/company/")
    assert page.context["number_example"] == "收-202611-0001"


def test_company_setup_shows_field_error_when_month_missing(client: Client, finance_manager):
    client.force_login(finance_manager)
    response = client.post(
        "/ledger/company/",
        {"name": "算盘", "standard": "cas", "revenue_policy": "on_delivery", "voucher_words": "记"},
    )
    assert response.status_code == 200
    assert "first_period" in response.context["form"].errors
    assert not Company.objects.exists()


def test_company_edit_saves_name_and_shows_numbering_when_finance_manager(
    client: Client, books, finance_manager
):
    client.force_login(finance_manager)
    page = client.get("/ledger/company/")
    assert page.context["number_example"] == "记-202601-0001"
    response = client.post(
        "/ledger/company/",
        {
            "name": "新名称",
            "tax_number": "",
            "revenue_policy": "on_invoice",
            "voucher_words": "记",
            "default_word": "记",
        },
    )
    assert response.status_code == 302
    books.refresh_from_db()
    assert (books.name, books.revenue_policy, books.voucher_words) == ("新名称", "on_invoice", "记")


def test_company_edit_shows_error_when_default_word_not_in_use(
    client: Client, books, finance_manager
):
    client.force_login(finance_manager)
    response = client.post(
        "/ledger/company/",
        {"name": "X", "revenue_policy": "on_delivery", "voucher_words": "记", "default_word": "收"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["default_word"]
    books.refresh_from_db()
    assert books.name == "算盘测试公司"


def test_company_edit_refused_when_accountant_posts(client: Client, books, accountant):
    client.force_login(accountant)
    response = client.post(
        "/ledger/company/",
        {"name": "X", "revenue_policy": "on_delivery", "voucher_words": "记", "default_word": "记"},
    )
    assert response.status_code == 403
    books.refresh_from_db()
    assert books.name == "算盘测试公司"


def test_company_role_remaps_when_finance_manager_picks_leaf(
    client: Client, accounts, finance_manager
):
    client.force_login(finance_manager)
    response = client.post("/ledger/company/roles/", {"role": AccountRole.BANK, "account": "1405"})
    assert response.status_code == 302
    assert AccountRoleMap.objects.get(role=AccountRole.BANK).account.code == "1405"


def test_company_role_refused_when_accountant(client: Client, accounts, accountant):
    client.force_login(accountant)
    response = client.post("/ledger/company/roles/", {"role": AccountRole.BANK, "account": "1405"})
    assert response.status_code == 403
    assert AccountRoleMap.objects.get(role=AccountRole.BANK).account.code == "1002"


# ---------------------------------------------------------------------------- accounts


def test_account_list_shows_tree_with_flags_when_accountant(client: Client, accounts, accountant):
    client.force_login(accountant)
    response = client.get("/ledger/accounts/")
    rows = {row.account.code: row for row in response.context["rows"]}
    assert list(rows) == sorted(rows)
    assert rows["1122"].is_leaf is False
    assert rows["1122.01"].account.is_open_item is True
    body = response.content.decode()
    assert 'id="account-1122.01"' in body


def test_account_create_adds_sub_account_when_parent_unused(
    client: Client, accounts, finance_manager
):
    client.force_login(finance_manager)
    response = client.post(
        f"/ledger/accounts/{accounts['1002'].pk}/new/", {"code": "1002.01", "name": "工商银行"}
    )
    assert response.status_code == 302
    child = Account.objects.get(code="1002.01")
    assert (child.parent_id, child.direction, child.level) == (accounts["1002"].pk, "debit", 2)


def test_account_create_shows_error_when_parent_has_postings(
    client: Client, accounts, accountant, finance_manager
):
    _posted(accountant, finance_manager, accounts)
    client.force_login(finance_manager)
    response = client.post(
        f"/ledger/accounts/{accounts['1002'].pk}/new/", {"code": "1002.01", "name": "工商银行"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() or response.context["form"].errors
    assert not Account.objects.filter(code="1002.01").exists()


def test_account_set_active_deactivates_and_reactivates_when_finance_manager(
    client: Client, accounts, finance_manager
):
    client.force_login(finance_manager)
    url = f"/ledger/accounts/{accounts['1122'].pk}/active/"
    client.post(url, {"active": "0"})
    assert Account.objects.get(code="1122").is_active is False
    client.post(url, {"active": "1"})
    assert Account.objects.get(code="1122").is_active is True


def test_account_set_active_refused_when_accountant(client: Client, accounts, accountant):
    client.force_login(accountant)
    response = client.post(f"/ledger/accounts/{accounts['1122'].pk}/active/", {"active": "0"})
    assert response.status_code == 403
    assert Account.objects.get(code="1122").is_active is True


def test_account_delete_removes_when_never_used(client: Client, accounts, finance_manager):
    client.force_login(finance_manager)
    client.post(f"/ledger/accounts/{accounts['1002'].pk}/new/", {"code": "1002.01", "name": "X"})
    child = Account.objects.get(code="1002.01")
    response = client.post(f"/ledger/accounts/{child.pk}/delete/")
    assert response.status_code == 302
    assert not Account.objects.filter(code="1002.01").exists()


def test_account_delete_refused_with_message_when_used(
    client: Client, accounts, accountant, finance_manager
):
    child = Account.objects.create(
        code="1002.01",
        name="工商银行",
        parent=accounts["1002"],
        level=2,
        direction="debit",
        category="asset",
    )
    services.voucher_create(
        actor=accountant,
        date=date(2026, 1, 3),
        summary="存现",
        lines=[LineInput(child, debit=D("1")), LineInput(accounts["6001"], credit=D("1"))],
    )
    client.force_login(finance_manager)
    response = client.post(f"/ledger/accounts/{child.pk}/delete/")
    assert response.status_code == 302
    assert Account.objects.filter(code="1002.01").exists()
    assert "has postings" in " ".join(_messages(response))


# ---------------------------------------------------------------------------- voucher list


def test_voucher_list_filters_by_status_period_account_and_customer_when_given(
    client: Client, accounts, customer_dim, accountant, finance_manager
):
    _draft(accountant, accounts, summary="现金存入")
    posted = _posted(accountant, finance_manager, accounts, "50.00", summary="收款")
    services.voucher_create(
        actor=accountant,
        date=date(2026, 1, 20),
        summary="应收确认",
        lines=[
            LineInput(accounts["1122.01"], debit=D("10"), dimension=customer_dim),
            LineInput(accounts["6001"], credit=D("10")),
        ],
    )
    client.force_login(accountant)

    def found(**params: str) -> list[str]:
        response = client.get("/ledger/vouchers/", params)
        return sorted(v.summary for v in response.context["page_obj"].object_list)

    assert found() == ["应收确认", "收款", "现金存入"]
    assert found(status="posted") == [posted.summary]
    assert found(period="202601") == ["应收确认", "收款", "现金存入"]
    assert found(period="202602") == []
    assert found(account="1122") == ["应收确认"]
    assert found(customer="KH-000001") == ["应收确认"]
    assert found(q="现金") == ["现金存入"]


@pytest.mark.parametrize("params", [{"account": "1122"}, {"customer": "KH-000001"}, {"q": "货款"}])
def test_voucher_list_shows_a_voucher_once_with_its_total_when_two_lines_match_the_filter(
    client: Client, accounts, customer_dim, accountant, params
):
    services.voucher_create(
        actor=accountant,
        date=date(2026, 1, 20),
        summary="销售",
        lines=[
            LineInput(accounts["1122.01"], debit=D("30"), dimension=customer_dim, summary="货款甲"),
            LineInput(accounts["1122.99"], debit=D("20"), dimension=customer_dim, summary="货款乙"),
            LineInput(accounts["6001"], credit=D("50"), summary="货款收入"),
        ],
    )
    client.force_login(accountant)

    response = client.get("/ledger/vouchers/", params)

    rows = response.context["page_obj"].object_list
    assert [v.total_amount for v in rows] == [D("50.00")]
    assert response.context["page_obj"].paginator.count == 1
    assert "50.00" in response.content.decode()
    assert "100.00" not in response.content.decode()


def test_voucher_list_renders_fragment_when_htmx(client: Client, accounts, accountant):
    _draft(accountant, accounts)
    client.force_login(accountant)
    response = client.get("/ledger/vouchers/", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">')
    assert "<html" not in body


def test_voucher_list_shows_empty_state_when_no_vouchers(client: Client, books, accountant):
    client.force_login(accountant)
    response = client.get("/ledger/vouchers/")
    assert "No vouchers yet." in response.content.decode()


def test_voucher_list_query_count_constant_when_more_vouchers(client: Client, accounts, accountant):
    client.force_login(accountant)
    _draft(accountant, accounts)
    with CaptureQueriesContext(connection) as few:
        client.get("/ledger/vouchers/")
    for _ in range(5):
        _draft(accountant, accounts)
    with CaptureQueriesContext(connection) as many:
        client.get("/ledger/vouchers/")
    assert len(many) == len(few)


def test_voucher_list_sorts_by_date_when_ordering_given(client: Client, accounts, accountant):
    _draft(accountant, accounts, on=date(2026, 1, 20), summary="late")
    _draft(accountant, accounts, on=date(2026, 1, 5), summary="early")
    client.force_login(accountant)
    response = client.get("/ledger/vouchers/", {"ordering": "date"})
    assert [v.summary for v in response.context["page_obj"].object_list] == ["early", "late"]


# ---------------------------------------------------------------------------- voucher entry


def test_voucher_create_saves_draft_when_grid_balances(
    client: Client, accounts, customer_dim, accountant
):
    client.force_login(accountant)
    response = client.post(
        "/ledger/vouchers/new/",
        _grid(
            [
                {
                    "account": "1122.01 应收账款-客户",
                    "dimension": "KH-000001 北京小米科技有限公司",
                    "debit": "113.00",
                    "due_on": "2026-02-12",
                },
                {"account": "6001", "credit": "100.00"},
                {"account": "2221.01", "credit": "13"},
                {},  # a blank row is skipped
            ]
        ),
    )
    assert response.status_code == 302
    voucher = Voucher.objects.get()
    assert response["Location"] == reverse("ledger:voucher_detail", args=[voucher.pk])
    lines = list(voucher.lines.order_by("line_no"))
    assert [line.account.code for line in lines] == ["1122.01", "6001", "2221.01"]
    assert lines[0].dimension == customer_dim
    assert lines[0].due_on == date(2026, 2, 12)
    assert (voucher.status, voucher.attachments, voucher.maker) == ("draft", 1, accountant)


def test_voucher_create_shows_error_next_to_line_when_customer_missing(
    client: Client, accounts, accountant
):
    client.force_login(accountant)
    response = client.post(
        "/ledger/vouchers/new/",
        _grid([{}, {"account": "1002", "debit": "5"}, {"account": "1122.01", "credit": "5"}]),
    )
    assert response.status_code == 200
    formset = response.context["formset"]
    # The service names lines.1 (the second line it got); the page puts it on the third row.
    assert formset.forms[2].errors["dimension"]
    assert not formset.forms[1].errors
    assert not Voucher.objects.exists()


def test_voucher_create_shows_unbalanced_error_when_totals_differ(
    client: Client, accounts, accountant
):
    client.force_login(accountant)
    response = client.post(
        "/ledger/vouchers/new/",
        _grid([{"account": "1002", "debit": "5"}, {"account": "6001", "credit": "4"}]),
    )
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert "do not balance" in " ".join(errors)
    assert not Voucher.objects.exists()


def test_voucher_create_shows_error_when_account_code_unknown(client: Client, accounts, accountant):
    client.force_login(accountant)
    response = client.post(
        "/ledger/vouchers/new/",
        _grid([{"account": "9999", "debit": "5"}, {"account": "6001", "credit": "5"}]),
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["account"]


def test_voucher_create_shows_error_when_both_columns_filled(client: Client, accounts, accountant):
    client.force_login(accountant)
    response = client.post(
        "/ledger/vouchers/new/",
        _grid(
            [{"account": "1002", "debit": "5", "credit": "5"}, {"account": "6001", "credit": "5"}]
        ),
    )
    assert response.context["formset"].forms[0].errors["debit"]


def test_voucher_create_refused_when_salesperson(client: Client, accounts, sales_user):
    client.force_login(sales_user)
    response = client.post(
        "/ledger/vouchers/new/",
        _grid([{"account": "1002", "debit": "5"}, {"account": "6001", "credit": "5"}]),
    )
    assert response.status_code == 403
    assert not Voucher.objects.exists()


def test_voucher_create_page_wires_account_and_customer_cells_to_their_lookups_when_opened(
    client: Client, accounts, accountant
):
    client.force_login(accountant)
    response = client.get("/ledger/vouchers/new/")
    body = response.content.decode()
    assert 'data-lookup="/ledger/vouchers/accounts/"' in body
    assert 'data-lookup="/ledger/vouchers/customers/"' in body
    assert 'id="voucher-line-template"' in body
    assert "ledger/lookup.js" in body
    assert "ledger/voucher_entry.js" in body


@pytest.mark.parametrize("typed", ["yhck", "银行存款", "1002"])
def test_account_lookup_suggests_the_bank_first_when_typed_as_initials_name_or_code(
    client: Client, accounts, accountant, typed
):
    client.force_login(accountant)
    response = client.get("/ledger/vouchers/accounts/", {"q": typed})
    body = response.content.decode()
    assert body.index('data-value="1002 银行存款"') == body.index('data-value="')
    assert 'role="option"' in body


def test_account_lookup_offers_only_postable_accounts_and_says_when_none_match(
    client: Client, accounts, accountant
):
    client.force_login(accountant)
    body = client.get("/ledger/vouchers/accounts/", {"q": "yszk"}).content.decode()
    assert 'data-value="1122.01 应收账款-客户"' in body
    assert 'data-value="1122 ' not in body
    nothing = client.get("/ledger/vouchers/accounts/", {"q": "zzzz"}).content.decode()
    assert 'role="option"' not in nothing
    assert "No account matches" in nothing


def test_account_lookup_refused_when_salesperson(client: Client, accounts, make_user):
    client.force_login(make_user(Role.SALES))
    assert client.get("/ledger/vouchers/accounts/", {"q": "1002"}).status_code == 403


def test_voucher_create_takes_accounts_and_customers_typed_as_pinyin_when_saved(
    client: Client, accounts, accountant
):
    services.dimension_upsert(kind="customer", code="KH-000001", name="北京小米科技有限公司")
    client.force_login(accountant)
    response = client.post(
        "/ledger/vouchers/new/",
        _grid(
            [
                {"account": "yhck", "debit": "100"},
                {"account": "yszkkh", "dimension": "bjxm", "credit": "100"},
            ],
            summary="收到货款",
        ),
    )
    assert response.status_code == 302
    voucher = Voucher.objects.get(summary="收到货款")
    lines = list(voucher.lines.order_by("line_no"))
    assert [line.account.code for line in lines] == ["1002", "1122.01"]
    assert lines[1].dimension is not None and lines[1].dimension.code == "KH-000001"


def test_voucher_create_names_the_candidates_when_a_typed_account_fits_several(
    client: Client, accounts, accountant
):
    client.force_login(accountant)
    response = client.post(
        "/ledger/vouchers/new/",
        _grid(
            [{"account": "1002", "debit": "100"}, {"account": "zy", "credit": "100"}],
            summary="收入",
        ),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Several match (6001 主营业务收入, 6401 主营业务成本)" in body
    assert not Voucher.objects.filter(summary="收入").exists()


def test_voucher_edit_replaces_lines_when_draft(client: Client, accounts, accountant):
    voucher = _draft(accountant, accounts)
    client.force_login(accountant)
    page = client.get(f"/ledger/vouchers/{voucher.pk}/edit/")
    assert page.context["formset"].initial[0]["account"] == "1002 银行存款"
    response = client.post(
        f"/ledger/vouchers/{voucher.pk}/edit/",
        _grid([{"account": "1405", "debit": "7"}, {"account": "6001", "credit": "7"}]),
    )
    assert response.status_code == 302
    assert [line.account.code for line in voucher.lines.order_by("line_no")] == ["1405", "6001"]


def test_voucher_edit_redirects_when_not_draft(
    client: Client, accounts, accountant, finance_manager
):
    voucher = _posted(accountant, finance_manager, accounts)
    client.force_login(accountant)
    response = client.get(f"/ledger/vouchers/{voucher.pk}/edit/")
    assert response.status_code == 302
    assert "Only drafts" in " ".join(_messages(response))


def test_customer_lookup_returns_options_when_typing(client: Client, customer_dim, accountant):
    client.force_login(accountant)
    response = client.get("/ledger/vouchers/customers/", {"q": "小米"})
    assert "KH-000001 北京小米科技有限公司" in response.content.decode()
    response = client.get("/ledger/vouchers/customers/", {"q": "华为"})
    assert "KH-000001" not in response.content.decode()


# ---------------------------------------------------------------------------- voucher workflow


def test_voucher_detail_offers_review_only_when_not_maker(
    client: Client, accounts, accountant, finance_manager
):
    voucher = _draft(accountant, accounts)
    client.force_login(accountant)
    own = client.get(f"/ledger/vouchers/{voucher.pk}/")
    assert own.context["can"]["review"] is False
    assert own.context["can"]["edit"] and own.context["can"]["delete"]
    client.force_login(finance_manager)
    other = client.get(f"/ledger/vouchers/{voucher.pk}/")
    assert other.context["can"]["review"] is True
    assert other.context["can"]["post"] is False


def test_voucher_review_post_and_reverse_when_finance_manager_acts(
    client: Client, accounts, accountant, finance_manager
):
    voucher = _draft(accountant, accounts)
    client.force_login(finance_manager)
    client.post(f"/ledger/vouchers/{voucher.pk}/review/")
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.REVIEWED
    page = client.get(f"/ledger/vouchers/{voucher.pk}/")
    assert page.context["can"]["post"] and page.context["can"]["unreview"]
    client.post(f"/ledger/vouchers/{voucher.pk}/post/")
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.POSTED
    assert str(voucher) == "记-202601-0001"
    page = client.get(f"/ledger/vouchers/{voucher.pk}/")
    assert page.context["can"]["reverse"] is True
    assert not page.context["can"]["edit"]
    response = client.post(
        f"/ledger/vouchers/{voucher.pk}/reverse/", {"on": "2026-01-31", "summary": ""}
    )
    red = Voucher.objects.get(reverses=voucher)
    assert response["Location"] == reverse("ledger:voucher_detail", args=[red.pk])
    assert red.lines.get(line_no=1).debit_amount == D("-100.00")
    again = client.get(f"/ledger/vouchers/{voucher.pk}/")
    assert again.context["can"]["reverse"] is False
    assert again.context["reversal"] == red


def test_voucher_review_refused_with_message_when_maker_reviews(
    client: Client, accounts, accountant
):
    voucher = _draft(accountant, accounts)
    client.force_login(accountant)
    response = client.post(f"/ledger/vouchers/{voucher.pk}/review/")
    assert response.status_code == 302
    assert "maker" in " ".join(_messages(response))
    voucher.refresh_from_db()
    assert voucher.status == VoucherStatus.DRAFT


def test_voucher_unreview_returns_to_draft_when_reviewed(
    client: Client, accounts, accountant, finance_manager
):
    voucher = _draft(accountant, accounts)
    services.voucher_review(actor=finance_manager, voucher=voucher)
    client.force_login(finance_manager)
    client.post(f"/ledger/vouchers/{voucher.pk}/unreview/")
    voucher.refresh_from_db()
    assert (voucher.status, voucher.reviewer) == (VoucherStatus.DRAFT, None)


def test_voucher_delete_removes_draft_when_allowed(client: Client, accounts, accountant):
    voucher = _draft(accountant, accounts)
    client.force_login(accountant)
    response = client.post(f"/ledger/vouchers/{voucher.pk}/delete/")
    assert response["Location"] == reverse("ledger:vouchers")
    assert not Voucher.objects.exists()


def test_voucher_delete_refused_when_posted(client: Client, accounts, accountant, finance_manager):
    voucher = _posted(accountant, finance_manager, accounts)
    client.force_login(finance_manager)
    client.post(f"/ledger/vouchers/{voucher.pk}/delete/")
    assert Voucher.objects.filter(pk=voucher.pk, status="posted").exists()


def test_voucher_action_refused_403_when_salesperson(
    client: Client, accounts, accountant, sales_user
):
    voucher = _draft(accountant, accounts)
    client.force_login(sales_user)
    assert client.post(f"/ledger/vouchers/{voucher.pk}/delete/").status_code == 403
    assert Voucher.objects.filter(pk=voucher.pk).exists()


def test_voucher_action_404_when_unknown_action(client: Client, accounts, accountant):
    voucher = _draft(accountant, accounts)
    client.force_login(accountant)
    assert client.post(f"/ledger/vouchers/{voucher.pk}/explode/").status_code == 404


def test_voucher_action_refuses_get_when_method_not_post(client: Client, accounts, accountant):
    voucher = _draft(accountant, accounts)
    client.force_login(accountant)
    assert client.get(f"/ledger/vouchers/{voucher.pk}/delete/").status_code == 405
    assert Voucher.objects.filter(pk=voucher.pk).exists()


def test_voucher_print_shows_capitals_and_names_when_posted(
    client: Client, accounts, accountant, finance_manager
):
    voucher = _posted(accountant, finance_manager, accounts, "10005.30")
    client.force_login(accountant)
    response = client.get(f"/ledger/vouchers/{voucher.pk}/print/")
    body = response.content.decode()
    assert "Accounting voucher" in body
    assert "壹万零伍元叁角整" in body
    assert "记-202601-0001" in body
    assert "@media print" in body
    assert str(accountant) in body and str(finance_manager) in body


# ---------------------------------------------------------------------------- periods


def test_period_list_counts_vouchers_when_periods_exist(
    client: Client, accounts, accountant, finance_manager
):
    _draft(accountant, accounts)
    _posted(accountant, finance_manager, accounts)
    client.force_login(accountant)
    response = client.get("/ledger/periods/")
    period = response.context["periods"][0]
    assert (period.voucher_count, period.posted_count, period.unposted_count) == (2, 1, 1)


def test_period_close_shows_checklist_problems_when_refused(client: Client, accounts, accountant):
    _draft(accountant, accounts)
    client.force_login(accountant)
    response = client.post("/ledger/periods/202601/close/")
    assert response.status_code == 409
    assert "1 vouchers are not posted" in response.context["problems"]["202601"]
    assert 'id="close-problems"' in response.content.decode()
    assert Period.objects.get(year=2026, month=1).status == PeriodStatus.OPEN


def test_period_close_and_reopen_logged_when_finance_manager_gives_reason(
    client: Client, accounts, accountant, finance_manager
):
    _posted(accountant, finance_manager, accounts)
    carry_forward(accountant)
    client.force_login(accountant)
    assert client.post("/ledger/periods/202601/close/").status_code == 302
    assert Period.objects.get(year=2026, month=1).status == PeriodStatus.CLOSED
    assert client.post("/ledger/periods/202601/reopen/", {"reason": "x"}).status_code == 403
    client.force_login(finance_manager)
    response = client.post("/ledger/periods/202601/reopen/", {"reason": ""})
    assert "Say why" in " ".join(_messages(response))
    assert Period.objects.get(year=2026, month=1).status == PeriodStatus.CLOSED
    client.post("/ledger/periods/202601/reopen/", {"reason": "补录发票"})
    assert Period.objects.get(year=2026, month=1).status == PeriodStatus.OPEN
    page = client.get("/ledger/periods/")
    assert [(e.action, e.reason) for e in page.context["events"]] == [
        ("reopen", "补录发票"),
        ("close", ""),
    ]
    assert PeriodEvent.objects.count() == 2


def test_period_close_404_when_period_unknown(client: Client, books, accountant):
    client.force_login(accountant)
    assert client.post("/ledger/periods/209912/close/").status_code == 404
    assert client.post("/ledger/periods/abc/close/").status_code == 404


def test_period_close_refused_when_salesperson(client: Client, books, make_user):
    client.force_login(make_user(Role.SALES_MANAGER))
    assert client.post("/ledger/periods/202601/close/").status_code == 403


def test_period_log_says_closed_as_in_closing_the_books_when_in_chinese(
    client: Client, accounts, accountant, finance_manager, settings
):
    # "Closed" is also a customer status (停用, no longer served); the log means 结账.
    settings.LANGUAGE_CODE = "zh-hans"
    _posted(accountant, finance_manager, accounts)
    carry_forward(accountant)
    client.force_login(accountant)
    client.post("/ledger/periods/202601/close/")

    html = client.get("/ledger/periods/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    log = html[html.rindex("<table") :]  # the closing and re-opening log, below the periods
    assert "已结账" in log
    assert "停用" not in log
