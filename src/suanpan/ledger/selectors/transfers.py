"""Period-end transfers (期末结转): what each would post for a month, the templates, the
vouchers earlier runs made.

A preview reads the books as they stand. Profit and loss and the year-end move whole balances,
so once their voucher is posted there is nothing left to move, and a later posting leaves only
its own amount. The VAT transfer and the templates compute a target from the books without
their own vouchers of the month and take off what those vouchers already posted: a re-run
posts only the difference, or takes back what is no longer wanted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from suanpan.core.date_checks import business_window
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.calculations import transfers as maths
from suanpan.ledger.choices import (
    AccountCategory,
    AccountRole,
    Direction,
    PeriodStatus,
    TransferBasis,
    TransferKind,
)
from suanpan.ledger.models import (
    Account,
    Period,
    TransferTemplate,
    TransferTemplateLine,
    Voucher,
)
from suanpan.ledger.selectors._query import _subtree_q
from suanpan.ledger.selectors.accounts import account_for_role
from suanpan.ledger.selectors.company import company_get
from suanpan.ledger.selectors.transfer_balances import (
    TransferLineRow,
    balances_total,
    line_rows,
    month_label,
    own_postings,
    period_balances,
    roles_not_mapped,
    source_id,
    subtree_ids,
    transfer_vouchers,
    within_accounts,
)
from suanpan.ledger.types import TransferSource

SOURCES = {
    TransferKind.VAT: TransferSource.VAT,
    TransferKind.TEMPLATE: TransferSource.TEMPLATE,
    TransferKind.PNL: TransferSource.PNL,
    TransferKind.YEAR_END: TransferSource.YEAR_END,
}
# How many accounts a refusal names before "and N more".
NAMED_ACCOUNTS = 8


@dataclass(frozen=True)
class TransferFigure:
    """A figure the preview explains itself with (应交增值税's balance, 留抵, net profit …)."""

    label: str
    amount: Decimal


@dataclass
class TransferPreview:
    """What one transfer would post for a month, and why it cannot when it cannot.

    `unavailable`: the transfer does not apply (a role is not mapped, not December, a
    deactivated template); `error`: it applies but gives no voucher (a template that does not
    balance); `blocked_by`: the transfers to run first (VAT before the templates, both before
    profit and loss, profit and loss before the year-end).
    """

    kind: str
    period: Period
    summary: str
    lines: list[TransferLineRow] = field(default_factory=list)
    vouchers: list[Voucher] = field(default_factory=list)
    template: TransferTemplate | None = None
    unavailable: str = ""
    error: str = ""
    blocked_by: list[str] = field(default_factory=list)
    figures: list[TransferFigure] = field(default_factory=list)

    @property
    def key(self) -> str:
        """How pages, the API and the CLI name it: vat, pnl, year-end, template:7."""
        if self.template is not None:
            return f"{TransferKind.TEMPLATE}:{self.template.pk}"
        return self.kind

    @property
    def label(self) -> str:
        if self.template is not None:
            return self.template.name
        return str(TransferKind(self.kind).label)

    @property
    def debit_total(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def credit_total(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)

    @property
    def is_pending(self) -> bool:
        """Whether something is left to do before what comes after it may run."""
        return not self.unavailable and bool(self.lines or self.error)

    @property
    def can_post(self) -> bool:
        return (
            not self.unavailable
            and not self.error
            and not self.blocked_by
            and bool(self.lines)
            and self.period.status != PeriodStatus.CLOSED
        )


# ------------------------------------------------------------------------------ periods


def transfer_period(*, key: str) -> Period:
    """The month a transfer runs for, named 202601 or 2026-01: its period, or an unsaved one
    for a month of the books that nothing was posted into yet (posting creates it). 404 for
    anything else."""
    key = key.strip().replace("-", "")
    if len(key) != 6 or not key.isdigit() or not 1 <= int(key[4:]) <= 12:
        raise Http404
    year, month = int(key[:4]), int(key[4:])
    period = Period.objects.filter(year=year, month=month).first()
    if period is not None:
        return period
    first = company_get().first_period
    window = business_window(first_period=first)
    if date(year, month, 1) < first or date(year, month, 1) > window.latest:
        raise Http404
    return Period(year=year, month=month)


def transfer_url(period: Period) -> str:
    return reverse("ledger:transfers", args=[period.key])


# ------------------------------------------------------------------------------ the transfers


def _vat_preview(period: Period) -> TransferPreview:
    """转出未交增值税: 应交增值税's credit balance at the month's end (without this month's
    transfer) moves to 未交增值税 through 转出未交增值税; a debit balance is 留抵 and stays."""
    preview = TransferPreview(
        kind=TransferKind.VAT,
        period=period,
        summary=_("VAT payable for %(month)s transferred out") % {"month": month_label(period)},
    )
    out = account_for_role(AccountRole.VAT_TRANSFER_OUT)
    unpaid = account_for_role(AccountRole.VAT_UNPAID)
    if out is None or unpaid is None or out.parent_id is None:
        preview.unavailable = roles_not_mapped(AccountRole.VAT_TRANSFER_OUT, AccountRole.VAT_UNPAID)
        return preview
    vat = Account.objects.get(pk=out.parent_id)
    sid = source_id(period)
    own = own_postings(period, TransferSource.VAT, sid)
    balance = balances_total(period_balances(period, _subtree_q(vat))) - within_accounts(own, [vat])
    payable = maths.vat_payable(balance)
    lines = maths.remaining_lines(
        [((out.pk, None), payable, ""), ((unpaid.pk, None), -payable, "")], own
    )
    preview.lines = line_rows(lines)
    preview.vouchers = transfer_vouchers(TransferSource.VAT, sid)
    preview.figures = [
        TransferFigure(
            _("%(account)s: credit balance before the transfer") % {"account": vat}, payable
        ),
        TransferFigure(_("Input VAT carried forward (留抵)"), max(balance, ZERO)),
        TransferFigure(_("Transferred by earlier runs"), -own.get((unpaid.pk, None), ZERO)),
    ]
    return preview


def _template_preview(period: Period, template: TransferTemplate) -> TransferPreview:
    summary = template.summary or template.name
    preview = TransferPreview(
        kind=TransferKind.TEMPLATE,
        period=period,
        template=template,
        summary=f"{summary} ({month_label(period)})",
    )
    sid = source_id(period, template)
    preview.vouchers = transfer_vouchers(TransferSource.TEMPLATE, sid)
    if not template.is_active:
        preview.unavailable = _("the template is deactivated")
        return preview
    own = own_postings(period, TransferSource.TEMPLATE, sid)
    rules = []
    for line in template.lines.all():
        rules.append(
            maths.RuleLine(
                account_id=line.account_id,
                direction=line.direction,
                basis=line.basis,
                base=_template_base(period, line, own),
                rate=line.rate,
                summary=line.summary,
                source_id=line.source_account_id,
            )
        )
    amounts = maths.rule_amounts(rules)
    if not amounts.is_balanced:
        preview.error = _(
            "the lines come to debit %(debit)s and credit %(credit)s; give the template a line "
            "that balances the voucher"
        ) % {"debit": f"{amounts.debit:,.2f}", "credit": f"{amounts.credit:,.2f}"}
        return preview
    target = [
        ((rule.account_id, None), amount, rule.summary)
        for rule, amount in zip(rules, amounts.amounts, strict=True)
    ]
    preview.lines = line_rows(maths.remaining_lines(target, own))
    return preview


def _template_base(
    period: Period, line: TransferTemplateLine, own: dict[maths.Key, Decimal]
) -> Decimal:
    """The figure a template line reads, without the template's own vouchers of the month."""
    if line.basis == TransferBasis.BALANCING:
        return ZERO
    if line.basis == TransferBasis.WHOLE_BALANCE:
        balance = balances_total(
            period_balances(period, _subtree_q(line.account))
        ) - within_accounts(own, [line.account])
        # The side the line clears: a credit line takes a debit balance out.
        return balance if line.direction == Direction.CREDIT else -balance
    source = line.source_account
    assert source is not None  # noqa: S101 - the database's basis constraint
    figure = balances_total(
        period_balances(
            period, _subtree_q(source), this_month_only=line.basis == TransferBasis.MOVEMENT
        )
    ) - within_accounts(own, [source])
    return figure if source.direction == Direction.DEBIT else -figure


def _pnl_preview(period: Period) -> TransferPreview:
    """结转损益: every income and expense account's balance (per customer where it has them) to
    本年利润; 以前年度损益调整 goes to 未分配利润 instead."""
    preview = TransferPreview(
        kind=TransferKind.PNL,
        period=period,
        summary=_("Profit and loss for %(month)s carried forward") % {"month": month_label(period)},
    )
    profit = account_for_role(AccountRole.CURRENT_YEAR_PROFIT)
    if profit is None:
        preview.unavailable = roles_not_mapped(AccountRole.CURRENT_YEAR_PROFIT)
        return preview
    retained = account_for_role(AccountRole.RETAINED_EARNINGS)
    adjustment = account_for_role(AccountRole.PRIOR_YEAR_ADJUSTMENT)
    to_retained = subtree_ids([adjustment]) if adjustment and retained else set()
    balances = period_balances(period, Q(account__category=AccountCategory.PROFIT_LOSS))
    lines = maths.closing_lines(
        balances.items(),
        counterpart=lambda account_id: (
            retained.pk if retained is not None and account_id in to_retained else profit.pk
        ),
        summaries={
            maths.CREDIT: _("Income carried forward"),
            maths.DEBIT: _("Costs and expenses carried forward"),
        },
    )
    preview.lines = line_rows(lines)
    preview.vouchers = transfer_vouchers(TransferSource.PNL, source_id(period))
    income = sum((x.credit for x in lines if x.account_id == profit.pk), ZERO)
    expenses = sum((x.debit for x in lines if x.account_id == profit.pk), ZERO)
    # After a run the lines are empty: what the month's vouchers carried says it was done.
    own = own_postings(period, TransferSource.PNL, source_id(period)) if preview.vouchers else {}
    carried = -sum((v for (account_id, _d), v in own.items() if account_id == profit.pk), ZERO)
    preview.figures = [
        TransferFigure(_("Income moved to %(account)s") % {"account": profit}, income),
        TransferFigure(
            _("Costs and expenses moved to %(account)s") % {"account": profit}, expenses
        ),
        TransferFigure(_("Profit (loss negative) carried forward"), income - expenses),
        TransferFigure(_("Profit carried forward by earlier runs this month"), carried),
    ]
    return preview


def _year_end_preview(period: Period) -> TransferPreview:
    """年末结转: 本年利润, and the other sub-accounts of 利润分配 (提取盈余公积, 应付股利 …), to
    利润分配—未分配利润, in December."""
    preview = TransferPreview(
        kind=TransferKind.YEAR_END,
        period=period,
        summary=_("Profit for %(year)s carried to retained earnings") % {"year": period.year},
    )
    if period.month != 12:
        preview.unavailable = _("the year-end transfer runs in December")
        return preview
    profit = account_for_role(AccountRole.CURRENT_YEAR_PROFIT)
    retained = account_for_role(AccountRole.RETAINED_EARNINGS)
    if profit is None or retained is None:
        preview.unavailable = roles_not_mapped(
            AccountRole.CURRENT_YEAR_PROFIT, AccountRole.RETAINED_EARNINGS
        )
        return preview
    moved = _subtree_q(profit)
    if retained.parent_id is not None:
        distribution = Account.objects.get(pk=retained.parent_id)
        moved |= _subtree_q(distribution) & ~_subtree_q(retained)
    balances = period_balances(period, moved)
    lines = maths.closing_lines(balances.items(), counterpart=lambda _account: retained.pk)
    preview.lines = line_rows(lines)
    preview.vouchers = transfer_vouchers(TransferSource.YEAR_END, source_id(period))
    preview.figures = [
        TransferFigure(
            _("%(account)s: profit of the year (loss negative)") % {"account": profit},
            -sum((v for (a, _d), v in balances.items() if a == profit.pk), ZERO),
        )
    ]
    return preview


def _raw_preview(
    period: Period, kind: str, template: TransferTemplate | None = None
) -> TransferPreview:
    if kind == TransferKind.VAT:
        return _vat_preview(period)
    if kind == TransferKind.PNL:
        return _pnl_preview(period)
    if kind == TransferKind.YEAR_END:
        return _year_end_preview(period)
    if kind == TransferKind.TEMPLATE and template is not None:
        return _template_preview(period, template)
    raise Http404


def _blocking(previews: Iterable[TransferPreview]) -> list[str]:
    return [f"{p.label} ({p.error})" if p.error else p.label for p in previews if p.is_pending]


def _active_templates() -> list[TransferTemplate]:
    return list(
        TransferTemplate.objects.filter(is_active=True).prefetch_related(
            "lines__account", "lines__source_account"
        )
    )


def transfer_overview(*, period: Period) -> list[TransferPreview]:
    """Every transfer of the month in the order they run — VAT, the active templates, profit
    and loss, the year-end — each with what must run before it."""
    vat = _raw_preview(period, TransferKind.VAT)
    templates = [_raw_preview(period, TransferKind.TEMPLATE, t) for t in _active_templates()]
    pnl = _raw_preview(period, TransferKind.PNL)
    year_end = _raw_preview(period, TransferKind.YEAR_END)
    for preview in templates:
        preview.blocked_by = _blocking([vat])
    pnl.blocked_by = _blocking([vat, *templates])
    year_end.blocked_by = _blocking([pnl])
    return [vat, *templates, pnl, year_end]


def transfer_preview(
    *, period: Period, kind: str, template: TransferTemplate | None = None
) -> TransferPreview:
    """One transfer of the month: its lines and what must run before it."""
    preview = _raw_preview(period, kind, template)
    if kind == TransferKind.TEMPLATE:
        preview.blocked_by = _blocking([_raw_preview(period, TransferKind.VAT)])
    elif kind == TransferKind.PNL:
        before = [_raw_preview(period, TransferKind.VAT)]
        before += [_raw_preview(period, TransferKind.TEMPLATE, t) for t in _active_templates()]
        preview.blocked_by = _blocking(before)
    elif kind == TransferKind.YEAR_END:
        preview.blocked_by = _blocking([_raw_preview(period, TransferKind.PNL)])
    return preview


def pnl_open_accounts(*, period: Period) -> list[Account]:
    """Income and expense accounts with a balance at the month's end (any customer's): what a
    month may not close with. One query plus the accounts."""
    balances = period_balances(period, Q(account__category=AccountCategory.PROFIT_LOSS))
    ids = list(dict.fromkeys(account_id for account_id, _d in balances))
    accounts = Account.objects.in_bulk(ids)
    return [accounts[pk] for pk in ids]


def year_end_open_accounts(*, period: Period) -> list[Account]:
    """In December: 本年利润 and 利润分配's other sub-accounts with a balance left."""
    preview = _year_end_preview(period)
    if preview.unavailable:
        return []
    retained = account_for_role(AccountRole.RETAINED_EARNINGS)
    seen: dict[int, Account] = {}
    for line in preview.lines:
        if retained is None or line.account.pk != retained.pk:
            seen.setdefault(line.account.pk, line.account)
    return list(seen.values())


def accounts_named(accounts: Sequence[Account]) -> str:
    """“6001 主营业务收入, 6401 主营业务成本 and 3 more”."""
    shown = ", ".join(str(a) for a in accounts[:NAMED_ACCOUNTS])
    if len(accounts) > NAMED_ACCOUNTS:
        shown = _("%(accounts)s and %(count)s more") % {
            "accounts": shown,
            "count": len(accounts) - NAMED_ACCOUNTS,
        }
    return shown
