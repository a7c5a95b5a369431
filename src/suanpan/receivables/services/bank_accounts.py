"""The company's own bank accounts (收款账户) receipts come into."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.receivables.errors import ReceiptInvalid
from suanpan.receivables.models import BankAccount
from suanpan.users.models import User
from suanpan.users.permissions import permission_require


@audited
@transaction.atomic
def bank_account_create(
    *, name: str, account_number: str, actor: User, bank_name: str = "", notes: str = ""
) -> BankAccount:
    """A new bank account; the number is kept without spaces and is unique."""
    permission_require(actor, "receivables.add_bankaccount")
    number = "".join(account_number.split())
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Name the account, e.g. 基本户.")]
    if not number or len(number) > 40:
        errors["account_number"] = [_("Enter the account number (at most 40 characters).")]
    if errors:
        raise ReceiptInvalid(fields=errors)
    try:
        with transaction.atomic():
            return BankAccount.objects.create(
                name=name.strip()[:100],
                bank_name=bank_name.strip()[:100],
                account_number=number,
                notes=notes.strip()[:300],
            )
    except IntegrityError as exc:
        raise ReceiptInvalid(
            fields={"account_number": [_("This account number is already recorded.")]}
        ) from exc
