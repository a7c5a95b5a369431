"""Demo receivables: the company's bank account, and receipts for the demo invoices in each
state an accountant meets — settled whole with the receipt, settled in part, received and not
yet settled (an automatic match then settles one such), and an advance from a customer with
nothing invoiced yet. Then bad debts: one invoice written off (made by the accountant, approved
by the finance manager) and the month's provision posted with a default matrix; and two
statements sent to customers who owe, one confirmed online and one disputed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.mail import get_connection
from django.utils import timezone

from suanpan.customers.selectors import customer_by_number, customer_list
from suanpan.ledger.selectors import account_for_role, open_items
from suanpan.ledger.types import Role
from suanpan.receivables.choices import ReceiptMethod, StatementAnswer
from suanpan.receivables.selectors import (
    bank_account_by_number,
    books_keep_provision,
    statement_token,
)
from suanpan.receivables.services import (
    Allocation,
    BankAccountInput,
    RateInput,
    ReceiptInput,
    StatementInput,
    WriteOffInput,
    WriteOffItem,
    bank_account_create,
    provision_post,
    provision_rates_save,
    receipt_create,
    settlement_auto,
    statement_answer_online,
    statement_create,
    statement_send,
    writeoff_approve,
    writeoff_create,
)
from suanpan.users.models import User

# In turn, what each customer with an open invoice does.
FATES = ("settled", "partly", "unsettled", "auto")
BANK_NUMBER = "1100000000000000001"


def demo_receivables(*, users: dict[str, User], today: date | None = None) -> int:
    """Receipts for the customers that owe on the demo invoices; returns how many were made."""
    accountant = users["accountant"]
    today = today or timezone.localdate()
    receivable = account_for_role(Role.RECEIVABLE)
    if receivable is None:
        return 0
    bank = bank_account_by_number(number=BANK_NUMBER) or bank_account_create(
        data=BankAccountInput(
            name="基本户", bank_name="中国工商银行北京分行", account_number=BANK_NUMBER
        ),
        actor=users["admin"],
    )
    first_items: dict[str, tuple[int, Decimal, date]] = {}
    for row in open_items(account=receivable):
        if row.amount_fen > 0 and row.dimension_code not in first_items:
            # An item a red invoice already settled in part has history: receive after it.
            on = row.posted_on if row.open_fen == row.amount_fen else today
            first_items[row.dimension_code] = (row.pk, row.open_amount, on)
    made = 0
    for index, (code, (item_id, open_amount, posted_on)) in enumerate(sorted(first_items.items())):
        customer = customer_by_number(user=accountant, number=code)
        if customer is None:
            continue
        fate = FATES[index % len(FATES)]
        on = min(posted_on + timedelta(days=12), today)
        settled = {
            "settled": open_amount,
            "partly": (open_amount / 2).quantize(Decimal("0.01")),
        }.get(fate)
        receipt_create(
            data=ReceiptInput(
                customer_id=customer.pk,
                received_on=on,
                amount=settled if fate == "partly" and settled else open_amount,
                method=ReceiptMethod.BANK_TRANSFER,
                bank_account_id=bank.pk,
                payer_name=customer.invoice_title or customer.name,
                payer_account=f"6222{customer.pk:015d}",
                reference="货款",
                allocations=(Allocation(item_id, settled),) if settled else (),
            ),
            actor=accountant,
        )
        made += 1
        if fate == "auto":
            settlement_auto(customer_id=customer.pk, actor=accountant, on=today)
    made += _advance(accountant, set(first_items), bank=bank, today=today)
    _bad_debts(users, receivable=receivable, today=today)
    _statements(accountant, first_items, today=today)
    return made


# The matrix's default rates, 1年以内 … 5年以上, as annual reports commonly disclose them.
DEMO_RATES = ("0.05", "0.10", "0.30", "0.50", "1.00")


def _bad_debts(users: dict[str, User], *, receivable: Any, today: date) -> None:
    """Write off the last untouched invoice of a customer that paid nothing it could settle
    (no receipt or advance waiting: an accountant writes off only what will not come), then
    post the month's provision."""
    accountant, finance = users["accountant"], users["finance"]
    rows = list(open_items(account=receivable))
    advance = account_for_role(Role.CUSTOMER_ADVANCE)
    if advance is not None:
        rows += list(open_items(account=advance))
    paying = {row.dimension_code for row in rows if row.amount_fen < 0}
    untouched = [
        row
        for row in rows
        if row.amount_fen > 0
        and row.open_fen == row.amount_fen
        and row.dimension_code not in paying
    ]
    if untouched:
        row = max(untouched, key=lambda r: (r.dimension_code, r.pk))
        customer = customer_by_number(user=accountant, number=row.dimension_code)
        if customer is not None:
            writeoff = writeoff_create(
                data=WriteOffInput(
                    customer_id=customer.pk,
                    reason="客户已注销，经法院裁定无财产可供执行",
                    items=(WriteOffItem(row.pk, row.open_amount),),
                    written_off_on=today,
                ),
                actor=accountant,
            )
            writeoff_approve(writeoff=writeoff, actor=finance, on=today)
    if books_keep_provision():
        provision_rates_save(
            rates=[RateInput(bucket=b, rate=Decimal(r)) for b, r in enumerate(DEMO_RATES)],
            actor=finance,
        )
        provision_post(period=today.strftime("%Y-%m"), actor=accountant)


# The demo customers' answers on their statement links: (answer, notes).
STATEMENT_ANSWERS = (
    (StatementAnswer.CONFIRMED, ""),
    (StatementAnswer.DISPUTED, "第二张发票的货物尚未收到，请核实。"),
)


def _statements(
    accountant: User, owing: dict[str, tuple[int, Decimal, date]], *, today: date
) -> None:
    """Statements from the month of each customer's first invoice to today, sent (to no real
    mailbox) and answered on the signed link: one confirmed, one disputed."""
    quiet = get_connection("django.core.mail.backends.dummy.EmailBackend")
    codes = sorted(owing)[: len(STATEMENT_ANSWERS)]
    for code, (answer, notes) in zip(codes, STATEMENT_ANSWERS, strict=False):
        customer = customer_by_number(user=accountant, number=code)
        if customer is None:
            continue
        start = owing[code][2].replace(day=1)
        statement = statement_create(
            data=StatementInput(customer_id=customer.pk, start_on=start, end_on=today),
            actor=accountant,
        )
        statement = statement_send(
            statement=statement,
            email=f"finance@{customer.number.lower()}.example.com",
            actor=accountant,
            connection=quiet,
        )
        statement_answer_online(
            token=statement_token(statement),
            answer=answer,
            notes=notes,
            ip="203.0.113.10",
            user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)",
        )


def _advance(accountant: User, owing: set[str], *, bank: Any, today: date) -> int:
    """A deposit (预收) from the first customer that owes nothing yet."""
    customers, _filters = customer_list(user=accountant, filters={"ordering": "number"})
    for customer in customers[:50]:
        if customer.number in owing:
            continue
        receipt_create(
            data=ReceiptInput(
                customer_id=customer.pk,
                received_on=today - timedelta(days=3),
                amount=Decimal("20000.00"),
                method=ReceiptMethod.BANK_TRANSFER,
                bank_account_id=bank.pk,
                payer_name=customer.name,
                reference="预付货款",
            ),
            actor=accountant,
        )
        return 1
    return 0
