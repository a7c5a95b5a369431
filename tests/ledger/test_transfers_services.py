"""Period-end transfers through the services, on books set up from the shipped charts (each
test runs under 企业会计准则 and 小企业会计准则): the hand-computed January of
`builders.january_trading`, the VAT transfer with a net credit and with 留抵, a template of
附加税 to the fen, re-runs that post only the difference, the order, the year-end, the close
check, and who may do what."""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suanpan.core.errors import PermissionDeniedError
from suanpan.ledger import selectors, services, verification
from suanpan.ledger.choices import PeriodStatus, TransferKind, VoucherStatus
from suanpan.ledger.errors import (
    PeriodClosed,
    PeriodCloseFailed,
    TransferNotAvailable,
    TransferOutOfOrder,
    TransferTemplateInUse,
    TransferTemplateInvalid,
    TransferUnbalanced,
)
from suanpan.ledger.models import Account, Company, Dimension, Period, TransferTemplate, Voucher
from suanpan.ledger.services import TemplateInput, TemplateLineInput
from suanpan.ledger.types import TransferSource
from suanpan.users.choices import Role
from suanpan.users.models import User
from tests.ledger.builders import january_trading, post_lines, role_accounts

pytestmark = pytest.mark.django_db
D = Decimal
JAN_END = date(2026, 1, 31)


@pytest.fixture
def a(chart_books: Company, chart_customer: Dimension, accountant, finance_manager):
    """The chart's accounts by role and code, after the hand-computed January."""
    accounts = role_accounts()
    january_trading(accounts, chart_customer, maker=accountant, poster=finance_manager)
    return accounts


def january() -> Period:
    return Period.objects.get(year=2026, month=1)


def rows(voucher: Voucher | None) -> list[tuple[str, str, Decimal, Decimal]]:
    assert voucher is not None
    return [
        (
            line.account.code,
            line.dimension.code if line.dimension else "",
            line.debit_amount,
            line.credit_amount,
        )
        for line in voucher.lines.select_related("account", "dimension").order_by("line_no")
    ]


def balance(account: Account, on: date = JAN_END) -> Decimal:
    return selectors.account_balance(account=account, as_of=on)


def pnl_balances(on: date = JAN_END) -> dict[str, Decimal]:
    return {
        a.code: balance(a, on)
        for a in Account.objects.filter(category="profit_loss", children__isnull=True)
    }


def post(actor: User, kind: str, *, period: Period | None = None, template=None) -> Voucher | None:
    return services.transfer_post(
        actor=actor, period=period or january(), kind=kind, template=template
    )


def surcharges_template(actor: User, a: dict[str, Account], **changes) -> TransferTemplate:
    """附加税: 城建税 7 %, 教育费附加 3 %, 地方教育附加 2 % of the VAT the month transferred out
    (the debit movement of 转出未交增值税), against 税金及附加."""
    out = a["vat_transfer_out"]
    data = TemplateInput(
        name=changes.pop("name", "计提附加税"),
        lines=changes.pop(
            "lines",
            (
                TemplateLineInput(a["surcharges"], "debit", "balancing", summary="税金及附加"),
                TemplateLineInput(a["2221.13"], "credit", "movement", out, D("0.07"), "城建税"),
                TemplateLineInput(a["2221.14"], "credit", "movement", out, D("0.03"), "教育费附加"),
                TemplateLineInput(
                    a["2221.15"], "credit", "movement", out, D("0.02"), "地方教育附加"
                ),
            ),
        ),
        **changes,
    )
    return services.transfer_template_create(actor=actor, data=data)


# ---------------------------------------------------------------------------- 结转损益


def test_pnl_post_moves_each_income_and_expense_balance_to_current_year_profit(a, accountant):
    post(accountant, TransferKind.VAT)

    voucher = post(accountant, TransferKind.PNL)

    profit = a["current_year_profit"].code
    assert rows(voucher) == [
        (a["revenue"].code, "", D("10000.00"), D("0")),
        (a["revenue"].code, "KH-000001", D("2000.00"), D("0")),
        (a["non_operating_income"].code, "", D("100.00"), D("0")),
        # 财务费用 ends with a credit balance (interest above charges): moved out by a debit.
        (a["financial_expense"].code, "", D("4.50"), D("0")),
        (profit, "", D("6800.00"), D("0")),
        (profit, "", D("0"), D("12104.50")),
        (a["cogs"].code, "", D("0"), D("6000.00")),
        (a["selling_expense"].code, "", D("0"), D("800.00")),
    ]
    assert set(pnl_balances().values()) == {D("0")}
    assert balance(a["current_year_profit"]) == D("-5304.50")  # a credit: the month's profit


def test_pnl_voucher_is_numbered_chained_and_marked_as_the_months_carry_forward(a, accountant):
    post(accountant, TransferKind.VAT)

    voucher = post(accountant, TransferKind.PNL)

    assert voucher is not None
    voucher = Voucher.objects.select_related("period").get(pk=voucher.pk)
    assert voucher.status == VoucherStatus.POSTED
    assert voucher.display_number == "转-202601-0002"  # the VAT transfer took 转-0001
    assert voucher.date == JAN_END
    assert voucher.summary == "Profit and loss for 2026-01 carried forward"
    assert (voucher.source_type, voucher.source_id) == (TransferSource.PNL, "202601")
    assert voucher.maker == accountant and voucher.poster == accountant
    assert verification.books_verify().ok


def test_pnl_rerun_posts_only_the_difference_when_a_sale_was_posted_after_it(
    a, accountant, finance_manager
):
    post(accountant, TransferKind.VAT)
    post(accountant, TransferKind.PNL)
    post_lines(
        maker=accountant,
        poster=finance_manager,
        on=date(2026, 1, 30),
        summary="补记收入",
        lines=[(a["bank"], "500.00", "0"), (a["revenue"], "0", "500.00")],
    )

    second = post(accountant, TransferKind.PNL)
    third = post(accountant, TransferKind.PNL)

    profit = a["current_year_profit"].code
    assert rows(second) == [
        (a["revenue"].code, "", D("500.00"), D("0")),
        (profit, "", D("0"), D("500.00")),
    ]
    assert second is not None and second.source_event == f"{TransferSource.PNL}:202601:2"
    assert third is None
    assert balance(a["current_year_profit"]) == D("-5804.50")
    done = selectors.transfer_preview(period=Period.objects.get(), kind=TransferKind.PNL)
    # Nothing left to move; the figures say what the month's two runs carried.
    assert [f.amount for f in done.figures] == [D("0"), D("0"), D("0"), D("5804.50")]


def test_pnl_rerun_posts_again_what_a_reversed_carry_forward_took_back(
    a, accountant, finance_manager
):
    post(accountant, TransferKind.VAT)
    first = post(accountant, TransferKind.PNL)
    assert first is not None
    services.voucher_reverse(actor=finance_manager, voucher=first, on=JAN_END)

    again = post(accountant, TransferKind.PNL)

    assert [r[1:] for r in rows(again)] == [r[1:] for r in rows(first)]
    assert set(pnl_balances().values()) == {D("0")}


def test_pnl_post_refused_while_the_vat_transfer_has_something_to_post(a, accountant):
    with pytest.raises(TransferOutOfOrder) as info:
        post(accountant, TransferKind.PNL)

    assert "VAT payable transferred out" in info.value.message
    assert not Voucher.objects.filter(source_type=TransferSource.PNL).exists()


def test_pnl_post_empties_a_deactivated_customers_revenue(a, accountant, chart_customer):
    services.dimension_upsert(kind="customer", code=chart_customer.code, name="x", is_active=False)
    post(accountant, TransferKind.VAT)

    voucher = post(accountant, TransferKind.PNL)

    assert (a["revenue"].code, "KH-000001", D("2000.00"), D("0")) in rows(voucher)


def test_pnl_post_refused_in_a_closed_month(a, accountant, finance_manager):
    post(accountant, TransferKind.VAT)
    post(accountant, TransferKind.PNL)
    services.period_close(actor=accountant, period=january())
    post_lines(
        maker=accountant,
        poster=finance_manager,
        on=date(2026, 2, 3),
        summary="二月收入",
        lines=[(a["bank"], "50.00", "0"), (a["revenue"], "0", "50.00")],
    )

    with pytest.raises(PeriodClosed):
        post(accountant, TransferKind.PNL)


def test_pnl_sends_prior_year_adjustments_to_retained_earnings(
    chart_books, accountant, finance_manager
):
    a = role_accounts()
    if "prior_year_adjustment" not in a:
        pytest.skip("小企业会计准则 has no 以前年度损益调整")
    post_lines(
        maker=accountant,
        poster=finance_manager,
        on=date(2026, 1, 5),
        summary="补提上年费用",
        lines=[(a["prior_year_adjustment"], "300.00", "0"), (a["bank"], "0", "300.00")],
    )

    voucher = post(accountant, TransferKind.PNL)

    assert rows(voucher) == [
        (a["retained_earnings"].code, "", D("300.00"), D("0")),
        (a["prior_year_adjustment"].code, "", D("0"), D("300.00")),
    ]


# ---------------------------------------------------------------------------- 转出未交增值税


def test_vat_post_moves_the_net_credit_balance_to_unpaid_vat(a, accountant):
    voucher = post(accountant, TransferKind.VAT)

    assert rows(voucher) == [
        ("2221.01.04", "", D("1041.50"), D("0")),
        ("2221.02", "", D("0"), D("1041.50")),
    ]
    assert balance(a["2221.01"]) == 0
    assert balance(a["vat_unpaid"]) == D("-1041.50")


def test_vat_post_posts_nothing_when_input_vat_exceeds_output(
    chart_books, accountant, finance_manager
):
    a = role_accounts()
    post_lines(
        maker=accountant,
        poster=finance_manager,
        on=date(2026, 1, 8),
        summary="购进商品",
        lines=[
            (a["inventory"], "10000.00", "0"),
            (a["2221.01.01"], "1300.00", "0"),
            (a["bank"], "0", "11300.00"),
        ],
    )

    preview = selectors.transfer_preview(period=january(), kind=TransferKind.VAT)
    voucher = post(accountant, TransferKind.VAT)

    assert voucher is None
    assert preview.lines == []
    figures = {f.label: f.amount for f in preview.figures}
    assert figures["Input VAT carried forward (留抵)"] == D("1300.00")
    assert balance(a["2221.01"]) == D("1300.00")  # 留抵 stays in 应交增值税


def test_vat_rerun_takes_back_what_input_vat_posted_after_it_no_longer_leaves_payable(
    a, accountant, finance_manager
):
    post(accountant, TransferKind.VAT)
    post_lines(
        maker=accountant,
        poster=finance_manager,
        on=date(2026, 1, 30),
        summary="补记进项",
        lines=[(a["2221.01.01"], "41.50", "0"), (a["bank"], "0", "41.50")],
    )

    second = post(accountant, TransferKind.VAT)

    assert rows(second) == [
        ("2221.02", "", D("41.50"), D("0")),
        ("2221.01.04", "", D("0"), D("41.50")),
    ]
    assert balance(a["vat_unpaid"]) == D("-1000.00")
    assert balance(a["2221.01"]) == 0


def test_vat_preview_names_the_roles_when_the_chart_has_lost_them(a, accountant):
    from suanpan.ledger.models import AccountRoleMap

    AccountRoleMap.objects.filter(role="vat_unpaid").delete()

    preview = selectors.transfer_preview(period=january(), kind=TransferKind.VAT)

    assert "Unpaid VAT" in preview.unavailable
    with pytest.raises(TransferNotAvailable):
        post(accountant, TransferKind.VAT)


# ---------------------------------------------------------------------------- templates


def test_template_post_accrues_surcharges_rounded_half_up_to_the_fen(a, accountant):
    template = surcharges_template(accountant, a)
    post(accountant, TransferKind.VAT)

    voucher = post(accountant, TransferKind.TEMPLATE, template=template)

    # 1,041.50 × 7 % = 72.905 and × 3 % = 31.245: half up, where banker's rounding would give
    # 72.90 and 31.24.
    assert rows(voucher) == [
        (a["surcharges"].code, "", D("124.99"), D("0")),
        ("2221.13", "", D("0"), D("72.91")),
        ("2221.14", "", D("0"), D("31.25")),
        ("2221.15", "", D("0"), D("20.83")),
    ]
    assert voucher is not None
    assert voucher.source_id == f"202601/{template.pk}"
    assert voucher.summary == "计提附加税 (2026-01)"
    assert [line.summary for line in voucher.lines.order_by("line_no")][1] == "城建税"


def test_template_rerun_accrues_only_on_the_vat_added_since(a, accountant, finance_manager):
    template = surcharges_template(accountant, a)
    post(accountant, TransferKind.VAT)
    post(accountant, TransferKind.TEMPLATE, template=template)
    post_lines(
        maker=accountant,
        poster=finance_manager,
        on=date(2026, 1, 30),
        summary="补记销项",
        lines=[(a["bank"], "100.00", "0"), (a["vat_output"], "0", "100.00")],
    )
    post(accountant, TransferKind.VAT)

    second = post(accountant, TransferKind.TEMPLATE, template=template)

    assert rows(second) == [
        (a["surcharges"].code, "", D("12.00"), D("0")),
        ("2221.13", "", D("0"), D("7.00")),
        ("2221.14", "", D("0"), D("3.00")),
        ("2221.15", "", D("0"), D("2.00")),
    ]
    assert post(accountant, TransferKind.TEMPLATE, template=template) is None


def test_template_then_pnl_carries_the_surcharges_forward(a, accountant):
    template = surcharges_template(accountant, a)
    post(accountant, TransferKind.VAT)
    post(accountant, TransferKind.TEMPLATE, template=template)

    voucher = post(accountant, TransferKind.PNL)

    assert (a["surcharges"].code, "", D("0"), D("124.99")) in rows(voucher)
    assert balance(a["current_year_profit"]) == D("-5179.51")


def test_template_post_refused_before_the_vat_transfer(a, accountant):
    template = surcharges_template(accountant, a)

    with pytest.raises(TransferOutOfOrder):
        post(accountant, TransferKind.TEMPLATE, template=template)


def test_pnl_post_refused_while_an_active_template_has_something_to_post(a, accountant):
    template = surcharges_template(accountant, a)
    post(accountant, TransferKind.VAT)

    with pytest.raises(TransferOutOfOrder) as info:
        post(accountant, TransferKind.PNL)

    assert "计提附加税" in info.value.message
    template.is_active = False
    template.save()
    assert post(accountant, TransferKind.PNL) is not None


def test_template_post_refused_when_rounding_leaves_it_unbalanced(
    chart_books, accountant, finance_manager
):
    a = role_accounts()
    post_lines(
        maker=accountant,
        poster=finance_manager,
        on=date(2026, 1, 5),
        summary="装修费",
        lines=[(a["1801"], "1000.05", "0"), (a["bank"], "0", "1000.05")],
    )
    half = D("0.5")
    template = services.transfer_template_create(
        actor=accountant,
        data=TemplateInput(
            name="摊销",
            lines=(
                TemplateLineInput(a["selling_expense"], "debit", "balance", a["1801"], half),
                TemplateLineInput(a["admin_expense"], "debit", "balance", a["1801"], half),
                TemplateLineInput(a["1801"], "credit", "balance", a["1801"], D("1")),
            ),
        ),
    )

    with pytest.raises(TransferUnbalanced) as info:
        post(accountant, TransferKind.TEMPLATE, template=template)

    assert "debit 1,000.06 and credit 1,000.05" in info.value.message
    assert not Voucher.objects.filter(source_type=TransferSource.TEMPLATE).exists()


def test_template_whole_balance_moves_an_account_into_another(
    chart_books, accountant, finance_manager
):
    a = role_accounts()
    overhead, production = (
        Account.objects.get(name="制造费用"),
        Account.objects.get(name="生产成本"),
    )
    post_lines(
        maker=accountant,
        poster=finance_manager,
        on=date(2026, 1, 5),
        summary="车间水电",
        lines=[(overhead, "333.33", "0"), (a["bank"], "0", "333.33")],
    )
    template = services.transfer_template_create(
        actor=accountant,
        data=TemplateInput(
            name="结转制造费用",
            lines=(
                TemplateLineInput(production, "debit", "balancing"),
                TemplateLineInput(overhead, "credit", "whole_balance"),
            ),
        ),
    )

    voucher = post(accountant, TransferKind.TEMPLATE, template=template)

    assert rows(voucher) == [
        (production.code, "", D("333.33"), D("0")),
        (overhead.code, "", D("0"), D("333.33")),
    ]
    assert balance(overhead) == 0
    assert post(accountant, TransferKind.TEMPLATE, template=template) is None


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": " "}, "name", "Give the template a name."),
        ({"rate": D("0")}, "lines.1.rate", "above 0 and at most 100"),
        ({"rate": D("1.01")}, "lines.1.rate", "above 0 and at most 100"),
        ({"rate": D("0.0700001")}, "lines.1.rate", "at most four decimals"),
        ({"source": None}, "lines.1.source_account", "Name the account the percentage reads."),
        ({"account": "2221"}, "lines.1.account", "Post to a leaf account"),
        ({"account": "receivable"}, "lines.1.account", "needs a customer"),
        ({"basis": "balancing"}, "lines", "Only one line may take what balances the voucher."),
        ({"first": "whole_balance"}, "lines", "needs a line that balances"),
        ({"first": "movement"}, "lines", "same total percentage"),
        ({"only": True}, "lines", "at least two lines"),
    ],
)
def test_template_create_refused_naming_the_field_when_invalid(
    chart_books, accountant, change, field, message
):
    a = role_accounts()
    out = a["vat_transfer_out"]
    second = {
        "account": a[change.get("account", "2221.13")],
        "basis": change.get("basis", "movement"),
        "source": change.get("source", out),
        "rate": change.get("rate", D("0.07")),
    }
    if second["basis"] == "balancing":
        second["source"] = second["rate"] = None
    first_basis = change.get("first", "balancing")
    first = TemplateLineInput(
        a["surcharges"],
        "debit",
        first_basis,
        out if first_basis == "movement" else None,
        D("0.05") if first_basis == "movement" else None,
    )
    lines = (
        first,
        TemplateLineInput(
            second["account"], "credit", second["basis"], second["source"], second["rate"]
        ),
    )
    if change.get("only"):
        lines = lines[:1]

    with pytest.raises(TransferTemplateInvalid) as info:
        services.transfer_template_create(
            actor=accountant, data=TemplateInput(name=change.get("name", "附加税"), lines=lines)
        )

    assert any(message in text for text in info.value.fields[field])
    assert not TransferTemplate.objects.exists()


def test_template_create_refused_when_the_name_is_taken(a, accountant):
    surcharges_template(accountant, a)

    with pytest.raises(TransferTemplateInvalid) as info:
        surcharges_template(accountant, a)

    assert info.value.fields["name"] == ["A transfer template with this name exists."]


def test_template_update_changes_lines_in_place_and_keeps_who_changed_what(
    a, accountant, finance_manager
):
    template = surcharges_template(accountant, a)
    out = a["vat_transfer_out"]

    services.transfer_template_update(
        actor=finance_manager,
        template=template,
        data=TemplateInput(
            name="计提附加税",
            lines=(
                TemplateLineInput(a["surcharges"], "debit", "balancing", summary="税金及附加"),
                TemplateLineInput(a["2221.13"], "credit", "movement", out, D("0.05"), "城建税"),
                TemplateLineInput(a["2221.14"], "credit", "movement", out, D("0.03"), "教育费附加"),
            ),
        ),
    )

    template.refresh_from_db()
    assert [(x.line_no, x.rate) for x in template.lines.order_by("line_no")] == [
        (1, None),
        (2, D("0.050000")),
        (3, D("0.030000")),
    ]
    history = selectors.transfer_template_history(template=template)
    changed = [e for e in history if e["type"] == "~"]
    assert changed[0]["user"] == finance_manager
    assert changed[0]["subject"] == "Line 2"
    assert changed[0]["changes"][0]["old"] == "7%"
    assert changed[0]["changes"][0]["new"] == "5%"
    assert any(e["type"] == "-" and e["subject"] == "Line 4" for e in history)


def test_template_delete_refused_once_it_posted_and_allowed_before(a, accountant, finance_manager):
    unused = surcharges_template(accountant, a, name="备用")
    used = surcharges_template(accountant, a)
    post(accountant, TransferKind.VAT)
    post(accountant, TransferKind.TEMPLATE, template=used)

    services.transfer_template_delete(actor=finance_manager, template=unused)
    with pytest.raises(TransferTemplateInUse):
        services.transfer_template_delete(actor=finance_manager, template=used)

    assert list(TransferTemplate.objects.values_list("name", flat=True)) == ["计提附加税"]


# ---------------------------------------------------------------------------- permissions


def test_sales_may_neither_run_transfers_nor_keep_templates(a, make_user):
    seller = make_user(Role.SALES)

    with pytest.raises(PermissionDeniedError):
        post(seller, TransferKind.VAT)
    with pytest.raises(PermissionDeniedError):
        surcharges_template(seller, a)


def test_accountants_add_templates_and_only_finance_managers_delete_them(a, accountant):
    template = surcharges_template(accountant, a)

    with pytest.raises(PermissionDeniedError):
        services.transfer_template_delete(actor=accountant, template=template)
    with pytest.raises(PermissionDeniedError):
        services.transfer_template_update(
            actor=accountant, template=template, data=TemplateInput(name="x")
        )


# ---------------------------------------------------------------------------- the close check


def test_close_refused_naming_the_accounts_and_the_page_until_carried_forward(a, accountant):
    with pytest.raises(PeriodCloseFailed) as info:
        services.period_close(actor=accountant, period=january())

    message = info.value.message
    assert "income and expense accounts are not carried forward: " in message
    assert str(a["revenue"]) in message and str(a["selling_expense"]) in message
    assert "/ledger/periods/202601/transfers/" in message
    assert january().status == PeriodStatus.OPEN

    post(accountant, TransferKind.VAT)
    post(accountant, TransferKind.PNL)
    services.period_close(actor=accountant, period=january())

    assert january().status == PeriodStatus.CLOSED


# ---------------------------------------------------------------------------- the year-end


@pytest.fixture(params=["cas", "asbe_se"])
def year_books(request, make_user, accountant, finance_manager) -> dict[str, Account]:
    """Books from November 2026: November earns 1,000.00 and is closed; December earns 500.00,
    spends 200.00 and sets aside 30.00 of last year's profit as 法定盈余公积."""
    services.company_setup(
        actor=make_user(Role.ADMINISTRATOR),
        name="年末公司",
        standard=request.param,
        first_period=date(2026, 11, 1),
    )
    a = role_accounts()
    a["statutory"] = Account.objects.get(name="提取法定盈余公积")
    a["reserve"] = Account.objects.get(name="盈余公积")
    sale = [(a["bank"], "1000.00", "0"), (a["revenue"], "0", "1000.00")]
    post_lines(
        maker=accountant, poster=finance_manager, on=date(2026, 11, 5), summary="收入", lines=sale
    )
    november = Period.objects.get(year=2026, month=11)
    services.transfer_post(actor=accountant, period=november, kind=TransferKind.PNL)
    services.period_close(actor=accountant, period=november)
    post_lines(
        maker=accountant,
        poster=finance_manager,
        on=date(2026, 12, 5),
        summary="收入",
        lines=[(a["bank"], "500.00", "0"), (a["revenue"], "0", "500.00")],
    )
    post_lines(
        maker=accountant,
        poster=finance_manager,
        on=date(2026, 12, 6),
        summary="办公费",
        lines=[(a["admin_expense"], "200.00", "0"), (a["bank"], "0", "200.00")],
    )
    post_lines(
        maker=accountant,
        poster=finance_manager,
        on=date(2026, 12, 20),
        summary="提取法定盈余公积",
        lines=[(a["statutory"], "30.00", "0"), (a["reserve"], "0", "30.00")],
    )
    return a


def december() -> Period:
    return Period.objects.get(year=2026, month=12)


def test_year_end_moves_the_years_profit_and_distributions_to_retained_earnings(
    year_books, accountant
):
    a = year_books
    post(accountant, TransferKind.PNL, period=december())

    voucher = post(accountant, TransferKind.YEAR_END, period=december())

    retained = a["retained_earnings"].code
    assert rows(voucher) == [
        (a["current_year_profit"].code, "", D("1300.00"), D("0")),
        (retained, "", D("30.00"), D("0")),
        (retained, "", D("0"), D("1300.00")),
        (a["statutory"].code, "", D("0"), D("30.00")),
    ]
    assert voucher is not None and voucher.summary == "Profit for 2026 carried to retained earnings"
    assert balance(a["current_year_profit"], date(2026, 12, 31)) == 0
    assert balance(a["retained_earnings"], date(2026, 12, 31)) == D("-1270.00")


def test_year_end_refused_before_the_carry_forward_and_outside_december(year_books, accountant):
    with pytest.raises(TransferOutOfOrder):
        post(accountant, TransferKind.YEAR_END, period=december())
    with pytest.raises(TransferNotAvailable) as info:
        post(accountant, TransferKind.YEAR_END, period=Period.objects.get(month=11))

    assert "runs in December" in info.value.message


def test_december_close_refused_until_the_year_end_transfer_ran(year_books, accountant):
    post(accountant, TransferKind.PNL, period=december())

    with pytest.raises(PeriodCloseFailed) as info:
        services.period_close(actor=accountant, period=december())

    assert "the year's profit is not moved to retained earnings" in info.value.message
    assert str(year_books["current_year_profit"]) in info.value.message
    post(accountant, TransferKind.YEAR_END, period=december())
    services.period_close(actor=accountant, period=december())
    assert december().status == PeriodStatus.CLOSED


def test_transfers_post_runs_the_named_transfers_in_their_order_all_or_none(a, accountant):
    template = surcharges_template(accountant, a)
    named = services.transfer_keys_parse(f"pnl, template:{template.pk}, vat")

    made = services.transfers_post(actor=accountant, period=january(), transfers=named)

    assert [v.source_type for v in made] == [
        TransferSource.VAT,
        TransferSource.TEMPLATE,
        TransferSource.PNL,
    ]


def test_transfers_post_leaves_nothing_when_a_later_transfer_is_refused(a, accountant):
    with pytest.raises(TransferNotAvailable):
        services.transfers_post(
            actor=accountant,
            period=january(),
            transfers=services.transfer_keys_parse("vat,pnl,year-end"),
        )

    assert not Voucher.objects.filter(source_type__startswith="ledger.transfer.").exists()


# ---------------------------------------------------------------------------- the property

pnl_roles = (
    "revenue",
    "non_operating_income",
    "cogs",
    "selling_expense",
    "admin_expense",
    "financial_expense",
    "non_operating_expense",
    "surcharges",
)
posting = st.tuples(
    st.sampled_from(pnl_roles),
    st.integers(min_value=-500_000, max_value=500_000).filter(bool).map(lambda f: D(f) / 100),
    st.sampled_from([1, 2]),  # month
    st.booleans(),  # with the customer on the line
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(postings=st.lists(posting, min_size=1, max_size=12))
def test_every_pnl_account_is_zero_and_the_books_balance_after_the_carry_forward(
    chart_books, chart_customer, accountant, finance_manager, postings
):
    with transaction.atomic():
        a = role_accounts()
        for role, amount, month, with_customer in postings:
            customer = chart_customer if with_customer else None
            on = date(2026, month, 10)
            # A positive amount is earned (or spent) the usual way, a negative one the other.
            debit, credit = (amount, D(0)) if amount > 0 else (D(0), -amount)
            post_lines(
                maker=accountant,
                poster=finance_manager,
                on=on,
                summary="随机",
                lines=[
                    (a[role], str(debit), str(credit), customer),
                    (a["bank"], str(credit), str(debit)),
                ],
            )
        expected_profit = -sum(
            (
                balance(account, date(2026, 2, 28))
                for account in Account.objects.filter(category="profit_loss", children__isnull=True)
            ),
            D(0),
        )
        for month in (1, 2):
            period = Period.objects.filter(year=2026, month=month).first()
            if period is not None:
                post(accountant, TransferKind.PNL, period=period)
                end = selectors.period_last_day(period)
                assert set(pnl_balances(end).values()) == {D(0)}
                trial = selectors.trial_balance(period_from=period, period_to=period)
                assert trial.closing_debit == trial.closing_credit
                assert trial.period_debit == trial.period_credit
        assert -balance(a["current_year_profit"], date(2026, 2, 28)) == expected_profit
        assert verification.books_verify().ok
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------- books set up before


def test_books_set_up_before_the_transfers_get_their_roles_mapped_and_back(chart_books):
    from django.apps import apps

    from suanpan.ledger.models import AccountRoleMap

    fill = importlib.import_module("suanpan.ledger.migrations.0012_account_roles_transfers_fill")
    roles = ["vat_transfer_out", "vat_unpaid", "prior_year_adjustment"]
    expected = dict(
        AccountRoleMap.objects.filter(role__in=roles).values_list("role", "account__code")
    )
    AccountRoleMap.objects.filter(role__in=roles).delete()

    fill.roles_map(apps, None)

    mapped = dict(
        AccountRoleMap.objects.filter(role__in=roles).values_list("role", "account__code")
    )
    assert mapped == expected
    assert mapped["vat_unpaid"] == "2221.02"
    fill.roles_unmap(apps, None)
    assert not AccountRoleMap.objects.filter(role__in=roles).exists()
