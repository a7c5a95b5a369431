import pytest
from django.core.management import call_command

from suanpan.customers import selectors
from suanpan.customers.models import Customer
from suanpan.demo.load import demo_load
from suanpan.demo.users import DEMO_USERS
from suanpan.users.choices import Role
from suanpan.users.models import User

pytestmark = pytest.mark.django_db


def test_demo_load_creates_a_user_per_role_and_customers_when_empty():
    made = demo_load(customers=30)
    assert made == 30
    assert Customer.objects.count() == 30
    roles = {str(g) for u in User.objects.all() for g in u.groups.values_list("name", flat=True)}
    assert roles == {str(r) for r in Role}
    assert {u.username for u in User.objects.all()} == {spec.username for spec in DEMO_USERS}
    numbers = sorted(Customer.objects.values_list("number", flat=True))
    assert numbers[0] == "KH-000001" and numbers[-1] == "KH-000030"


def test_demo_load_does_nothing_when_customers_exist():
    demo_load(customers=5)
    assert demo_load(customers=5) == 0
    assert Customer.objects.count() == 5


def test_demo_load_is_deterministic_and_findable_by_initials_when_seeded():
    demo_load(customers=10, seed=7)
    salesmgr = User.objects.get(username="salesmgr")
    queryset, _ = selectors.customer_list(user=salesmgr, filters={"q": "bjxm"})
    assert "北京小米科技有限公司" in [c.name for c in queryset]
    assert all(c.credit_code and len(c.credit_code) == 18 for c in Customer.objects.all())


def test_demo_command_prints_logins_when_run(capsys):
    call_command("demo", "--customers", "3")
    out = capsys.readouterr().out
    assert "Loaded 3 demo customers." in out
    assert "salesmgr" in out and "suanpan-demo" in out


def test_demo_command_refuses_negative_count_when_given():
    with pytest.raises(SystemExit):
        call_command("demo", "--customers", "-1")


def test_demo_books_balance_chain_and_pass_bean_check_when_loaded(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    from suanpan.ledger import exports, selectors, verification
    from suanpan.ledger.models import Period, Voucher

    demo_load(customers=30)
    assert Voucher.objects.filter(status="posted").count() >= 10
    assert Voucher.objects.filter(status="draft").count() == 1
    periods = list(Period.objects.order_by("year", "month"))
    balance = selectors.trial_balance(period_from=periods[0], period_to=periods[-1])
    assert balance.closing_debit == balance.closing_credit > 0
    assert verification.chain_verify().ok
    last_day = selectors.period_last_day(periods[-1])
    assert selectors.open_items_check(as_of=last_day) == []
    path = tmp_path / "demo.beancount"
    with path.open("wb") as out:
        exports.beancount_export(actor=User.objects.get(username="accountant"), out=out)
    result = subprocess.run(  # noqa: S603 - the venv's own checker on our own file
        [str(Path(sys.executable).parent / "bean-check"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_demo_sales_cover_every_order_stage_and_stock_equals_its_account_when_loaded():
    from django.db.models import Sum

    from suanpan.inventory.models import Delivery, DeliveryReturn, ProductCost, StockLevel
    from suanpan.ledger import selectors
    from suanpan.ledger.models import Period
    from suanpan.sales.models import Contract, Opportunity, SalesOrder

    demo_load(customers=30)

    statuses = set(SalesOrder.objects.values_list("status", flat=True))
    assert {"draft", "confirmed", "picking", "partly_shipped", "shipped"} <= statuses
    assert Delivery.objects.filter(status="signed").exists()
    assert DeliveryReturn.objects.exists()
    assert Opportunity.objects.values("stage").distinct().count() == 6
    contract = Contract.objects.get()
    assert sum(i.amount for i in contract.instalments.all()) == contract.amount
    assert not StockLevel.objects.filter(quantity__lt=0).exists()
    periods = list(Period.objects.order_by("year", "month"))
    balance = selectors.trial_balance(period_from=periods[0], period_to=periods[-1])
    inventory = next(row for row in balance.rows if row.account.code == "1405")
    stock_value = ProductCost.objects.aggregate(v=Sum("value_amount"))["v"]
    assert inventory.closing == stock_value > 0


def test_demo_invoicing_covers_every_state_and_the_receivables_tie_out_when_loaded():
    from datetime import date

    from suanpan.invoicing.models import Invoice, InvoiceMailing, InvoiceRequest
    from suanpan.ledger import selectors
    from suanpan.ledger.choices import AccountRole
    from suanpan.ledger.models import OpenItem

    demo_load(customers=30)

    statuses = set(InvoiceRequest.objects.values_list("status", flat=True))
    assert statuses == {"pending", "approved", "rejected", "exported", "failed", "issued"}
    assert InvoiceRequest.objects.get(status="failed").failure_reason
    assert Invoice.objects.filter(kind="red").exists()
    assert Invoice.objects.filter(status="reversed").exists()
    assert {"sent", "received"} <= set(InvoiceMailing.objects.values_list("status", flat=True))
    # Revenue on invoice: the issued invoices' receivable items are their gross, to the fen.
    receivable = selectors.account_for_role(AccountRole.RECEIVABLE)
    items = OpenItem.objects.filter(account=receivable, source_type="invoicing.invoice")
    invoiced = sum(invoice.gross_amount for invoice in Invoice.objects.all())
    assert sum(item.amount for item in items) == invoiced > 0
    assert selectors.open_items_check(as_of=date(2099, 12, 31)) == []


def test_demo_receivables_has_settled_partly_settled_unsettled_and_advance_receipts():
    from datetime import date

    from suanpan.ledger import selectors
    from suanpan.ledger.choices import AccountRole
    from suanpan.ledger.models import OpenItem
    from suanpan.receivables.models import Receipt, Settlement

    demo_load(customers=30)

    kinds = set(Settlement.objects.values_list("kind", flat=True))
    assert kinds == {"receipt", "automatic"}
    advance = selectors.account_for_role(AccountRole.CUSTOMER_ADVANCE)
    receivable = selectors.account_for_role(AccountRole.RECEIVABLE)
    receipts = OpenItem.objects.filter(source_type="receivables.receipt")
    # An advance still open (the deposit), and receipts settled whole.
    assert receipts.filter(account=advance).exclude(open_amount=0).exists()
    assert receipts.filter(account=receivable, open_amount=0).exists()
    # Something owed paid in part: settled, and still open.
    owed = OpenItem.objects.filter(account=receivable, amount__gt=0)
    assert any(0 < item.open_amount < item.amount for item in owed)
    assert Receipt.objects.filter(bank_account__isnull=False).count() == Receipt.objects.count()
    assert selectors.open_items_check(as_of=date(2099, 12, 31)) == []


def test_demo_bad_debts_have_a_written_off_debt_and_a_posted_provision():
    from datetime import date

    from suanpan.ledger import selectors
    from suanpan.receivables.models import ProvisionRun, WriteOff

    demo_load(customers=30)

    writeoff = WriteOff.objects.get()
    assert writeoff.status == "posted" and writeoff.approved_by != writeoff.created_by
    assert all(line.match is not None for line in writeoff.lines.all())
    run = ProvisionRun.objects.get()
    # The write-off left a debit on the provision account: the run made it up to the required.
    assert run.existing_amount == -writeoff.amount
    assert run.change_amount == run.required_amount + writeoff.amount > 0
    assert selectors.open_items_check(as_of=date(2099, 12, 31)) == []


def test_demo_dunning_has_a_run_with_letters_a_promise_and_an_excluded_customer():
    from suanpan.receivables.models import (
        DunningLetter,
        DunningLevel,
        DunningProfile,
        DunningRun,
        PaymentPromise,
    )

    demo_load(customers=30)

    assert DunningLevel.objects.count() == 4
    assert DunningRun.objects.count() == 1
    assert DunningLetter.objects.filter(status="sent").exists()
    assert PaymentPromise.objects.filter(status="open").count() == 1
    assert DunningProfile.objects.filter(is_excluded=True).count() == 1


def test_demo_months_before_this_one_are_closed_after_their_carry_forward():
    from django.utils import timezone

    from suanpan.ledger import services
    from suanpan.ledger.models import Period, Voucher

    demo_load(customers=30)
    today = timezone.localdate()
    finished = [
        p
        for p in Period.objects.order_by("year", "month")
        if (p.year, p.month) < (today.year, today.month)
    ]
    assert len(finished) == 2  # the books start two months back
    for period in finished:
        assert period.status == "closed"
        # Income and expenses were carried to 本年利润 before the month closed.
        assert services.transfers_close_check(period) == []
        assert Voucher.objects.filter(period=period, source_type="ledger.transfer.pnl").exists()
    current = Period.objects.get(year=today.year, month=today.month)
    assert current.status == "open"
    # Their statements balance: assets = liabilities + equity, net profit = retained earnings'
    # change, cash-flow total = the change in cash.
    from suanpan.ledger.selectors import Month, statement_build

    for period in finished:
        for kind in ("balance-sheet", "income", "cash-flow"):
            statement = statement_build(
                kind=kind, fmt="cas", month=Month(period.year, period.month)
            )
            assert statement.checks, (kind, period.key)
            assert statement.checks_pass, [
                (c.label, c.expected, c.actual) for c in statement.checks
            ]


def test_demo_closed_books_in_beancount_give_the_statements_totals(tmp_path):
    """Issue 12: the closed books exported to Beancount pass bean-check, and Beancount's own
    sums at November's end equal the statements: total assets, total liabilities and equity,
    and the year's net profit carried to 本年利润 (4103)."""
    import subprocess
    import sys
    from datetime import timedelta
    from decimal import Decimal
    from pathlib import Path

    from beancount import loader
    from beancount.core.data import Transaction
    from django.utils import timezone

    from suanpan.ledger import exports
    from suanpan.ledger.selectors import Month, statement_build

    demo_load(customers=30)
    path = tmp_path / "closed.beancount"
    with path.open("wb") as out:
        exports.beancount_export(actor=User.objects.get(username="accountant"), out=out)
    checked = subprocess.run(  # noqa: S603 - the venv's own checker on our own file
        [str(Path(sys.executable).parent / "bean-check"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr

    today = timezone.localdate()
    end = today.replace(day=1) - timedelta(days=1)  # the last closed month's end
    entries, errors, _options = loader.load_file(str(path))
    assert errors == []
    sums: dict[str, Decimal] = {}
    for entry in entries:
        if isinstance(entry, Transaction) and entry.date <= end:
            for posting in entry.postings:
                for key in (posting.account.split(":")[0], posting.account.split("-")[0]):
                    sums[key] = sums.get(key, Decimal(0)) + posting.units.number
    month = Month(end.year, end.month)
    sheet = statement_build(kind="balance-sheet", fmt="cas", month=month)
    assets, claims = sheet.line("total_assets"), sheet.line("total_liabilities_equity")
    assert assets is not None and claims is not None
    assert assets.values[0] == sums["Assets"] != 0
    assert claims.values[0] == -(sums["Liabilities"] + sums["Equity"])
    income = statement_build(kind="income", fmt="cas", month=month)
    profit = income.line("net_profit")
    assert profit is not None
    year_to_date = next(
        v for c, v in zip(income.columns, profit.values, strict=True) if c.key == "year"
    )
    # Carried forward every month: the year's profit sits on 本年利润, P&L accounts hold nothing.
    assert year_to_date == -sums["Equity:4103"]
    assert sums["Income"] == sums["Expenses"] == 0
