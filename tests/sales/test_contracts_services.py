"""Contract services: numbering, status rules, payment plans and their messages, attachments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from suanpan.core.errors import NotFound, ValidationFailed
from suanpan.sales.choices import ContractStatus, QuoteStatus
from suanpan.sales.errors import (
    AttachmentRefused,
    ContractNotEditable,
    ContractNumberTaken,
    InvalidContractTransition,
    InvalidQuoteTransition,
    PaymentPlanInvalid,
)
from suanpan.sales.models import Contract, ContractAttachment
from suanpan.sales.selectors.contracts import contract_get, contract_list
from suanpan.sales.services import contracts as services
from suanpan.sales.services.contracts import InstalmentInput
from suanpan.sales.services.lines import LineInput
from suanpan.sales.services.quotes import quote_cancel, quote_create, quote_send
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.factories import CustomerFactory, ProductFactory

pytestmark = pytest.mark.django_db
D = Decimal
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _contract(seller: User, **data) -> Contract:
    customer = data.pop("customer", None) or CustomerFactory(owner=seller)
    return services.contract_create(
        actor=seller,
        customer=customer,
        data={"title": "年度供货合同", "amount": D("100000.00"), **data},
    )


def test_contract_create_numbers_blank_numbers_by_signing_month(seller: User) -> None:
    first = _contract(seller, signed_on=date(2026, 10, 8))
    typed = _contract(seller, number="SH-2026-017")

    assert first.number == "HT-202610-0001"
    assert typed.number == "SH-2026-017"
    assert first.history.get().history_user == seller


def test_contract_number_is_unique_whatever_the_case(seller: User) -> None:
    _contract(seller, number="SH-2026-017")

    with pytest.raises(ContractNumberTaken) as caught:
        _contract(seller, number="sh-2026-017")

    assert "number" in caught.value.fields


@pytest.mark.parametrize("amount", [D("0"), D("-5"), D("1.005")])
def test_contract_amount_must_be_positive_fen(seller: User, amount: Decimal) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _contract(seller, amount=amount)

    assert "amount" in caught.value.fields


def test_contract_for_an_invisible_customer_is_not_found(
    seller: User, make_user: Callable[..., User]
) -> None:
    contract = _contract(seller)
    colleague = make_user(Role.SALES)

    with pytest.raises(NotFound):
        _contract(colleague, customer=contract.customer)
    with pytest.raises(Http404):
        contract_get(user=colleague, pk=contract.pk)
    assert list(contract_list(user=colleague)[0]) == []
    with pytest.raises(NotFound):
        services.contract_update(actor=colleague, contract=contract, data={"title": "x"})


def test_contract_from_quote_takes_its_gross_amount_and_accepts_it(seller: User) -> None:
    product = ProductFactory(list_price=D("113"))
    quote = quote_send(
        actor=seller,
        quote=quote_create(
            actor=seller,
            customer=CustomerFactory(owner=seller),
            data={"terms": "预付30%"},
            lines=[LineInput(product_id=product.pk, quantity=D("10"))],
        ),
    )

    contract = services.contract_create_from_quote(actor=seller, quote=quote)

    quote.refresh_from_db()
    assert (contract.amount, contract.customer, contract.quote, contract.terms) == (
        D("1130.00"),
        quote.customer,
        quote,
        "预付30%",
    )
    assert contract.title == f"Contract for quote {quote.number}"
    assert quote.status == QuoteStatus.ACCEPTED
    assert list(quote.contracts.all()) == [contract]


def test_contract_from_a_cancelled_quote_is_refused(seller: User) -> None:
    product = ProductFactory()
    quote = quote_create(
        actor=seller,
        customer=CustomerFactory(owner=seller),
        data={},
        lines=[LineInput(product_id=product.pk, quantity=D("1"))],
    )
    quote_cancel(actor=seller, quote=quote)

    with pytest.raises(InvalidQuoteTransition):
        services.contract_create_from_quote(actor=seller, quote=quote)


def test_contract_lifecycle(seller: User) -> None:
    contract = _contract(seller)

    with pytest.raises(ValidationFailed) as unsigned:
        services.contract_activate(actor=seller, contract=contract)
    contract = services.contract_activate(
        actor=seller, contract=contract, signed_on=date(2026, 11, 3)
    )
    with pytest.raises(InvalidContractTransition):
        services.contract_activate(actor=seller, contract=contract)
    contract = services.contract_complete(actor=seller, contract=contract)

    assert "signed_on" in unsigned.value.fields
    assert (contract.status, contract.signed_on) == (ContractStatus.COMPLETED, date(2026, 11, 3))
    with pytest.raises(ContractNotEditable):
        services.contract_update(actor=seller, contract=contract, data={"title": "x"})
    with pytest.raises(InvalidContractTransition):
        services.contract_terminate(actor=seller, contract=contract, reason="客户违约")


def test_contract_terminate_needs_a_reason_and_logs_it(seller: User) -> None:
    contract = _contract(seller)

    with pytest.raises(ValidationFailed):
        services.contract_terminate(actor=seller, contract=contract, reason="  ")
    contract = services.contract_terminate(actor=seller, contract=contract, reason="客户违约")

    latest = contract.history.order_by("-history_id").first()
    assert contract.status == ContractStatus.TERMINATED
    assert (latest.history_user, latest.history_change_reason) == (seller, "Terminated: 客户违约")


def _plan(*rows: tuple[str, str | None, str | None]) -> list[InstalmentInput]:
    return [
        InstalmentInput(
            due_on=date.fromisoformat(due),
            percentage=D(p) if p else None,
            amount=D(a) if a else None,
            description=f"第{n}期",
        )
        for n, (due, p, a) in enumerate(rows, 1)
    ]


def test_plan_by_percentage_puts_the_remainder_on_the_last(seller: User) -> None:
    contract = _contract(seller, amount=D("100000.01"))

    instalments = services.contract_plan_set(
        actor=seller,
        contract=contract,
        instalments=_plan(
            ("2026-12-01", "0.3", None), ("2027-03-01", "0.3", None), ("2027-06-01", "0.4", None)
        ),
    )

    assert [i.amount for i in instalments] == [D("30000.00"), D("30000.00"), D("40000.01")]
    assert [i.position for i in contract.instalments.all()] == [1, 2, 3]
    assert contract.history.order_by("-history_id").first().history_change_reason == (
        "Payment plan: 3 instalments"
    )


def test_plan_by_amount_must_sum_exactly(seller: User) -> None:
    contract = _contract(seller, amount=D("1000.00"))

    with pytest.raises(PaymentPlanInvalid) as short:
        services.contract_plan_set(
            actor=seller,
            contract=contract,
            instalments=_plan(("2026-12-01", None, "600"), ("2027-01-01", None, "399.99")),
        )
    plan = services.contract_plan_set(
        actor=seller,
        contract=contract,
        instalments=_plan(("2026-12-01", None, "600"), ("2027-01-01", None, "400")),
    )

    assert short.value.message == (
        "The instalments add up to 999.99, not the contract amount 1,000.00 (0.01 short)."
    )
    assert [i.amount for i in plan] == [D("600.00"), D("400.00")]


@pytest.mark.parametrize(
    ("rows", "message", "field"),
    [
        (
            [("2026-12-01", "0.5", None), ("2027-01-01", "0.4", None)],
            "The percentages add up to 90%, not 100%.",
            None,
        ),
        (
            [("2026-12-01", "0.5", None), ("2027-01-01", None, "500")],
            "Give every instalment a percentage, or every instalment an amount, not both.",
            None,
        ),
        (
            [("2027-01-01", "0.5", None), ("2026-12-01", "0.5", None)],
            "Correct the instalments marked.",
            "instalments.1.due_on",
        ),
        (
            [("2026-12-01", None, None)],
            "Correct the instalments marked.",
            "instalments.0.amount",
        ),
    ],
)
def test_plan_refused_with_a_clear_message(
    seller: User, rows: list, message: str, field: str | None
) -> None:
    contract = _contract(seller, amount=D("1000.00"))

    with pytest.raises(PaymentPlanInvalid) as caught:
        services.contract_plan_set(actor=seller, contract=contract, instalments=_plan(*rows))

    assert caught.value.message == message
    if field:
        assert field in caught.value.fields
    assert not contract.instalments.exists()


def test_amount_change_reworks_a_percentage_plan(seller: User) -> None:
    contract = _contract(seller, amount=D("1000.00"))
    services.contract_plan_set(
        actor=seller,
        contract=contract,
        instalments=_plan(("2026-12-01", "0.3333", None), ("2027-01-01", "0.6667", None)),
    )

    services.contract_update(actor=seller, contract=contract, data={"amount": D("2000.01")})

    assert list(contract.instalments.values_list("amount", flat=True)) == [
        D("666.60"),
        D("1333.41"),
    ]


def test_amount_change_refused_while_an_amount_plan_fixes_it(seller: User) -> None:
    contract = _contract(seller, amount=D("1000.00"))
    services.contract_plan_set(
        actor=seller, contract=contract, instalments=_plan(("2026-12-01", None, "1000"))
    )

    with pytest.raises(PaymentPlanInvalid) as caught:
        services.contract_update(actor=seller, contract=contract, data={"amount": D("1200")})

    contract.refresh_from_db()
    assert "amount" in caught.value.fields
    assert contract.amount == D("1000.00")


def test_attachment_add_stores_the_file_and_delete_removes_it(seller: User, settings) -> None:
    contract = _contract(seller)

    attachment = services.contract_attachment_add(
        actor=seller,
        contract=contract,
        upload=SimpleUploadedFile("合同 扫描件.pdf", PDF, content_type="application/pdf"),
    )

    path = settings.MEDIA_ROOT / attachment.file.name
    assert attachment.file.name.startswith(f"contracts/{contract.pk}/")
    assert (attachment.name, attachment.size, attachment.uploaded_by) == (
        "合同_扫描件.pdf",
        len(PDF),
        seller,
    )
    assert path.read_bytes() == PDF
    services.contract_attachment_delete(actor=seller, attachment=attachment)
    assert not ContractAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "Only these files can be attached"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "The file's content is not PDF."),
        ("empty.png", b"", "The file is empty."),
    ],
)
def test_attachment_refused_by_type(seller: User, name: str, content: bytes, message: str) -> None:
    contract = _contract(seller)

    with pytest.raises(AttachmentRefused) as caught:
        services.contract_attachment_add(
            actor=seller, contract=contract, upload=SimpleUploadedFile(name, content)
        )

    assert message in caught.value.message


def test_attachment_refused_above_20_mb(seller: User) -> None:
    contract = _contract(seller)
    upload = SimpleUploadedFile("big.zip", b"PK\x03\x04" + b"0" * (20 * 1024 * 1024))

    with pytest.raises(AttachmentRefused) as caught:
        services.contract_attachment_add(actor=seller, contract=contract, upload=upload)

    assert caught.value.message == "The file is 20.0 MB; attachments are at most 20 MB."
