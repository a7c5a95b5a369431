"""The ledger's admin is read-only: it lists the books but changes nothing, above all no
posted voucher."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from suanpan.ledger import services
from suanpan.ledger.models import Voucher, VoucherLine
from suanpan.ledger.services import LineInput

pytestmark = pytest.mark.django_db

MODELS = [
    "voucher",
    "voucherline",
    "account",
    "accountrolemap",
    "period",
    "periodevent",
    "company",
    "dimension",
]


@pytest.fixture
def posted(accounts, accountant, finance_manager) -> Voucher:
    voucher = services.voucher_create(
        actor=accountant,
        date=date(2026, 1, 10),
        summary="收到投资款",
        lines=[
            LineInput(accounts["1002"], debit=Decimal("100")),
            LineInput(accounts["6001"], credit=Decimal("100")),
        ],
    )
    services.voucher_review(actor=finance_manager, voucher=voucher)
    return services.voucher_post(actor=finance_manager, voucher=voucher)


@pytest.mark.parametrize("model", MODELS)
def test_ledger_admin_lists_render_when_administrator(client: Client, admin_user, posted, model):
    client.force_login(admin_user)
    assert client.get(f"/admin/ledger/{model}/").status_code == 200


@pytest.mark.parametrize("model", MODELS)
def test_ledger_admin_add_refused_when_administrator(client: Client, admin_user, books, model):
    client.force_login(admin_user)
    assert client.get(f"/admin/ledger/{model}/add/").status_code == 403


def test_voucher_admin_is_read_only_when_posted(client: Client, admin_user, posted):
    client.force_login(admin_user)
    url = f"/admin/ledger/voucher/{posted.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert page.context["has_delete_permission"] is False
    client.post(url, {"summary": "篡改"})
    posted.refresh_from_db()
    assert posted.summary == "收到投资款"


def test_voucher_admin_delete_refused_when_posted(client: Client, admin_user, posted):
    client.force_login(admin_user)
    response = client.post(f"/admin/ledger/voucher/{posted.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Voucher.objects.filter(pk=posted.pk).exists()


def test_voucher_admin_offers_no_actions_when_listed(client: Client, admin_user, posted):
    client.force_login(admin_user)
    response = client.get("/admin/ledger/voucher/")
    assert response.context["action_form"] is None
    # A forged bulk delete through the changelist changes nothing either.
    client.post(
        "/admin/ledger/voucher/",
        {"action": "delete_selected", "_selected_action": [posted.pk], "post": "yes"},
    )
    assert Voucher.objects.filter(pk=posted.pk).exists()
    assert VoucherLine.objects.filter(voucher=posted).count() == 2


def test_voucherline_admin_change_refused_when_posted(client: Client, admin_user, posted):
    line = posted.lines.first()
    client.force_login(admin_user)
    client.post(f"/admin/ledger/voucherline/{line.pk}/change/", {"debit_amount": "1"})
    line.refresh_from_db()
    assert line.debit_amount == Decimal("100.00")


def test_ledger_admin_refused_when_accountant(client: Client, accountant, books):
    client.force_login(accountant)
    response = client.get("/admin/ledger/voucher/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
