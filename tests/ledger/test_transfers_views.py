"""Period-end transfer pages: a month's transfers with previews and post buttons, the template
pages, and who may see and do what (企业会计准则 books after the hand-computed January)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suanpan.ledger import services
from suanpan.ledger.choices import TransferKind
from suanpan.ledger.models import Account, Period, TransferTemplate, Voucher
from suanpan.ledger.services import TemplateInput, TemplateLineInput
from suanpan.ledger.types import TransferSource
from suanpan.users.choices import Role
from tests.ledger.builders import january_trading, role_accounts

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.parametrize("chart_books", ["cas"], indirect=True),
]
D = Decimal
PAGE = "/ledger/periods/202601/transfers/"


@pytest.fixture
def a(chart_books, chart_customer, accountant, finance_manager) -> dict[str, Account]:
    accounts = role_accounts()
    january_trading(accounts, chart_customer, maker=accountant, poster=finance_manager)
    return accounts


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _template(actor, a: dict[str, Account], name: str = "计提附加税") -> TransferTemplate:
    out = a["vat_transfer_out"]
    return services.transfer_template_create(
        actor=actor,
        data=TemplateInput(
            name=name,
            lines=(
                TemplateLineInput(a["surcharges"], "debit", "balancing"),
                TemplateLineInput(a["2221.13"], "credit", "movement", out, D("0.07"), "城建税"),
            ),
        ),
    )


def _line_data(rows: list[dict[str, str]], **header: str) -> dict[str, str]:
    data = {
        "name": "计提附加税",
        "summary": "",
        "sequence": "10",
        "is_active": "on",
        "lines-TOTAL_FORMS": str(len(rows)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
        **header,
    }
    for index, row in enumerate(rows):
        for name in ("account", "direction", "basis", "source_account", "percentage", "summary"):
            data[f"lines-{index}-{name}"] = row.get(name, "")
    return data


# ---------------------------------------------------------------------------- the month's page


def test_page_shows_each_transfer_in_order_with_what_it_would_post(client: Client, a, accountant):
    client.force_login(accountant)

    response = client.get(PAGE)

    assert response.status_code == 200
    keys = [p.key for p in response.context["previews"]]
    assert keys == ["vat", "pnl", "year-end"]
    html = response.content.decode()
    assert html.index('id="transfer-vat"') < html.index('id="transfer-pnl"')
    assert "1,041.50" in html  # the VAT to move
    assert "Run first: VAT payable transferred out" in html  # profit and loss waits for VAT
    assert html.count('type="submit">Post</button>') == 1  # only VAT can post now
    assert "the year-end transfer runs in December" in html


def test_post_button_posts_the_voucher_and_the_page_links_it(client: Client, a, accountant):
    client.force_login(accountant)

    response = client.post(f"{PAGE}vat/post/")

    assert response.status_code == 302
    assert response["Location"] == f"{PAGE}#transfer-vat"
    voucher = Voucher.objects.get(source_type=TransferSource.VAT)
    assert _messages(response) == [f"Voucher {voucher.display_number} posted."]
    html = client.get(PAGE).content.decode()
    assert f'href="/ledger/vouchers/{voucher.pk}/"' in html
    assert 'type="submit">Post</button>' in html  # profit and loss may run now


def test_post_out_of_order_says_what_to_run_first_and_posts_nothing(client: Client, a, accountant):
    client.force_login(accountant)

    response = client.post(f"{PAGE}pnl/post/")

    assert "Run these first for 202601: VAT payable transferred out" in _messages(response)[0]
    assert not Voucher.objects.filter(source_type=TransferSource.PNL).exists()


def test_post_again_says_nothing_is_left(client: Client, a, accountant):
    client.force_login(accountant)
    client.post(f"{PAGE}vat/post/")

    response = client.post(f"{PAGE}vat/post/")

    assert _messages(response)[-1] == "Nothing left to post: the books already hold this transfer."
    assert Voucher.objects.filter(source_type=TransferSource.VAT).count() == 1


def test_template_post_button_posts_its_voucher(client: Client, a, accountant):
    template = _template(accountant, a)
    client.force_login(accountant)
    client.post(f"{PAGE}vat/post/")

    response = client.post(f"{PAGE}template/{template.pk}/post/")

    assert response["Location"] == f"{PAGE}#transfer-template-{template.pk}"
    assert Voucher.objects.filter(source_id=f"202601/{template.pk}").count() == 1


def test_sales_may_not_see_or_post(client: Client, a, make_user):
    client.force_login(make_user(Role.SALES))

    assert client.get(PAGE).status_code == 403
    assert client.post(f"{PAGE}vat/post/").status_code == 403
    assert client.get("/ledger/transfers/templates/").status_code == 403
    assert not Voucher.objects.filter(source_type=TransferSource.VAT).exists()


def test_unknown_months_transfers_and_templates_answer_404(client: Client, a, accountant):
    client.force_login(accountant)

    assert client.get("/ledger/periods/202512/transfers/").status_code == 404  # before the books
    assert client.get("/ledger/periods/20261/transfers/").status_code == 404
    assert client.post(f"{PAGE}template/post/").status_code == 404
    assert client.post(f"{PAGE}bogus/post/").status_code == 404
    assert client.post(f"{PAGE}template/999/post/").status_code == 404
    assert client.get("/ledger/transfers/templates/999/").status_code == 404


def test_nav_entry_opens_the_month_the_books_work_in(client: Client, a, accountant):
    client.force_login(accountant)

    response = client.get("/ledger/transfers/")

    assert response.status_code == 302
    assert response["Location"] == PAGE


def test_closed_month_shows_no_post_button(client: Client, a, accountant):
    services.transfer_post(actor=accountant, period=Period.objects.get(), kind=TransferKind.VAT)
    services.transfer_post(actor=accountant, period=Period.objects.get(), kind=TransferKind.PNL)
    services.period_close(actor=accountant, period=Period.objects.get())
    client.force_login(accountant)

    html = client.get(PAGE).content.decode()

    assert "This month is closed" in html
    assert 'type="submit">Post</button>' not in html


def test_period_close_refusal_links_the_transfers_page(client: Client, a, accountant):
    client.force_login(accountant)

    response = client.post("/ledger/periods/202601/close/")

    html = response.content.decode()
    assert response.status_code == 409
    assert "income and expense accounts are not carried forward" in html
    assert f'href="{PAGE}"' in html


def test_page_in_chinese_names_the_transfers_in_chinese(client: Client, a, accountant, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(accountant)

    html = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "期末结转" in html
    assert "结转损益" in html
    assert "转出未交增值税" in html


# ---------------------------------------------------------------------------- templates


def test_template_form_creates_a_template_and_shows_it(client: Client, a, accountant):
    client.force_login(accountant)
    rows = [
        {"account": str(a["surcharges"].pk), "direction": "debit", "basis": "balancing"},
        {
            "account": str(a["2221.13"].pk),
            "direction": "credit",
            "basis": "movement",
            "source_account": str(a["vat_transfer_out"].pk),
            "percentage": "7",
            "summary": "城建税",
        },
        {"direction": "debit", "basis": "balancing"},  # an empty row
    ]

    response = client.post("/ledger/transfers/templates/new/", _line_data(rows))

    template = TransferTemplate.objects.get()
    assert response["Location"] == f"/ledger/transfers/templates/{template.pk}/"
    assert [(x.basis, x.rate) for x in template.lines.order_by("line_no")] == [
        ("balancing", None),
        ("movement", D("0.070000")),
    ]
    html = client.get(response["Location"]).content.decode()
    assert "7% of the month's movement of 2221.01.04 转出未交增值税" in html
    assert "created" in html


def test_template_form_shows_the_services_refusal_on_the_line(client: Client, a, accountant):
    client.force_login(accountant)
    rows = [
        {"account": str(a["surcharges"].pk), "direction": "debit", "basis": "balancing"},
        {"account": str(a["2221.13"].pk), "direction": "credit", "basis": "movement"},
    ]

    response = client.post("/ledger/transfers/templates/new/", _line_data(rows))

    assert response.status_code == 200
    formset = response.context["formset"]
    assert formset.forms[1].errors["source_account"] == ["Name the account the percentage reads."]
    assert "above 0 and at most 100" in formset.forms[1].errors["percentage"][0]
    assert not TransferTemplate.objects.exists()


def test_template_form_refuses_lines_that_cannot_balance(client: Client, a, accountant):
    client.force_login(accountant)
    rows = [
        {
            "account": str(a["surcharges"].pk),
            "direction": "debit",
            "basis": "movement",
            "source_account": str(a["vat_transfer_out"].pk),
            "percentage": "12",
        },
        {
            "account": str(a["2221.13"].pk),
            "direction": "credit",
            "basis": "movement",
            "source_account": str(a["vat_transfer_out"].pk),
            "percentage": "7",
        },
    ]

    response = client.post("/ledger/transfers/templates/new/", _line_data(rows))

    assert "same total percentage" in response.content.decode()
    assert not TransferTemplate.objects.exists()


def test_template_edit_and_delete_are_for_finance_managers(
    client: Client, a, accountant, finance_manager
):
    template = _template(accountant, a)
    client.force_login(accountant)
    assert client.get(f"/ledger/transfers/templates/{template.pk}/edit/").status_code == 403
    assert client.post(f"/ledger/transfers/templates/{template.pk}/delete/").status_code == 403

    client.force_login(finance_manager)
    page = client.get(f"/ledger/transfers/templates/{template.pk}/edit/")
    assert page.status_code == 200
    assert page.context["formset"].initial[1]["percentage"] == "7"
    response = client.post(f"/ledger/transfers/templates/{template.pk}/delete/")

    assert response["Location"] == "/ledger/transfers/templates/"
    assert not TransferTemplate.objects.exists()


def test_template_delete_refused_once_it_posted(client: Client, a, accountant, finance_manager):
    template = _template(accountant, a)
    services.transfer_post(actor=accountant, period=Period.objects.get(), kind=TransferKind.VAT)
    services.transfer_post(
        actor=accountant, period=Period.objects.get(), kind=TransferKind.TEMPLATE, template=template
    )
    client.force_login(finance_manager)

    response = client.post(f"/ledger/transfers/templates/{template.pk}/delete/")

    assert "deactivate it" in _messages(response)[0]
    assert TransferTemplate.objects.filter(pk=template.pk).exists()


def test_template_list_reads_a_fixed_number_of_queries(client: Client, a, accountant):
    client.force_login(accountant)
    _template(accountant, a, "一")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/ledger/transfers/templates/").status_code == 200
    _template(accountant, a, "二")
    _template(accountant, a, "三")

    with CaptureQueriesContext(connection) as three:
        html = client.get("/ledger/transfers/templates/").content.decode()

    assert len(three) == len(one)
    assert "一" in html and "三" in html


def test_template_list_empty_state_offers_a_new_template(client: Client, a, accountant):
    client.force_login(accountant)

    html = client.get("/ledger/transfers/templates/").content.decode()

    assert "No transfer templates yet." in html
    assert 'href="/ledger/transfers/templates/new/"' in html
