"""Posting events and vouchers for ledger tests, built the way business code posts them.

Shared by several test modules: keep the signatures stable.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from suanpan.ledger import services
from suanpan.ledger.choices import AccountRole, TransferKind
from suanpan.ledger.models import Account, AccountRoleMap, Dimension, Period, Voucher
from suanpan.ledger.services import LineInput
from suanpan.ledger.types import PostingEvent, RoleLine
from suanpan.users.models import User

D = Decimal


def invoice_event(
    number: str,
    amount: str,
    *,
    on: date = date(2026, 1, 15),
    due: date | None = None,
    customer: str = "KH-000001",
) -> PostingEvent:
    """Dr receivable (an open item due `due`) / Cr revenue, Cr output VAT at 13 %."""
    gross = D(amount)
    net = (gross / D("1.13")).quantize(D("0.01"))
    return PostingEvent(
        source_type="invoicing.invoice",
        source_id=number,
        event="issued",
        date=on,
        summary=f"发票 {number}",
        lines=(
            RoleLine(
                AccountRole.RECEIVABLE,
                debit=gross,
                dimension_code=customer,
                due_on=due or date(2026, 2, 14),
            ),
            RoleLine(AccountRole.REVENUE, credit=net),
            RoleLine(AccountRole.VAT_OUTPUT, credit=gross - net),
        ),
    )


def receipt_event(
    number: str, amount: str, *, on: date = date(2026, 1, 20), customer: str = "KH-000001"
) -> PostingEvent:
    """Dr bank / Cr receivable (a negative open item)."""
    return PostingEvent(
        source_type="receivables.receipt",
        source_id=number,
        event="received",
        date=on,
        summary=f"收款 {number}",
        word="收",
        lines=(
            RoleLine(AccountRole.BANK, debit=D(amount)),
            RoleLine(AccountRole.RECEIVABLE, credit=D(amount), dimension_code=customer),
        ),
    )


def posted_voucher(
    *,
    maker: User,
    poster: User,
    lines: list[LineInput],
    on: date = date(2026, 1, 10),
    summary: str = "手工凭证",
) -> Voucher:
    """A manual voucher made by one user, reviewed and posted by another."""
    voucher = services.voucher_create(actor=maker, date=on, summary=summary, lines=lines)
    services.voucher_review(actor=poster, voucher=voucher)
    services.voucher_post(actor=poster, voucher=voucher)
    voucher.refresh_from_db()
    return voucher


def cash_sale_lines(accounts: dict[str, Account], amount: str) -> list[LineInput]:
    """Dr bank / Cr revenue of `amount`."""
    return [
        LineInput(accounts["1002"], debit=D(amount)),
        LineInput(accounts["6001"], credit=D(amount)),
    ]


def cash_sale(
    accounts: dict[str, Account], amount: str, *, maker: User, poster: User, on: date
) -> Voucher:
    """Dr bank / Cr revenue, entered by hand."""
    return posted_voucher(
        maker=maker, poster=poster, on=on, summary="现销", lines=cash_sale_lines(accounts, amount)
    )


def draft_cash_sale(
    accounts: dict[str, Account], maker: User, amount: str = "10.00", on: date = date(2026, 1, 10)
) -> Voucher:
    """A cash sale entered and left as a draft."""
    return services.voucher_create(
        actor=maker, date=on, summary="现销", lines=cash_sale_lines(accounts, amount)
    )


def january_sales(accounts: dict[str, Account], *, maker: User, poster: User) -> list[Voucher]:
    """Three posted cash sales in January 2026: 100, 20 and 3 yuan, summaries 现销5, 现销12, 现销20."""
    return [
        posted_voucher(
            maker=maker,
            poster=poster,
            lines=cash_sale_lines(accounts, amount),
            on=date(2026, 1, day),
            summary=f"现销{day}",
        )
        for day, amount in ((5, "100.00"), (12, "20.00"), (20, "3.00"))
    ]


# ---------------------------------------------------------------------------- month-end


def carry_forward(actor: User, *, year: int = 2026, month: int = 1) -> Voucher | None:
    """The month's profit and loss carried forward to 本年利润: what closing it asks first."""
    period = Period.objects.get(year=year, month=month)
    return services.transfer_post(actor=actor, period=period, kind=TransferKind.PNL)


def role_accounts() -> dict[str, Account]:
    """The chart's accounts by role, and by code: what the transfer tests post to under
    either standard (the codes differ, the roles do not)."""
    found: dict[str, Account] = {a.code: a for a in Account.objects.all()}
    for mapping in AccountRoleMap.objects.select_related("account"):
        found[mapping.role] = mapping.account
    found["surcharges"] = Account.objects.get(name="税金及附加")
    return found


def post_lines(
    *,
    maker: User,
    poster: User,
    on: date,
    summary: str,
    lines: list[tuple[Account, str, str] | tuple[Account, str, str, Dimension | None]],
) -> Voucher:
    """A manual voucher from (account, debit, credit[, customer]) rows, made, reviewed and
    posted by two users."""
    inputs = [
        LineInput(row[0], D(row[1]), D(row[2]), row[3] if len(row) > 3 else None)  # type: ignore[misc]
        for row in lines
    ]
    return posted_voucher(maker=maker, poster=poster, lines=inputs, on=on, summary=summary)


def january_trading(
    accounts: dict[str, Account], customer: Dimension, *, maker: User, poster: User
) -> None:
    """The hand-computed month the transfer tests check (January 2026, either standard).

    Revenue 10,000.00 in cash and 2,000.00 to a customer (kept on the revenue line too), cost
    6,000.00, selling expenses 800.00, bank charges 15.50 against interest received 20.00
    (财务费用 ends with a credit balance of 4.50), non-operating income 100.00. Output VAT
    1,300.00 + 260.00, input VAT 518.50: 应交增值税 has a credit balance of 1,041.50.
    Income 12,100.00 less costs and expenses 6,795.50: a profit of 5,304.50 before 附加税.
    """
    a = accounts
    on = date(2026, 1, 10)
    post_lines(
        maker=maker,
        poster=poster,
        on=on,
        summary="现销",
        lines=[
            (a["bank"], "11300.00", "0"),
            (a["revenue"], "0", "10000.00"),
            (a["vat_output"], "0", "1300.00"),
        ],
    )
    post_lines(
        maker=maker,
        poster=poster,
        on=on,
        summary="赊销",
        lines=[
            (a["receivable"], "2260.00", "0", customer),
            (a["revenue"], "0", "2000.00", customer),
            (a["vat_output"], "0", "260.00"),
        ],
    )
    post_lines(
        maker=maker,
        poster=poster,
        on=on,
        summary="结转销售成本",
        lines=[(a["cogs"], "6000.00", "0"), (a["inventory"], "0", "6000.00")],
    )
    post_lines(
        maker=maker,
        poster=poster,
        on=on,
        summary="购进商品",
        lines=[
            (a["inventory"], "3988.46", "0"),
            (a["2221.01.01"], "518.50", "0"),
            (a["bank"], "0", "4506.96"),
        ],
    )
    post_lines(
        maker=maker,
        poster=poster,
        on=on,
        summary="广告费",
        lines=[(a["selling_expense"], "800.00", "0"), (a["bank"], "0", "800.00")],
    )
    post_lines(
        maker=maker,
        poster=poster,
        on=on,
        summary="手续费",
        lines=[(a["financial_expense"], "15.50", "0"), (a["bank"], "0", "15.50")],
    )
    post_lines(
        maker=maker,
        poster=poster,
        on=on,
        summary="利息收入",
        lines=[(a["bank"], "20.00", "0"), (a["financial_expense"], "0", "20.00")],
    )
    post_lines(
        maker=maker,
        poster=poster,
        on=on,
        summary="罚没收入",
        lines=[(a["bank"], "100.00", "0"), (a["non_operating_income"], "0", "100.00")],
    )
