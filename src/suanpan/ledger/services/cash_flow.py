"""The counter-account mapping of cash-flow items, and the item each cash line carries: entered
with the voucher, filled in from the mapping when the voucher is posted, or set afterwards in
bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.locks import for_update
from suanpan.ledger.choices import (
    CashFlowTagSource,
    VoucherStatus,
)
from suanpan.ledger.errors import (
    CashFlowItemInvalid,
    CashFlowMappingInvalid,
)
from suanpan.ledger.models import (
    Account,
    CashFlowItem,
    CashFlowMapping,
    CashFlowTag,
    Period,
    Voucher,
    VoucherLine,
)
from suanpan.ledger.selectors import statement_cash_flow
from suanpan.ledger.services.lines import LineInput
from suanpan.ledger.services.statements import error_add
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

MAX_TAGGED_AT_ONCE = 1000


# ---------------------------------------------------------------------------- the mapping


@dataclass(frozen=True)
class MappingInput:
    """A counter-account by code and the items (by code; blank for none) its cash lines take."""

    account: str
    inflow: str = ""
    outflow: str = ""


@transaction.atomic
def cash_flow_mapping_save(*, actor: User, rows: Sequence[MappingInput]) -> int:
    """Replace the counter-account mapping, all or nothing; returns the rows kept."""
    permission_require(actor, "ledger.change_cashflowmapping")
    accounts = {a.code: a for a in Account.objects.all()}
    items = {i.code: i for i in CashFlowItem.objects.all()}
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    made = []
    for index, row in enumerate(rows):
        prefix = f"rows.{index}"
        account = accounts.get(row.account.strip())
        if account is None:
            error_add(
                errors,
                f"{prefix}.account",
                _("There is no account %(code)s.") % {"code": row.account},
            )
        elif account.code in seen:
            error_add(errors, f"{prefix}.account", _("The account is mapped twice."))
        else:
            seen.add(account.code)
        chosen: list[CashFlowItem | None] = []
        for name in ("inflow", "outflow"):
            code = getattr(row, name).strip().upper()
            item = items.get(code) if code else None
            if code and item is None:
                error_add(
                    errors,
                    f"{prefix}.{name}",
                    _("There is no cash-flow item %(code)s.") % {"code": code},
                )
            chosen.append(item)
        if not any(chosen) and not any(f.startswith(prefix + ".") for f in errors):
            error_add(
                errors, f"{prefix}.inflow", _("Name an item for money received, paid, or both.")
            )
        if account is not None:
            made.append(
                CashFlowMapping(account=account, inflow_item=chosen[0], outflow_item=chosen[1])
            )
    if errors:
        raise CashFlowMappingInvalid(fields=errors)
    for_update(CashFlowMapping.objects.all()).delete()
    CashFlowMapping.objects.bulk_create(made)
    return len(made)


@transaction.atomic
def cash_flow_mapping_restore(*, actor: User) -> int:
    """The shipped mapping of this chart's standard in place of the stored one."""
    permission_require(actor, "ledger.change_cashflowmapping")
    rows = statement_cash_flow.cash_flow_mapping_defaults()
    return cash_flow_mapping_save(
        actor=actor,
        rows=[
            MappingInput(
                r.account.code,
                r.inflow.code if r.inflow else "",
                r.outflow.code if r.outflow else "",
            )
            for r in rows
        ],
    )


class _Defaults:
    """The item a cash line takes from its voucher's other lines: the largest one on the other
    side whose account (or the nearest account above it) is mapped; then the same side."""

    def __init__(self) -> None:
        rows, _stored = statement_cash_flow.cash_flow_mapping()
        self.items = {r.account.pk: (r.inflow, r.outflow) for r in rows}
        self.parents = dict(Account.objects.values_list("pk", "parent_id"))

    def mapped(self, account_id: int) -> tuple[CashFlowItem | None, CashFlowItem | None] | None:
        node: int | None = account_id
        while node is not None:
            if node in self.items:
                return self.items[node]
            node = self.parents.get(node)
        return None

    def item_for(
        self, cash_line: _LineRow, counter_lines: Sequence[_LineRow]
    ) -> CashFlowItem | None:
        inflow = cash_line.amount > 0
        cash_debit = cash_line.debit != 0
        ordered = sorted(
            counter_lines,
            key=lambda x: ((x.debit != 0) == cash_debit, -abs(x.amount), x.line_no),
        )
        for line in ordered:
            mapped = self.mapped(line.account_id)
            if mapped is None:
                continue
            item = mapped[0] if inflow else mapped[1]
            if item is not None:
                return item
        return None


@dataclass(frozen=True)
class _LineRow:
    pk: int
    voucher_id: int
    line_no: int
    account_id: int
    debit: Decimal
    credit: Decimal
    period_id: int
    reverses_id: int | None
    posted: bool

    @property
    def amount(self) -> Decimal:
        return self.debit - self.credit


def _line_rows(lines: Iterable[VoucherLine]) -> list[_LineRow]:
    return [
        _LineRow(
            x.pk,
            x.voucher_id,
            x.line_no,
            x.account_id,
            Decimal(x.debit_amount),
            Decimal(x.credit_amount),
            x.voucher.period_id,
            x.voucher.reverses_id,
            x.voucher.status == VoucherStatus.POSTED,
        )
        for x in lines
    ]


def cash_flow_tags_fill(*, vouchers: Sequence[Voucher]) -> int:
    """What posting adds for cash lines (inside the posting's transaction): each tag entered
    with the voucher learns its month and amount, and each cash line without one takes its
    item — a red voucher its original's, the others the mapping's by counter-account. Lines
    no mapping covers stay untagged for the tagging page. Returns the tags written."""
    if not vouchers:
        return 0
    cash = statement_cash_flow.cash_account_ids()
    lines = _line_rows(
        VoucherLine.objects.filter(voucher_id__in=[v.pk for v in vouchers]).select_related(
            "voucher"
        )
    )
    return _tags_fill(lines, cash=cash, actor=None, source=CashFlowTagSource.DEFAULT)


def _tags_fill(
    lines: Sequence[_LineRow], *, cash: set[int], actor: User | None, source: str
) -> int:
    cash_lines = [x for x in lines if x.account_id in cash and x.posted]
    if not cash_lines:
        return 0
    existing = {
        t.line_id: t for t in CashFlowTag.objects.filter(line_id__in=[x.pk for x in cash_lines])
    }
    changed = []
    for line in cash_lines:
        tag = existing.get(line.pk)
        if tag is not None and (tag.period_id != line.period_id or tag.amount != line.amount):
            tag.period_id, tag.amount = line.period_id, line.amount
            changed.append(tag)
    if changed:
        CashFlowTag.objects.bulk_update(changed, ["period", "amount"])
    untagged = [x for x in cash_lines if x.pk not in existing]
    if not untagged:
        return len(changed)
    by_voucher: dict[int, list[_LineRow]] = defaultdict(list)
    for line in lines:
        by_voucher[line.voucher_id].append(line)
    originals = _original_items([x.reverses_id for x in untagged if x.reverses_id])
    defaults = _Defaults()
    now = timezone.now()
    made = []
    for line in untagged:
        counter = [x for x in by_voucher[line.voucher_id] if x.account_id not in cash]
        if not counter:
            continue  # money moved between cash accounts: no cash flow
        item_id: int | None
        if line.reverses_id:
            item_id = originals.get((line.reverses_id, line.line_no))
        else:
            item = defaults.item_for(line, counter)
            item_id = item.pk if item is not None else None
        if item_id is None:
            continue
        made.append(
            CashFlowTag(
                line_id=line.pk,
                item_id=item_id,
                period_id=line.period_id,
                amount=line.amount,
                source=source,
                changed_by=actor,
                changed_at=now if actor else None,
            )
        )
    CashFlowTag.objects.bulk_create(made)
    return len(changed) + len(made)


def _original_items(voucher_ids: Sequence[int]) -> dict[tuple[int, int], int]:
    if not voucher_ids:
        return {}
    return {
        (voucher_id, line_no): item_id
        for voucher_id, line_no, item_id in CashFlowTag.objects.filter(
            line__voucher_id__in=set(voucher_ids)
        ).values_list("line__voucher_id", "line__line_no", "item_id")
    }


def _periods_between(period_from: Period, period_to: Period) -> list[int]:
    return [
        pk
        for pk, year, month in Period.objects.values_list("id", "year", "month")
        if (period_from.year, period_from.month)
        <= (year, month)
        <= (period_to.year, period_to.month)
    ]


@transaction.atomic
def cash_flow_defaults_apply(*, actor: User, period_from: Period, period_to: Period) -> int:
    """Give the untagged cash lines of posted vouchers in the periods their default items (after
    the mapping changed, or for lines posted before tags existed); returns the lines tagged."""
    permission_require(actor, "ledger.change_cashflowtag")
    cash = statement_cash_flow.cash_account_ids()
    voucher_ids = (
        VoucherLine.objects.filter(
            account_id__in=cash,
            cash_flow_tag__isnull=True,
            voucher__status=VoucherStatus.POSTED,
            voucher__period_id__in=_periods_between(period_from, period_to),
        )
        .values_list("voucher_id", flat=True)
        .distinct()
    )
    lines = _line_rows(
        VoucherLine.objects.filter(voucher_id__in=list(voucher_ids)).select_related("voucher")
    )
    return _tags_fill(lines, cash=cash, actor=actor, source=CashFlowTagSource.DEFAULT)


@transaction.atomic
def cash_flow_tags_set(*, actor: User, line_ids: Sequence[int], item: CashFlowItem | None) -> int:
    """Tag posted cash lines with an item (None takes their tags off), all or nothing; returns
    the lines changed."""
    permission_require(actor, "ledger.change_cashflowtag")
    wanted = sorted(set(line_ids))
    if not wanted:
        raise CashFlowItemInvalid(fields={"lines": [_("Choose the lines to tag.")]})
    if len(wanted) > MAX_TAGGED_AT_ONCE:
        raise CashFlowItemInvalid(
            fields={
                "lines": [_("At most %(count)s lines at once.") % {"count": MAX_TAGGED_AT_ONCE}]
            }
        )
    if item is not None and not item.is_active:
        raise CashFlowItemInvalid(fields={"item": [_("This cash-flow item is not in use.")]})
    cash = statement_cash_flow.cash_account_ids()
    lines = list(for_update(VoucherLine.objects.filter(pk__in=wanted)).select_related("voucher"))
    found = {x.pk for x in lines}
    wrong = [
        str(x.pk)
        for x in lines
        if x.account_id not in cash or x.voucher.status != VoucherStatus.POSTED
    ]
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing or wrong:
        raise CashFlowItemInvalid(
            fields={
                "lines": [
                    _("Only posted lines on cash accounts take a cash-flow item: %(lines)s.")
                    % {"lines": ", ".join(missing + wrong)}
                ]
            }
        )
    if item is None:
        CashFlowTag.objects.filter(line_id__in=wanted).delete()
        return len(wanted)
    now = timezone.now()
    existing = {t.line_id: t for t in CashFlowTag.objects.filter(line_id__in=wanted)}
    changed, made = [], []
    for line in lines:
        amount = Decimal(line.debit_amount) - Decimal(line.credit_amount)
        tag = existing.get(line.pk)
        if tag is None:
            tag = CashFlowTag(line=line)
            made.append(tag)
        else:
            changed.append(tag)
        tag.item, tag.period_id, tag.amount = item, line.voucher.period_id, amount
        tag.source, tag.changed_by, tag.changed_at = CashFlowTagSource.MANUAL, actor, now
    CashFlowTag.objects.bulk_create(made)
    if changed:
        CashFlowTag.objects.bulk_update(
            changed, ["item", "period", "amount", "source", "changed_by", "changed_at"]
        )
    return len(made) + len(changed)


# ---------------------------------------------------------------------------- voucher entry


def cash_flow_entry_check(lines: Sequence[LineInput]) -> None:
    """A cash-flow item entered with a voucher goes on a cash line and is in use."""
    named = [(i, x, x.cash_flow_item) for i, x in enumerate(lines) if x.cash_flow_item]
    if not named:
        return
    cash = statement_cash_flow.cash_account_ids()
    errors: dict[str, list[str]] = {}
    for index, line, item in named:
        if line.account.pk not in cash:
            errors[f"lines.{index}.cash_flow_item"] = [
                _("Only lines on cash and bank accounts carry a cash-flow item.")
            ]
        elif not item.is_active:
            errors[f"lines.{index}.cash_flow_item"] = [_("This cash-flow item is not in use.")]
    if errors:
        raise CashFlowItemInvalid(fields=errors)


def cash_flow_entry_write(rows: Sequence[VoucherLine], lines: Sequence[LineInput]) -> None:
    """The items entered with a draft's lines; posting adds their month and amount."""
    tags = [
        CashFlowTag(line=row, item=line.cash_flow_item, source=CashFlowTagSource.ENTRY)
        for row, line in zip(rows, lines, strict=True)
        if line.cash_flow_item is not None
    ]
    if tags:
        CashFlowTag.objects.bulk_create(tags)
