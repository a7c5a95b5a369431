"""A bank account, and its statement lines confirmed as receipts (many at once) or ignored as no
receipt at all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.errors import NotFound
from suanpan.core.locks import for_update
from suanpan.receivables.choices import BankLineStatus
from suanpan.receivables.errors import BankLineNotUnmatched, StatementInvalid
from suanpan.receivables.models import BankAccount, BankLine, Receipt
from suanpan.receivables.services.receipts import Allocation, ReceiptInput, receipt_create
from suanpan.receivables.services.settlements import customer_for
from suanpan.users.models import User
from suanpan.users.permissions import permission_require


@dataclass(frozen=True)
class BankAccountInput:
    name: str
    account_number: str
    bank_name: str = ""
    notes: str = ""


@audited
@transaction.atomic
def bank_account_create(*, data: BankAccountInput, actor: User) -> BankAccount:
    permission_require(actor, "receivables.add_bankaccount")
    number = data.account_number.replace(" ", "")
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Name the account.")]
    if not number:
        errors["account_number"] = [_("Enter the account number.")]
    elif BankAccount.objects.filter(account_number=number).exists():
        errors["account_number"] = [_("The company has this account already.")]
    if errors:
        raise StatementInvalid(reason=_("the bank account cannot be saved"), fields=errors)
    try:
        with transaction.atomic():
            return BankAccount.objects.create(
                name=data.name.strip()[:100],
                account_number=number[:40],
                bank_name=data.bank_name.strip()[:100],
                notes=data.notes.strip()[:300],
            )
    except IntegrityError as exc:
        # Another request added the same number since the check above.
        raise StatementInvalid(
            reason=_("the bank account cannot be saved"),
            fields={"account_number": [_("The company has this account already.")]},
        ) from exc


@dataclass(frozen=True)
class LineConfirm:
    """Make the line a receipt of `customer_id`, settling `allocations` with it at once."""

    line_id: int
    customer_id: int
    allocations: Sequence[Allocation] = ()


def _refused(line: BankLine) -> BankLineNotUnmatched:
    return BankLineNotUnmatched(line=line.pk, status=line.get_status_display())


@audited
@transaction.atomic
def bank_lines_confirm(*, lines: Sequence[LineConfirm], actor: User) -> list[Receipt]:
    """Confirm many lines at once, each as a receipt (payer, account, remark and bank account
    from the line) through receipt_create; all or none. A line confirmed or ignored already
    is refused, also when two confirmations race: the lines are locked first, in id order,
    then the customers in id order (docs/locking.md)."""
    permission_require(actor, "receivables.add_receipt")
    if not lines:
        raise StatementInvalid(reason=_("choose the lines to confirm"))
    ids = [entry.line_id for entry in lines]
    if len(set(ids)) != len(ids):
        raise StatementInvalid(reason=_("a line is named twice"))
    locked = {
        line.pk: line for line in for_update(BankLine.objects.filter(pk__in=ids).order_by("pk"))
    }
    for entry in lines:
        line = locked.get(entry.line_id)
        if line is None:
            raise NotFound()
        if line.status != BankLineStatus.UNMATCHED:
            raise _refused(line)
    for customer_id in sorted({entry.customer_id for entry in lines}):
        customer_for(actor, customer_id)
    receipts: list[Receipt] = []
    now = timezone.now()
    for entry in sorted(
        lines, key=lambda e: (e.customer_id, locked[e.line_id].booked_on, e.line_id)
    ):
        line = locked[entry.line_id]
        receipt = receipt_create(
            data=ReceiptInput(
                customer_id=entry.customer_id,
                received_on=line.booked_on,
                amount=line.amount,
                bank_account_id=line.bank_account_id,
                payer_name=line.counterparty_name,
                payer_account=line.counterparty_account,
                reference=line.summary[:200],
                notes=_("Bank line %(serial)s") % {"serial": line.serial} if line.serial else "",
                allocations=tuple(entry.allocations),
            ),
            actor=actor,
        )
        line.status = BankLineStatus.CONFIRMED
        line.receipt = receipt
        line.handled_by = actor
        line.handled_at = now
        line.save(update_fields=["status", "receipt", "handled_by", "handled_at"])
        receipts.append(receipt)
    return receipts


@audited
@transaction.atomic
def bank_line_ignore(*, line: BankLine, reason: str, actor: User) -> BankLine:
    """Set a line aside (a refund, a transfer between own accounts, interest): it leaves the
    queue with its reason and never becomes a receipt."""
    permission_require(actor, "receivables.add_receipt")
    reason = reason.strip()
    if not reason:
        raise StatementInvalid(
            reason=_("say why"), fields={"reason": [_("Say why the line is ignored.")]}
        )
    line = for_update(BankLine.objects.all()).get(pk=line.pk)
    if line.status != BankLineStatus.UNMATCHED:
        raise _refused(line)
    line.status = BankLineStatus.IGNORED
    line.ignore_reason = reason[:300]
    line.handled_by = actor
    line.handled_at = timezone.now()
    line.save(update_fields=["status", "ignore_reason", "handled_by", "handled_at"])
    return line
