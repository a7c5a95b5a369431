"""Cash-flow items and their tags: the cash accounts, the items, the counter-account mapping and
the posted cash lines to tag."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from suanpan.ledger import cash_flow_templates
from suanpan.ledger.choices import (
    AccountRole,
    VoucherStatus,
)
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    CashFlowItem,
    CashFlowMapping,
    Period,
    VoucherLine,
)
from suanpan.ledger.selectors.company import company_get
from suanpan.ledger.selectors.statement_definitions import OTHER_CASH_CODE
from suanpan.ledger.selectors.statement_figures import ChartFacts


def cash_account_codes() -> list[str]:
    """The first-level cash accounts: those of the cash and bank roles, and 其他货币资金."""
    chart = ChartFacts.read()
    codes = {
        chart.top(chart.by_id[account_id]).code
        for account_id in AccountRoleMap.objects.filter(
            role__in=[AccountRole.CASH, AccountRole.BANK]
        ).values_list("account_id", flat=True)
    }
    if OTHER_CASH_CODE in chart.accounts:
        codes.add(OTHER_CASH_CODE)
    return sorted(codes)


def cash_account_ids() -> set[int]:
    codes = cash_account_codes()
    query = Q(pk__in=[])
    for code in codes:
        query |= Q(code=code) | Q(code__startswith=code + ".")
    return set(Account.objects.filter(query).values_list("pk", flat=True))


# ---------------------------------------------------------------------------- cash-flow tags


def cash_flow_items(*, active_only: bool = False) -> list[CashFlowItem]:
    items = CashFlowItem.objects.order_by("code")
    if active_only:
        items = items.filter(is_active=True)
    return list(items)


def cash_flow_item_by_code(*, code: str) -> CashFlowItem | None:
    return CashFlowItem.objects.filter(code=code.strip().upper()).first() if code else None


@dataclass(frozen=True)
class MappingRow:
    account: Account
    inflow: CashFlowItem | None
    outflow: CashFlowItem | None


def cash_flow_mapping() -> tuple[list[MappingRow], bool]:
    """Counter-account → items, by code, and whether they are stored (else the shipped
    defaults for this chart's standard)."""
    stored = list(
        CashFlowMapping.objects.select_related("account", "inflow_item", "outflow_item").order_by(
            "account__code"
        )
    )
    if stored:
        return [MappingRow(m.account, m.inflow_item, m.outflow_item) for m in stored], True
    return cash_flow_mapping_defaults(), False


def cash_flow_mapping_defaults() -> list[MappingRow]:
    accounts = {a.code: a for a in Account.objects.all()}
    items = {i.code: i for i in CashFlowItem.objects.all()}
    rows = []
    for code, (inflow, outflow) in sorted(
        cash_flow_templates.MAPPINGS[company_get().standard].items()
    ):
        if code in accounts:
            rows.append(MappingRow(accounts[code], items.get(inflow), items.get(outflow)))
    return rows


def cash_flow_lines(
    *, period_from: Period, period_to: Period, untagged_only: bool = True
) -> QuerySet[VoucherLine]:
    """Posted lines on cash accounts within the periods, with their tags; by default those
    without an item. Transfers between cash accounts (every line on cash) need none and are
    left out."""
    cash = cash_account_ids()
    periods = [
        pk
        for pk, year, month in Period.objects.values_list("id", "year", "month")
        if (period_from.year, period_from.month)
        <= (year, month)
        <= (period_to.year, period_to.month)
    ]
    lines = (
        VoucherLine.objects.filter(
            account_id__in=cash,
            voucher__status=VoucherStatus.POSTED,
            voucher__period_id__in=periods,
        )
        .filter(
            Exists(
                VoucherLine.objects.filter(voucher_id=OuterRef("voucher_id")).exclude(
                    account_id__in=cash
                )
            )
        )
        .select_related("voucher__period", "account", "cash_flow_tag__item")
        .order_by("voucher__date", "voucher_id", "line_no")
    )
    if untagged_only:
        lines = lines.filter(cash_flow_tag__isnull=True)
    return lines


def counter_accounts(*, lines: Sequence[VoucherLine]) -> Mapping[int, str]:
    """Each line's counter-accounts as text (the voucher's non-cash lines), for the tagging
    page: one query for the page."""
    cash = cash_account_ids()
    found: dict[int, list[str]] = defaultdict(list)
    for voucher_id, code, name in (
        VoucherLine.objects.filter(voucher_id__in={x.voucher_id for x in lines})
        .exclude(account_id__in=cash)
        .order_by("voucher_id", "line_no")
        .values_list("voucher_id", "account__code", "account__name")
    ):
        text = f"{code} {name}"
        if text not in found[voucher_id]:
            found[voucher_id].append(text)
    return {line.pk: "; ".join(found.get(line.voucher_id, [])) for line in lines}
