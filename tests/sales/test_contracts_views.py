"""Contract pages: list, forms, actions, payment plan, attachments through checked views."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from suanpan.sales.choices import ContractStatus
from suanpan.sales.models import Contract, ContractAttachment
from suanpan.sales.services.contracts import contract_attachment_add, contract_create
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
D = Decimal
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _contract(seller: User, **data) -> Contract:
    return contract_create(
        actor=seller,
        customer=data.pop("customer", None) or CustomerFactory(owner=seller),
        data={"title": "年度维保合同", "amount": D("12000.00"), **data},
    )


def test_contract_list_within_a_fixed_query_budget(
    login: Callable[[User], Client], seller: User, django_assert_max_num_queries
) -> None:
    for _ in range(5):
        _contract(seller)
    client = login(seller)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("sales:contract_list"))

    assert response.content.decode().count("年度维保合同") == 5


def test_contract_list_htmx_returns_the_results_fragment(
    login: Callable[[User], Client], seller: User
) -> None:
    _contract(seller, number="SH-001")

    response = login(seller).get(
        reverse("sales:contract_list"), {"q": "SH-0"}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert "SH-001" in html and "<html" not in html


def test_contract_create_page(login: Callable[[User], Client], seller: User) -> None:
    customer = CustomerFactory(owner=seller)
    client = login(seller)

    response = client.post(
        reverse("sales:contract_create"),
        {"customer": customer.pk, "number": "", "title": "框架协议", "amount": "50000.00"},
    )

    contract = Contract.objects.get()
    assert response["Location"] == reverse("sales:contract_detail", args=[contract.pk])
    assert contract.number.startswith("HT-")


def test_contract_create_page_shows_a_taken_number_on_its_field(
    login: Callable[[User], Client], seller: User
) -> None:
    _contract(seller, number="SH-001")
    customer = CustomerFactory(owner=seller)

    response = login(seller).post(
        reverse("sales:contract_create"),
        {"customer": customer.pk, "number": "SH-001", "title": "x", "amount": "1.00"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["number"] == ["Contract number SH-001 is already taken."]


def test_contract_detail_and_activation(login: Callable[[User], Client], seller: User) -> None:
    contract = _contract(seller)
    client = login(seller)

    detail = client.get(reverse("sales:contract_detail", args=[contract.pk]))
    client.post(
        reverse("sales:contract_action", args=[contract.pk, "activate"]),
        {"signed_on": "2026-11-05"},
    )

    contract.refresh_from_db()
    assert detail.status_code == 200 and "壹万贰仟元整" in detail.content.decode()
    assert (contract.status, contract.signed_on) == (ContractStatus.ACTIVE, date(2026, 11, 5))


def test_contract_terminate_without_reason_is_refused(
    login: Callable[[User], Client], seller: User
) -> None:
    contract = _contract(seller)

    response = login(seller).post(
        reverse("sales:contract_action", args=[contract.pk, "terminate"]),
        {"reason": ""},
        follow=True,
    )

    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT
    assert "Say why the contract is terminated." in response.content.decode()


def test_contract_of_another_salesperson_is_not_found(
    login: Callable[[User], Client], seller: User, make_user: Callable[..., User]
) -> None:
    contract = _contract(seller)
    client = login(make_user(Role.SALES))

    assert client.get(reverse("sales:contract_detail", args=[contract.pk])).status_code == 404
    assert client.get(reverse("sales:contract_plan", args=[contract.pk])).status_code == 404


def _plan_data(rows: list[dict[str, str]]) -> dict[str, str]:
    data = {"plan-TOTAL_FORMS": str(len(rows) + 1), "plan-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"plan-{index}-{k}": v for k, v in row.items()})
    return data


def test_plan_page_saves_percentages(login: Callable[[User], Client], seller: User) -> None:
    contract = _contract(seller, amount=D("10000.01"))
    client = login(seller)

    response = client.post(
        reverse("sales:contract_plan", args=[contract.pk]),
        _plan_data(
            [
                {"due_on": "2026-12-01", "percentage": "30", "description": "预付款"},
                {"due_on": "2027-03-01", "percentage": "70", "description": "验收款"},
            ]
        ),
    )

    assert response.status_code == 302
    assert list(contract.instalments.values_list("amount", flat=True)) == [
        D("3000.00"),
        D("7000.01"),
    ]
    detail = client.get(reverse("sales:contract_detail", args=[contract.pk])).content.decode()
    assert "The plan adds up to the contract amount." in detail and "30%" in detail
    edit = client.get(reverse("sales:contract_plan", args=[contract.pk]))
    assert edit.context["formset"].forms[0].initial["percentage"] == "30"


def test_plan_page_explains_a_plan_that_does_not_add_up(
    login: Callable[[User], Client], seller: User
) -> None:
    contract = _contract(seller, amount=D("1000.00"))

    response = login(seller).post(
        reverse("sales:contract_plan", args=[contract.pk]),
        _plan_data(
            [
                {"due_on": "2026-12-01", "amount": "300"},
                {"due_on": "2026-11-01", "amount": "600"},
            ]
        ),
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Instalment 2 is due before instalment 1." in html
    assert not contract.instalments.exists()


def test_attachment_upload_download_and_delete(
    login: Callable[[User], Client], seller: User
) -> None:
    contract = _contract(seller)
    client = login(seller)

    client.post(
        reverse("sales:contract_attachment_upload", args=[contract.pk]),
        {"file": SimpleUploadedFile("签字页.pdf", PDF, content_type="application/pdf")},
    )
    attachment = ContractAttachment.objects.get()
    download = client.get(
        reverse("sales:contract_attachment_download", args=[contract.pk, attachment.pk])
    )
    deleted = client.post(
        reverse("sales:contract_attachment_delete", args=[contract.pk, attachment.pk])
    )

    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert deleted.status_code == 302
    assert not ContractAttachment.objects.exists()


def test_attachment_refused_type_is_reported(login: Callable[[User], Client], seller: User) -> None:
    contract = _contract(seller)

    response = login(seller).post(
        reverse("sales:contract_attachment_upload", args=[contract.pk]),
        {"file": SimpleUploadedFile("tool.exe", b"MZ\x90\x00")},
        follow=True,
    )

    assert "Only these files can be attached" in response.content.decode()
    assert not ContractAttachment.objects.exists()


def test_attachment_download_needs_the_contract_to_be_visible(
    login: Callable[[User], Client], seller: User, make_user: Callable[..., User]
) -> None:
    contract = _contract(seller)
    attachment = contract_attachment_add(
        actor=seller, contract=contract, upload=SimpleUploadedFile("a.pdf", PDF)
    )
    url = reverse("sales:contract_attachment_download", args=[contract.pk, attachment.pk])
    other_contract = _contract(seller)

    assert login(make_user(Role.SALES)).get(url).status_code == 404
    wrong_parent = reverse(
        "sales:contract_attachment_download", args=[other_contract.pk, attachment.pk]
    )
    assert login(seller).get(wrong_parent).status_code == 404


def test_customer_page_has_a_contracts_tab(login: Callable[[User], Client], seller: User) -> None:
    contract = _contract(seller)

    response = login(seller).get(
        reverse("customers:detail", args=[contract.customer_id]), {"tab": "contracts"}
    )

    assert contract.number in response.content.decode()
