"""Every write to contracts (合同): the contract, its payment plan (回款计划) and attachments.

A contract is drafted, comes into force when signed (activate), and ends completed or
terminated (with a reason, kept in its history). Its payment plan always sums exactly to the
contract amount: by percentages (the rounding remainder on the last instalment) or by fixed
amounts; changing the amount of a contract with a plan re-works a percentage plan and refuses to
break an amount plan. Attachments are stored under MEDIA_ROOT and served only through a view
that checks the contract is visible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from suanpan.core.audit import audited
from suanpan.core.errors import (
    ValidationFailed,
    validation_failed_from_django,
)
from suanpan.core.locks import for_update
from suanpan.core.money import round_amount
from suanpan.core.numbering import number_next
from suanpan.ledger.services import business_dates_require
from suanpan.sales.calculations import InstalmentShare, instalment_amounts
from suanpan.sales.choices import QUOTE_CONVERTIBLE_STATUSES, ContractStatus, QuoteStatus
from suanpan.sales.errors import (
    AttachmentRefused,
    ContractNotEditable,
    ContractNumberTaken,
    InvalidContractTransition,
    InvalidQuoteTransition,
    PaymentPlanInvalid,
    QuoteAlreadyConverted,
)
from suanpan.sales.models import Contract, ContractAttachment, PaymentInstalment, Quote
from suanpan.sales.selectors.quotes import quote_contract
from suanpan.sales.services.quotes import customer_check, customer_check_visible
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

CONTRACT_SERIES = "HT"
CONTRACT_FIELDS = (
    "number",
    "title",
    "quote",
    "signed_on",
    "starts_on",
    "ends_on",
    "amount",
    "terms",
    "notes",
)
EDITABLE_STATUSES = (ContractStatus.DRAFT, ContractStatus.ACTIVE)
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Extension → how the file must begin, so a renamed executable is not stored as a "pdf".
ATTACHMENT_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "zip": (b"PK\x03\x04", b"PK\x05\x06"),
}


@dataclass(frozen=True, slots=True)
class InstalmentInput:
    """One instalment as entered: a percentage as a fraction (0.3 for 30 %) or an amount."""

    due_on: date
    percentage: Decimal | None = None
    amount: Decimal | None = None
    description: str = ""


def _contract_locked(contract: Contract) -> Contract:
    return for_update(Contract.objects.select_related("customer")).get(pk=contract.pk)


def _assign(contract: Contract, data: Mapping[str, Any]) -> None:
    unknown = set(data) - set(CONTRACT_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in sorted(unknown)})
    for name, value in data.items():
        setattr(contract, name, value.strip() if isinstance(value, str) else value)


def _dates(contract: Contract) -> dict[str, date | None]:
    return {name: getattr(contract, name) for name in ("signed_on", "starts_on", "ends_on")}


def _validate(contract: Contract, *, was: dict[str, date | None] | None = None) -> None:
    """Dates within the window (those unchanged since `was` are not checked again; the term
    may run further ahead than the signing), then the amount, term and quote."""
    dates = _dates(contract)
    business_dates_require({"signed_on": dates.pop("signed_on")}, dates, was=was)
    errors: dict[str, list[str]] = {}
    if contract.amount is None or contract.amount <= 0:
        errors["amount"] = [_("The contract amount must be above 0.")]
    elif contract.amount != round_amount(contract.amount):
        errors["amount"] = [_("The contract amount has at most 2 decimals.")]
    if contract.starts_on and contract.ends_on and contract.ends_on < contract.starts_on:
        errors["ends_on"] = [_("The term cannot end before it starts.")]
    quote: Quote | None = contract.quote
    if quote is not None and quote.customer_id != contract.customer_id:
        errors["quote"] = [_("The quote was made for another customer.")]
    if errors:
        raise ValidationFailed(fields=errors)
    try:
        contract.full_clean(exclude=["owner", "customer", "quote"], validate_unique=False)
    except ValidationError as exc:
        raise validation_failed_from_django(exc) from exc


def _number_check(contract: Contract) -> None:
    if Contract.objects.filter(number__iexact=contract.number).exclude(pk=contract.pk).exists():
        raise ContractNumberTaken(
            fields={"number": [ContractNumberTaken.default_message % {"number": contract.number}]},
            number=contract.number,
        )


def _save(contract: Contract) -> None:
    """Save; a number taken by a concurrent request since the check is still a field error."""
    try:
        with transaction.atomic():
            contract.save()
    except IntegrityError:
        _number_check(contract)
        raise


@audited
@transaction.atomic
def contract_create(
    *, actor: User, customer: Customer, data: Mapping[str, Any], change_reason: str = ""
) -> Contract:
    """A draft contract; a blank number becomes HT-YYYYMM-nnnn (month of signing, else today)."""
    permission_require(actor, "sales.add_contract")
    customer_check(actor=actor, customer=customer)
    contract = Contract(customer=customer, owner=actor)
    _assign(contract, data)
    typed_number = contract.number or ""
    contract.number = typed_number or "pending"
    _validate(contract)
    if typed_number:
        _number_check(contract)
    else:
        period = (contract.signed_on or timezone.localdate()).strftime("%Y%m")
        contract.number = number_next(series=CONTRACT_SERIES, period=period)
    if change_reason:
        contract._change_reason = change_reason  # type: ignore[attr-defined]
    _save(contract)
    return contract


@audited
@transaction.atomic
def contract_create_from_quote(
    *, actor: User, quote: Quote, data: Mapping[str, Any] | None = None
) -> Contract:
    """A contract for the quote's customer and amount including tax, from a sent or accepted
    quote; the quote is accepted. One contract per quote: a second is refused with
    `QuoteAlreadyConverted` naming the first."""
    permission_require(actor, "sales.add_contract")
    quote = for_update(Quote.objects.select_related("customer")).get(pk=quote.pk)
    customer_check_visible(actor=actor, customer=quote.customer)
    # One contract per quote; the quote's lock makes a double submit see the first one.
    existing = quote_contract(quote)
    if existing is not None:
        raise QuoteAlreadyConverted(
            _("Quote %(number)s was already converted to contract %(contract)s."),
            number=quote.number,
            contract=existing.number,
            existing_id=existing.pk,
        )
    if quote.status not in QUOTE_CONVERTIBLE_STATUSES:
        raise InvalidQuoteTransition(
            number=quote.number,
            status=quote.get_status_display(),
            action=pgettext("quote action", "made into a contract"),
        )
    values: dict[str, Any] = {
        "title": _("Contract for quote %(number)s") % {"number": quote.number},
        "terms": quote.terms,
        **(data or {}),
        "quote": quote,
        "amount": quote.gross_amount,
    }
    contract = contract_create(
        actor=actor,
        customer=quote.customer,
        data=values,
        change_reason=_("Made from quote %(number)s") % {"number": quote.number},
    )
    if quote.status != QuoteStatus.ACCEPTED:
        quote.status = QuoteStatus.ACCEPTED
        quote._change_reason = _("Contract %(number)s made from it") % {  # type: ignore[attr-defined]
            "number": contract.number
        }
        quote.save()
    return contract


def _editable(contract: Contract) -> None:
    if contract.status not in EDITABLE_STATUSES:
        raise ContractNotEditable(number=contract.number, status=contract.get_status_display())


@audited
@transaction.atomic
def contract_update(*, actor: User, contract: Contract, data: Mapping[str, Any]) -> Contract:
    """Change a draft or active contract. A new amount re-works a percentage plan; a plan of
    fixed amounts must be changed first (it would no longer add up)."""
    permission_require(actor, "sales.change_contract")
    contract = _contract_locked(contract)
    customer_check_visible(actor=actor, customer=contract.customer)
    _editable(contract)
    old_amount, old_dates = contract.amount, _dates(contract)
    _assign(contract, data)
    if not contract.number:
        raise ValidationFailed(fields={"number": [_("A contract needs a number.")]})
    _validate(contract, was=old_dates)
    _number_check(contract)
    if contract.amount != old_amount:
        _plan_follow_amount(contract)
    _save(contract)
    return contract


def _plan_follow_amount(contract: Contract) -> None:
    instalments = list(contract.instalments.order_by("position"))
    if not instalments:
        return
    if any(i.percentage is None for i in instalments):
        raise PaymentPlanInvalid(
            _(
                "The payment plan has fixed amounts summing to %(plan)s; change the plan "
                "together with the contract amount."
            )
            % {"plan": sum((i.amount for i in instalments), Decimal(0))},
            fields={
                "amount": [_("The payment plan fixes the amount; change the plan first.")],
            },
        )
    amounts = instalment_amounts(
        contract.amount, [InstalmentShare(percentage=i.percentage) for i in instalments]
    )
    for instalment, amount in zip(instalments, amounts, strict=True):
        instalment.amount = amount
    PaymentInstalment.objects.bulk_update(instalments, ["amount"])


def _transition(
    *,
    actor: User,
    contract: Contract,
    allowed: Sequence[str],
    to_status: str,
    action: str,
    reason: str = "",
) -> Contract:
    permission_require(actor, "sales.change_contract")
    contract = _contract_locked(contract)
    customer_check_visible(actor=actor, customer=contract.customer)
    if contract.status not in allowed:
        raise InvalidContractTransition(
            number=contract.number, status=contract.get_status_display(), action=action
        )
    contract.status = to_status
    if reason:
        contract._change_reason = reason  # type: ignore[attr-defined]
    return contract


@audited
@transaction.atomic
def contract_activate(
    *, actor: User, contract: Contract, signed_on: date | None = None
) -> Contract:
    """Draft → in force; the signing date is required (given here or already on the contract)."""
    contract = _transition(
        actor=actor,
        contract=contract,
        allowed=(ContractStatus.DRAFT,),
        to_status=ContractStatus.ACTIVE,
        action=pgettext("contract action", "put in force"),
    )
    if signed_on is not None:
        business_dates_require({"signed_on": signed_on}, was={"signed_on": contract.signed_on})
        contract.signed_on = signed_on
    if contract.signed_on is None:
        raise ValidationFailed(
            _("Enter the date the contract was signed."),
            fields={"signed_on": [_("Enter the date the contract was signed.")]},
        )
    contract.save()
    return contract


@audited
@transaction.atomic
def contract_complete(*, actor: User, contract: Contract) -> Contract:
    """In force → completed: both sides did what they signed for."""
    contract = _transition(
        actor=actor,
        contract=contract,
        allowed=(ContractStatus.ACTIVE,),
        to_status=ContractStatus.COMPLETED,
        action=pgettext("contract action", "completed"),
    )
    contract.save()
    return contract


@audited
@transaction.atomic
def contract_terminate(*, actor: User, contract: Contract, reason: str) -> Contract:
    """Draft or in force → terminated; the reason is required and kept in the history."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say why the contract is terminated."),
            fields={"reason": [_("Say why the contract is terminated.")]},
        )
    contract = _transition(
        actor=actor,
        contract=contract,
        allowed=EDITABLE_STATUSES,
        to_status=ContractStatus.TERMINATED,
        action=pgettext("contract action", "terminated"),
        reason=_("Terminated: %(reason)s") % {"reason": reason[:80]},
    )
    contract.save()
    return contract


def plan_amounts(*, amount: Decimal, instalments: Sequence[InstalmentInput]) -> list[Decimal]:
    """Each instalment's amount, or PaymentPlanInvalid saying what does not add up."""
    problems: dict[str, list[str]] = {}
    for index, instalment in enumerate(instalments):
        key = f"instalments.{index}"
        if (instalment.percentage is None) == (instalment.amount is None):
            problems[f"{key}.amount"] = [_("Give a percentage or an amount.")]
        elif instalment.percentage is not None and not 0 < instalment.percentage <= 1:
            problems[f"{key}.percentage"] = [_("A percentage lies above 0 and up to 100.")]
        elif instalment.amount is not None and (
            instalment.amount <= 0 or instalment.amount != round_amount(instalment.amount)
        ):
            problems[f"{key}.amount"] = [_("An amount is above 0, with at most 2 decimals.")]
        if index and instalment.due_on < instalments[index - 1].due_on:
            problems[f"{key}.due_on"] = [
                _("Instalment %(position)s is due before instalment %(previous)s.")
                % {"position": index + 1, "previous": index}
            ]
    if problems:
        raise PaymentPlanInvalid(_("Correct the instalments marked."), fields=problems)
    by_percentage = [i.percentage is not None for i in instalments]
    if any(by_percentage) and not all(by_percentage):
        raise PaymentPlanInvalid(
            _("Give every instalment a percentage, or every instalment an amount, not both.")
        )
    if all(by_percentage):
        total = sum((i.percentage or Decimal(0) for i in instalments), Decimal(0))
        if total != 1:
            raise PaymentPlanInvalid(
                _("The percentages add up to %(total)s%%, not 100%%.")
                % {"total": format((total * 100).normalize(), "f")}
            )
    else:
        total = sum((i.amount or Decimal(0) for i in instalments), Decimal(0))
        if total != amount:
            raise PaymentPlanInvalid(
                _(
                    "The instalments add up to %(total)s, not the contract amount %(amount)s "
                    "(%(difference)s %(direction)s)."
                )
                % {
                    "total": f"{total:,.2f}",
                    "amount": f"{amount:,.2f}",
                    "difference": f"{abs(amount - total):,.2f}",
                    "direction": _("short") if total < amount else _("over"),
                }
            )
    return instalment_amounts(
        amount,
        [InstalmentShare(percentage=i.percentage, amount=i.amount) for i in instalments],
    )


@audited
@transaction.atomic
def contract_plan_set(
    *, actor: User, contract: Contract, instalments: Sequence[InstalmentInput]
) -> list[PaymentInstalment]:
    """Replace the payment plan (an empty list removes it); it must sum to the contract amount
    and be due in ascending order."""
    permission_require(actor, "sales.change_contract")
    contract = _contract_locked(contract)
    customer_check_visible(actor=actor, customer=contract.customer)
    _editable(contract)
    stored = contract.instalments.order_by("position").values_list("due_on", flat=True)
    business_dates_require(
        {},
        {f"instalments.{i}.due_on": instalment.due_on for i, instalment in enumerate(instalments)},
        was={f"instalments.{i}.due_on": due_on for i, due_on in enumerate(stored)},
    )
    amounts = plan_amounts(amount=contract.amount, instalments=instalments) if instalments else []
    contract.instalments.all().delete()
    created = PaymentInstalment.objects.bulk_create(
        PaymentInstalment(
            contract=contract,
            position=position,
            due_on=instalment.due_on,
            percentage=instalment.percentage,
            amount=amount,
            description=instalment.description.strip(),
        )
        for position, (instalment, amount) in enumerate(zip(instalments, amounts, strict=True), 1)
    )
    # The plan has no history of its own: the contract's history says when it changed.
    contract._change_reason = _("Payment plan: %(count)s instalments") % {  # type: ignore[attr-defined]
        "count": len(created)
    }
    contract.save()
    return created


def _attachment_check(upload: UploadedFile) -> tuple[str, str]:
    """The stored name and extension of an upload, or AttachmentRefused saying why."""
    name = get_valid_filename(PurePath(upload.name or "").name) if upload.name else ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    allowed = ", ".join(sorted({"pdf", "jpg", "png", "docx", "xlsx", "zip"}))
    if extension not in ATTACHMENT_SIGNATURES:
        raise AttachmentRefused(
            _("Only these files can be attached: %(allowed)s.") % {"allowed": allowed},
            fields={
                "file": [_("Only these files can be attached: %(allowed)s.") % {"allowed": allowed}]
            },
        )
    size = upload.size or 0
    if size > MAX_ATTACHMENT_BYTES:
        message = _("The file is %(size)s MB; attachments are at most 20 MB.") % {
            "size": f"{size / 1024 / 1024:.1f}"
        }
        raise AttachmentRefused(message, fields={"file": [message]})
    if size == 0:
        raise AttachmentRefused(_("The file is empty."), fields={"file": [_("The file is empty.")]})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ATTACHMENT_SIGNATURES[extension]):
        message = _("The file's content is not %(kind)s.") % {"kind": extension.upper()}
        raise AttachmentRefused(message, fields={"file": [message]})
    return name, extension


@audited
@transaction.atomic
def contract_attachment_add(
    *, actor: User, contract: Contract, upload: UploadedFile
) -> ContractAttachment:
    """Attach a file (pdf, jpg, png, docx, xlsx or zip, at most 20 MB) to a contract."""
    permission_require(actor, "sales.change_contract")
    contract = _contract_locked(contract)
    customer_check_visible(actor=actor, customer=contract.customer)
    name, _extension = _attachment_check(upload)
    attachment = ContractAttachment(
        contract=contract, name=name[:200], size=upload.size or 0, uploaded_by=actor
    )
    # The storage adds a suffix when the name is taken, so files never overwrite each other.
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


@audited
@transaction.atomic
def contract_attachment_delete(*, actor: User, attachment: ContractAttachment) -> None:
    """Remove an attachment and its file (the file goes once the transaction commits)."""
    permission_require(actor, "sales.change_contract")
    contract = _contract_locked(attachment.contract)
    customer_check_visible(actor=actor, customer=contract.customer)
    file_name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    if file_name:
        transaction.on_commit(lambda: storage.delete(file_name))
