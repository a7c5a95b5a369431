"""The whole ledger as a Beancount file, whose balances equal the trial balance."""

from datetime import date
from decimal import Decimal
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.ledger.choices import AccountCategory, Direction
from suanpan.ledger.exports.common import (
    ExportResult,
    Progress,
    amount_text,
    export_permission_require,
    one_line,
    posted_vouchers,
    voucher_stream,
)
from suanpan.ledger.models import Account, Company, Voucher
from suanpan.users.models import User

WORD_LINK = {"记": "ji", "收": "shou", "付": "fu", "转": "zhuan"}


def _beancount_root(top: Account) -> str:
    """The Beancount root of a first-level account.

    成本类 (production costs) are work in progress, an asset; 共同类 goes by its balance
    direction; profit and loss splits into Income (credit) and Expenses (debit).
    """
    category, debit = top.category, top.direction == Direction.DEBIT
    if category in (AccountCategory.ASSET, AccountCategory.COST):
        return "Assets"
    if category == AccountCategory.LIABILITY:
        return "Liabilities"
    if category == AccountCategory.EQUITY:
        return "Equity"
    if category == AccountCategory.COMMON:
        return "Assets" if debit else "Liabilities"
    return "Expenses" if debit else "Income"


def _beancount_component(segment: str, name: str) -> str:
    """`<code segment>-<name>` with what Beancount refuses turned into hyphens.

    A component holds letters (Chinese included), digits and hyphens and starts with a capital
    or a digit; the code segment in front gives it that start.
    """
    raw = f"{segment}-{name}"
    cleaned = "".join(c if c.isalpha() or c.isdecimal() or c == "-" else "-" for c in raw)
    while "--" in cleaned:
        cleaned = cleaned.replace("--", "-")
    cleaned = cleaned.strip("-")
    if not cleaned or not (
        cleaned[0].isdecimal() or (cleaned[0].isupper() and cleaned[0].isascii())
    ):
        cleaned = "X" + cleaned
    return cleaned


def beancount_account_names(accounts: list[Account]) -> dict[int, str]:
    """Beancount name of each account: the code tree under the root of its category.

    1122 应收账款 → Assets:1122-应收账款, 1122.01 客户 → Assets:1122-应收账款:01-客户.
    """
    by_pk = {a.pk: a for a in accounts}
    names: dict[int, str] = {}

    def name_of(account: Account) -> str:
        if account.pk in names:
            return names[account.pk]
        parent = by_pk.get(account.parent_id) if account.parent_id else None
        if parent is None:
            name = f"{_beancount_root(account)}:{_beancount_component(account.code, account.name)}"
        else:
            segment = account.code.removeprefix(parent.code).lstrip(".")
            name = f"{name_of(parent)}:{_beancount_component(segment, account.name)}"
        names[account.pk] = name
        return name

    for account in accounts:
        name_of(account)
    return names


def _bean_string(text: str) -> str:
    return '"' + one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _bean_link(voucher: Voucher) -> str:
    word = WORD_LINK.get(voucher.word, "v")
    return f"^{word}-{voucher.period.key}-{voucher.number:04d}"


def beancount_export(
    *, actor: User, out: IO[bytes], progress: Progress | None = None
) -> ExportResult:
    """The whole ledger as a Beancount file (UTF-8): accounts opened at the first period,
    one transaction per posted voucher in CNY; customers are posting metadata, so each
    account's balance is the trial balance's."""
    export_permission_require(actor)
    company = Company.objects.first()
    accounts = list(Account.objects.order_by("code"))
    names = beancount_account_names(accounts)
    opened_on = company.first_period if company else date(2000, 1, 1)
    title = company.name if company else "Suanpan"

    def write(text: str = "") -> None:
        out.write((text + "\n").encode("utf-8"))

    write(f"; {title}: {_('books exported from Suanpan on')} {timezone.localdate().isoformat()}")
    write(f"option {_bean_string('title')} {_bean_string(title)}")
    write('option "operating_currency" "CNY"')
    write()
    write(f"{opened_on.isoformat()} commodity CNY")
    for account in accounts:
        write(f"{opened_on.isoformat()} open {names[account.pk]} CNY")
        write(f"  code: {_bean_string(account.code)}")
    vouchers = lines = 0
    for voucher in voucher_stream(posted_vouchers()):
        vouchers += 1
        links = [_bean_link(voucher)]
        if voucher.reverses is not None:
            links.append(_bean_link(voucher.reverses))
        write()
        write(f"{voucher.date.isoformat()} * {_bean_string(voucher.summary)} {' '.join(links)}")
        write(f"  voucher: {_bean_string(voucher.display_number)}")
        if voucher.source_type:
            write(f"  source: {_bean_string(f'{voucher.source_type}:{voucher.source_id}')}")
        if voucher.reverses is not None:
            write(f"  reverses: {_bean_string(voucher.reverses.display_number)}")
        for line in voucher.lines.all():
            amount = Decimal(line.debit_amount) - Decimal(line.credit_amount)
            write(f"  {names[line.account_id]}  {amount_text(amount)} CNY")
            if line.dimension is not None:
                write(f"    customer: {_bean_string(line.dimension.code)}")
                write(f"    customer_name: {_bean_string(line.dimension.name)}")
            if line.summary and line.summary != voucher.summary:
                write(f"    memo: {_bean_string(line.summary)}")
            lines += 1
        if progress:
            progress(1)
    return ExportResult(vouchers=vouchers, lines=lines)
