"""Every write to the books. Callers from other apps use `posting_post` (in account roles),
inside their own transaction; people use the voucher services through pages, API and CLI."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.models import DocumentSequence
from suanpan.core.numbering import sequence_reserve
from suanpan.ledger import calculations
from suanpan.ledger.calculations import GENESIS_HASH, ZERO, ChainLine, ChainVoucher, LineAmounts
from suanpan.ledger.charts import chart_rows
from suanpan.ledger.choices import (
    AccountingStandard,
    AccountRole,
    DimensionKind,
    PeriodStatus,
    RevenuePolicy,
    VoucherStatus,
)
from suanpan.ledger.errors import (
    AccountInUse,
    AccountInvalid,
    AccountRoleNotMapped,
    DimensionNotFound,
    LedgerAlreadySetUp,
    LedgerNotSetUp,
    OpenItemMatchExceeds,
    OpenItemMatchInvalid,
    PeriodBeforeStart,
    PeriodClosed,
    PeriodCloseFailed,
    PeriodStateInvalid,
    VoucherAlreadyReversed,
    VoucherInvalid,
    VoucherMakerCannotReview,
    VoucherStateInvalid,
    VoucherUnbalanced,
)
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    Company,
    Dimension,
    OpenItem,
    OpenItemMatch,
    Period,
    PeriodEvent,
    PeriodTotal,
    Voucher,
    VoucherLine,
)
from suanpan.ledger.types import PostingEvent, RoleLine
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

CHAIN_SERIES = "voucher-chain"


# ---------------------------------------------------------------------------- company and chart


def company_get() -> Company:
    company = Company.objects.first()
    if company is None:
        raise LedgerNotSetUp()
    return company


@transaction.atomic
def company_setup(
    *,
    actor: User,
    name: str,
    standard: str,
    first_period: date,
    tax_number: str = "",
    revenue_policy: str = RevenuePolicy.ON_DELIVERY,
    voucher_words: str = "记",
) -> Company:
    """Set up the books once: company, the chart of the chosen standard, its roles, first period."""
    permission_require(actor, "ledger.add_company")
    if Company.objects.select_for_update().exists():
        raise LedgerAlreadySetUp()
    if standard not in AccountingStandard.values:
        raise AccountInvalid(fields={"standard": [_("Unknown accounting standard.")]})
    company = Company.objects.create(
        name=name,
        tax_number=tax_number,
        standard=standard,
        revenue_policy=revenue_policy,
        first_period=first_period.replace(day=1),
        voucher_words=voucher_words,
        default_word=voucher_words[0],
    )
    chart_load(standard=standard)
    _period_get_or_create(company.first_period)
    return company


@transaction.atomic
def company_update(*, actor: User, data: Mapping[str, Any]) -> Company:
    """Change settings; the standard and first period are fixed once anything is posted."""
    permission_require(actor, "ledger.change_company")
    company = Company.objects.select_for_update().get(pk=company_get().pk)
    fixed = {"standard", "first_period"}
    if fixed & set(data) and Voucher.objects.exists():
        changed = [k for k in fixed & set(data) if getattr(company, k) != data[k]]
        if changed:
            raise AccountInvalid(
                fields={k: [_("Cannot change once vouchers exist.")] for k in changed}
            )
    for name, value in data.items():
        if name in {"name", "tax_number", "revenue_policy", "voucher_words", "default_word"}:
            setattr(company, name, value)
    if company.default_word not in company.voucher_words:
        raise AccountInvalid(
            fields={"default_word": [_("The default word must be one of the words in use.")]}
        )
    company.full_clean()
    company.save()
    return company


def chart_load(*, standard: str) -> int:
    """Create the accounts and role mappings of a chart template; returns the account count."""
    rows = chart_rows(standard)
    by_code: dict[str, Account] = {}
    for row in rows:  # parents come before their children in the files
        account = Account.objects.create(
            code=row.code,
            name=row.name,
            parent=by_code.get(row.parent),
            level=row.code.count(".") + 1,
            direction=row.direction,
            category=row.category,
            requires_customer=row.customer_dimension,
            is_open_item=row.open_item,
        )
        by_code[row.code] = account
        for role in row.roles:
            AccountRoleMap.objects.create(role=role, account=account)
    return len(rows)


@transaction.atomic
def account_create(
    *,
    actor: User,
    parent: Account | None,
    code: str,
    name: str,
    direction: str | None = None,
    category: str | None = None,
    requires_customer: bool = False,
    is_open_item: bool = False,
) -> Account:
    """Add an account; a sub-account inherits direction and category from its parent.

    A parent that has postings cannot take sub-accounts (its balance would have no leaf).
    """
    permission_require(actor, "ledger.add_account")
    errors: dict[str, list[str]] = {}
    if parent is not None:
        if not code.startswith(parent.code + "."):
            errors["code"] = [_("A sub-account's code starts with its parent's code and a dot.")]
        if VoucherLine.objects.filter(account=parent).exists():
            errors["parent"] = [_("This account has postings; it cannot take sub-accounts.")]
    elif not code.isdigit() or len(code) != 4:
        errors["code"] = [_("A first-level account code has four digits.")]
    if Account.objects.filter(code=code).exists():
        errors["code"] = [_("This code is taken.")]
    if is_open_item and not requires_customer:
        errors["is_open_item"] = [_("Open-item accounts need the customer dimension.")]
    if errors:
        raise AccountInvalid(fields=errors)
    account = Account(
        code=code,
        name=name,
        parent=parent,
        level=code.count(".") + 1,
        direction=direction or (parent.direction if parent else ""),
        category=category or (parent.category if parent else ""),
        requires_customer=requires_customer,
        is_open_item=is_open_item,
    )
    try:
        account.full_clean()
    except Exception as exc:
        from suanpan.core.errors import validation_failed_from_django

        raise validation_failed_from_django(exc) from exc
    account.save()
    return account


@transaction.atomic
def account_set_active(*, actor: User, account: Account, active: bool) -> Account:
    permission_require(actor, "ledger.change_account")
    if not active and AccountRoleMap.objects.filter(account=account).exists():
        raise AccountInvalid(
            fields={"is_active": [_("This account plays a role; map the role elsewhere first.")]}
        )
    Account.objects.filter(pk=account.pk).update(is_active=active)
    account.is_active = active
    return account


@transaction.atomic
def account_delete(*, actor: User, account: Account) -> None:
    """Delete an account entered by mistake; never once used."""
    permission_require(actor, "ledger.delete_account")
    if VoucherLine.objects.filter(account=account).exists():
        raise AccountInUse(account=str(account))
    if account.children.exists() or AccountRoleMap.objects.filter(account=account).exists():
        raise AccountInvalid(fields={"code": [_("It has sub-accounts or plays a role.")]})
    account.delete()


@transaction.atomic
def account_role_set(*, actor: User, role: str, account: Account) -> AccountRoleMap:
    permission_require(actor, "ledger.change_company")
    if account.children.exists() or not account.is_active:
        raise AccountInvalid(fields={"account": [_("Roles map to active leaf accounts.")]})
    mapping, _created = AccountRoleMap.objects.update_or_create(
        role=role, defaults={"account": account}
    )
    return mapping


# ---------------------------------------------------------------------------- dimensions


def dimension_upsert(*, kind: str, code: str, name: str, is_active: bool = True) -> Dimension:
    """Create or rename the ledger's record of a customer (called by the customers app)."""
    dimension, created = Dimension.objects.get_or_create(
        kind=kind, code=code, defaults={"name": name[:200], "is_active": is_active}
    )
    if not created and (dimension.name != name[:200] or dimension.is_active != is_active):
        Dimension.objects.filter(pk=dimension.pk).update(name=name[:200], is_active=is_active)
        dimension.name, dimension.is_active = name[:200], is_active
    return dimension


def dimension_bulk_upsert(
    *, kind: str, rows: Iterable[tuple[str, str, bool]], batch_size: int = 2000
) -> None:
    """`dimension_upsert` for many (code, name, is_active) rows: one query per batch."""
    Dimension.objects.bulk_create(
        [
            Dimension(kind=kind, code=code, name=name[:200], is_active=is_active)
            for code, name, is_active in rows
        ],
        batch_size=batch_size,
        update_conflicts=True,
        unique_fields=["kind", "code"],
        update_fields=["name", "is_active"],
    )


def dimension_merge(*, kind: str, source_code: str, target_code: str) -> None:
    """A merged customer: its dimension points at the survivor and takes no new postings.

    Posted lines keep the dimension they were posted with (posted vouchers never change).
    """
    source = Dimension.objects.filter(kind=kind, code=source_code).first()
    target = Dimension.objects.filter(kind=kind, code=target_code).first()
    if source is None or target is None:
        return
    Dimension.objects.filter(pk=source.pk).update(merged_into=target, is_active=False)


# ---------------------------------------------------------------------------- periods


def _period_get_or_create(first_day: date) -> Period:
    try:
        with transaction.atomic():
            period, _created = Period.objects.get_or_create(
                year=first_day.year, month=first_day.month
            )
    except IntegrityError:
        period = Period.objects.get(year=first_day.year, month=first_day.month)
    return period


def period_for_posting(on: date, *, company: Company | None = None) -> Period:
    """The open period a voucher dated `on` goes into, created on first use; locked (shared)."""
    first_day = on.replace(day=1)
    # Lock the period row so a concurrent close waits for this posting (and vice versa); the
    # month exists already in all but its first posting. The company's first period comes
    # with it, so a posting into an existing month costs one query.
    locked = Period.objects.select_for_update(of=("self",))
    found = (
        locked.filter(year=first_day.year, month=first_day.month)
        .annotate(first_period=Subquery(Company.objects.order_by("pk").values("first_period")[:1]))
        .first()
    )
    period: Period | None = found
    if company is not None:
        first_period: date | None = company.first_period
    elif found is not None:
        first_period = found.first_period
    else:
        first_period = company_get().first_period
    if first_period is None:
        raise LedgerNotSetUp()
    if first_day < first_period:
        raise PeriodBeforeStart(date=on.isoformat(), period=first_period.strftime("%Y%m"))
    if period is None:
        period = locked.get(pk=_period_get_or_create(first_day).pk)
    if period.status == PeriodStatus.CLOSED:
        raise PeriodClosed(period=period.key)
    return period


# Joins the checklist's problems in the refusal message; pages split them again to list them.
PROBLEM_SEPARATOR = "; "
CloseCheck = Callable[[Period], list[str]]
CLOSE_CHECKS: list[CloseCheck] = []


def close_check_register(check: CloseCheck) -> CloseCheck:
    """Other apps add period-close steps (a function returning problems) from their ready()."""
    if check not in CLOSE_CHECKS:
        CLOSE_CHECKS.append(check)
    return check


@transaction.atomic
def period_close(*, actor: User, period: Period) -> Period:
    """Run the close checklist and lock the period; refused with every problem named."""
    from suanpan.ledger import selectors

    permission_require(actor, "ledger.close_period")
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.status == PeriodStatus.CLOSED:
        raise PeriodStateInvalid(period=period.key)
    problems: list[str] = []
    # Every earlier month must be closed, also one that nothing was posted into yet: its
    # row is created on first use, and a posting there would change this period's balances.
    first = company_get().first_period
    months_before = (period.year - first.year) * 12 + period.month - first.month
    earlier_closed = Period.objects.filter(status=PeriodStatus.CLOSED).filter(
        year__lt=period.year
    ) | Period.objects.filter(status=PeriodStatus.CLOSED, year=period.year, month__lt=period.month)
    if earlier_closed.count() < months_before:
        problems.append(_("earlier periods are still open"))
    unposted = period.vouchers.exclude(status=VoucherStatus.POSTED).count()
    if unposted:
        problems.append(_("%(count)s vouchers are not posted") % {"count": unposted})
    balance = selectors.trial_balance(period_to=period, period_from=period)
    if balance.closing_debit != balance.closing_credit:
        problems.append(_("the trial balance does not net to zero"))
    mismatches = selectors.open_items_check(as_of=selectors.period_last_day(period))
    if mismatches:
        problems.append(
            _("open items differ from their accounts for %(count)s customers")
            % {"count": len(mismatches)}
        )
    for check in CLOSE_CHECKS:
        problems.extend(check(period))
    if problems:
        raise PeriodCloseFailed(period=period.key, problems=PROBLEM_SEPARATOR.join(problems))
    period.status = PeriodStatus.CLOSED
    period.closed_at = timezone.now()
    period.closed_by = actor
    period.save(update_fields=["status", "closed_at", "closed_by"])
    PeriodEvent.objects.create(period=period, action="close", user=actor)
    return period


@transaction.atomic
def period_reopen(*, actor: User, period: Period, reason: str) -> Period:
    """Re-open the latest closed period (finance managers only); the reason is logged."""
    permission_require(actor, "ledger.reopen_period")
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.status != PeriodStatus.CLOSED:
        raise PeriodStateInvalid(period=period.key)
    later_closed = Period.objects.filter(status=PeriodStatus.CLOSED).filter(
        year__gt=period.year
    ) | Period.objects.filter(status=PeriodStatus.CLOSED, year=period.year, month__gt=period.month)
    if later_closed.exists():
        raise PeriodStateInvalid(period=period.key)
    if not reason.strip():
        raise VoucherInvalid(fields={"reason": [_("Say why the period is re-opened.")]})
    period.status = PeriodStatus.OPEN
    period.closed_at = None
    period.closed_by = None
    period.save(update_fields=["status", "closed_at", "closed_by"])
    PeriodEvent.objects.create(period=period, action="reopen", user=actor, reason=reason.strip())
    return period


# ---------------------------------------------------------------------------- voucher input


@dataclass(frozen=True)
class LineInput:
    """A voucher line as a person enters it: a leaf account, one amount, maybe a customer."""

    account: Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    dimension: Dimension | None = None
    summary: str = ""
    due_on: date | None = None


def _parent_ids(account_ids: Iterable[int]) -> set[int]:
    """Which of these accounts have sub-accounts (and so take no postings): one query."""
    return set(
        Account.objects.filter(parent_id__in=set(account_ids)).values_list("parent_id", flat=True)
    )


def _lines_validate(
    lines: Sequence[LineInput], *, red: bool, parents: set[int] | None = None
) -> None:
    errors: dict[str, list[str]] = {}
    if parents is None:
        parents = _parent_ids(line.account.pk for line in lines)
    if len(lines) < 2:
        errors["lines"] = [_("A voucher has at least two lines.")]
    for index, line in enumerate(lines):
        prefix = f"lines.{index}"
        problem = calculations.line_problem(line.debit, line.credit, red=red)
        if problem == "one_column":
            errors[f"{prefix}.debit"] = [_("Enter an amount in exactly one of debit and credit.")]
        elif problem == "negative":
            errors[f"{prefix}.debit"] = [
                _("Negative amounts appear only in red (reversing) vouchers.")
            ]
        elif problem == "red_positive":
            errors[f"{prefix}.debit"] = [_("A red voucher's amounts are negative.")]
        for amount in (line.debit, line.credit):
            if amount != amount.quantize(Decimal("0.01")):
                errors[f"{prefix}.debit"] = [_("Amounts have at most two decimals.")]
        account = line.account
        if not account.is_active:
            errors[f"{prefix}.account"] = [
                _("Account %(account)s is deactivated.") % {"account": account}
            ]
        elif account.pk in parents:
            errors[f"{prefix}.account"] = [
                _("Post to a leaf account, not to %(account)s.") % {"account": account}
            ]
        if account.requires_customer and line.dimension is None:
            errors[f"{prefix}.dimension"] = [
                _("Account %(account)s needs a customer.") % {"account": account}
            ]
        if line.dimension is not None and not line.dimension.is_active:
            errors[f"{prefix}.dimension"] = [
                _("Customer %(dimension)s takes no new postings.") % {"dimension": line.dimension}
            ]
    if errors:
        raise VoucherInvalid(fields=errors)
    debit, credit = calculations.totals(LineAmounts(x.debit, x.credit) for x in lines)
    if debit != credit or debit == 0:
        raise VoucherUnbalanced(debit=f"{debit:,.2f}", credit=f"{credit:,.2f}")


def _line_rows(voucher: Voucher, lines: Sequence[LineInput]) -> list[VoucherLine]:
    """Unsaved line rows of a voucher, numbered from 1; a blank line summary takes the voucher's."""
    return [
        VoucherLine(
            voucher=voucher,
            line_no=index + 1,
            account=line.account,
            dimension=line.dimension,
            summary=line.summary or voucher.summary,
            debit_amount=line.debit,
            credit_amount=line.credit,
            due_on=line.due_on,
        )
        for index, line in enumerate(lines)
    ]


def _lines_write(voucher: Voucher, lines: Sequence[LineInput]) -> list[VoucherLine]:
    return VoucherLine.objects.bulk_create(_line_rows(voucher, lines))


def _word_check(word: str) -> None:
    company = company_get()
    if word not in company.voucher_words:
        raise VoucherInvalid(
            fields={
                "word": [
                    _("Use one of the voucher words %(words)s.") % {"words": company.voucher_words}
                ]
            }
        )


@transaction.atomic
def voucher_create(
    *,
    actor: User,
    date: date,
    summary: str,
    lines: Sequence[LineInput],
    word: str | None = None,
    attachments: int = 0,
) -> Voucher:
    """Save a manual voucher as a draft; it is numbered when posted."""
    permission_require(actor, "ledger.add_voucher")
    word = word or company_get().default_word
    _word_check(word)
    if not summary.strip():
        raise VoucherInvalid(fields={"summary": [_("A voucher needs a summary.")]})
    _lines_validate(lines, red=False)
    period = period_for_posting(date)
    voucher = Voucher.objects.create(
        period=period,
        word=word,
        date=date,
        summary=summary.strip(),
        attachments=attachments,
        maker=actor,
    )
    _lines_write(voucher, lines)
    return voucher


def _voucher_locked(voucher: Voucher) -> Voucher:
    return Voucher.objects.select_for_update().select_related("period").get(pk=voucher.pk)


@transaction.atomic
def voucher_update(
    *,
    actor: User,
    voucher: Voucher,
    date: date,
    summary: str,
    lines: Sequence[LineInput],
    word: str | None = None,
    attachments: int = 0,
) -> Voucher:
    """Replace a draft's content; reviewed or posted vouchers cannot be edited."""
    permission_require(actor, "ledger.change_voucher")
    voucher = _voucher_locked(voucher)
    if voucher.status != VoucherStatus.DRAFT:
        raise VoucherStateInvalid(voucher=str(voucher), status=voucher.get_status_display())
    word = word or voucher.word
    _word_check(word)
    if not summary.strip():
        raise VoucherInvalid(fields={"summary": [_("A voucher needs a summary.")]})
    _lines_validate(lines, red=False)
    voucher.period = period_for_posting(date)
    voucher.word, voucher.date, voucher.summary = word, date, summary.strip()
    voucher.attachments = attachments
    voucher.save()
    voucher.lines.all().delete()
    _lines_write(voucher, lines)
    return voucher


@transaction.atomic
def voucher_delete(*, actor: User, voucher: Voucher) -> None:
    permission_require(actor, "ledger.delete_voucher")
    voucher = _voucher_locked(voucher)
    if voucher.status != VoucherStatus.DRAFT:
        raise VoucherStateInvalid(voucher=str(voucher), status=voucher.get_status_display())
    voucher.delete()


@transaction.atomic
def voucher_review(*, actor: User, voucher: Voucher) -> Voucher:
    """Draft → reviewed, by someone other than the maker."""
    permission_require(actor, "ledger.review_voucher")
    voucher = _voucher_locked(voucher)
    if voucher.status != VoucherStatus.DRAFT:
        raise VoucherStateInvalid(voucher=str(voucher), status=voucher.get_status_display())
    if voucher.maker_id == actor.pk:
        raise VoucherMakerCannotReview()
    voucher.status, voucher.reviewer = VoucherStatus.REVIEWED, actor
    voucher.save(update_fields=["status", "reviewer"])
    return voucher


@transaction.atomic
def voucher_unreview(*, actor: User, voucher: Voucher) -> Voucher:
    permission_require(actor, "ledger.review_voucher")
    voucher = _voucher_locked(voucher)
    if voucher.status != VoucherStatus.REVIEWED:
        raise VoucherStateInvalid(voucher=str(voucher), status=voucher.get_status_display())
    voucher.status, voucher.reviewer = VoucherStatus.DRAFT, None
    voucher.save(update_fields=["status", "reviewer"])
    return voucher


@transaction.atomic
def voucher_post(*, actor: User, voucher: Voucher) -> Voucher:
    """Reviewed → posted: numbered, chained, totalled, its open items created."""
    permission_require(actor, "ledger.post_voucher")
    voucher = _voucher_locked(voucher)
    if voucher.status != VoucherStatus.REVIEWED:
        raise VoucherStateInvalid(voucher=str(voucher), status=voucher.get_status_display())
    period = period_for_posting(voucher.date)
    voucher.period = period
    lines = list(voucher.lines.select_related("account", "dimension"))
    inputs = [
        LineInput(x.account, x.debit_amount, x.credit_amount, x.dimension, x.summary, x.due_on)
        for x in lines
    ]
    _lines_validate(inputs, red=voucher.reverses_id is not None)
    _post_saved(voucher, lines, actor=actor)
    return voucher


@transaction.atomic
def voucher_reverse(
    *, actor: User, voucher: Voucher, on: date | None = None, summary: str = ""
) -> Voucher:
    """Correct a posted voucher with its red copy (negative amounts), posted at once.

    Open items of the original are matched against the red ones as far as they are open.
    """
    permission_require(actor, "ledger.reverse_voucher")
    original = _voucher_locked(voucher)
    if original.status != VoucherStatus.POSTED:
        raise VoucherStateInvalid(voucher=str(original), status=original.get_status_display())
    if Voucher.objects.filter(reverses=original).exists():
        raise VoucherAlreadyReversed(voucher=str(original))
    on = on or timezone.localdate()
    if on < original.date:
        raise VoucherInvalid(
            fields={"date": [_("A reversal cannot be dated before the voucher it corrects.")]}
        )
    period = period_for_posting(on)
    red = Voucher.objects.create(
        period=period,
        word=original.word,
        date=on,
        summary=summary or _("Reversal of %(voucher)s") % {"voucher": original},
        maker=actor,
        reverses=original,
        source_type=original.source_type,
        source_id=original.source_id,
    )
    original_lines = list(original.lines.select_related("account", "dimension"))
    red_lines = VoucherLine.objects.bulk_create(
        [
            VoucherLine(
                voucher=red,
                line_no=line.line_no,
                account=line.account,
                dimension=line.dimension,
                summary=line.summary,
                debit_amount=-line.debit_amount,
                credit_amount=-line.credit_amount,
                due_on=line.due_on,
            )
            for line in original_lines
        ]
    )
    _post_saved(red, red_lines, actor=actor)
    # Settle each original item against its red twin as far as it is still open; the
    # originals are locked like open_item_match locks them.
    items = (
        OpenItem.objects.select_for_update()
        .filter(line__voucher__in=[original, red])
        .select_related("line")
        .order_by("pk")
    )
    twins: dict[int, OpenItem] = {}
    originals: list[OpenItem] = []
    for item in items:
        if item.line.voucher_id == red.pk:
            twins[item.line.line_no] = item
        else:
            originals.append(item)
    for item in originals:
        twin = twins.get(item.line.line_no)
        if twin is None:
            continue
        amount = min(abs(item.open_amount), abs(twin.open_amount))
        if amount > 0:
            debit, credit = (item, twin) if item.amount > 0 else (twin, item)
            _match_write(debit, credit, amount=amount, on=on, actor=actor)
    return red


def _match_write(
    debit_item: OpenItem, credit_item: OpenItem, *, amount: Decimal, on: date, actor: User
) -> OpenItemMatch:
    """Record a match and take it off both (locked) items' open amounts."""
    match = OpenItemMatch.objects.create(
        debit_item=debit_item,
        credit_item=credit_item,
        amount=amount,
        matched_on=on,
        created_by=actor,
    )
    _open_amounts_move([(debit_item, -amount), (credit_item, amount)])
    return match


def _open_amounts_move(changes: Sequence[tuple[OpenItem, Decimal]]) -> None:
    """Add signed changes to locked items' open amounts: one UPDATE for all of them.

    The database's CHECK refuses any result outside 0…amount, whatever the caller computed.
    """
    for item, change in changes:
        item.open_amount += change
    OpenItem.objects.bulk_update([item for item, _change in changes], ["open_amount"])


# ---------------------------------------------------------------------------- posting


def _chain_assign(entries: Sequence[tuple[Voucher, Sequence[VoucherLine]]], *, actor: User) -> None:
    """Number, chain and mark vouchers posted, in memory; the caller writes them.

    Numbers are reserved per word and period in one locked step each, and the chain position
    for the whole batch at once, so a batch costs a constant number of locks. The vouchers and
    lines need not be saved yet: the batch path inserts them already posted.
    """
    now = timezone.now()
    groups: dict[tuple[str, str], list[Voucher]] = defaultdict(list)
    for voucher, _lines in entries:
        groups[(voucher.word, voucher.period.key)].append(voucher)
    for (word, period_key), vouchers in sorted(groups.items()):
        first, _head = _sequence_take(f"voucher-{word}", period_key, len(vouchers))
        for offset, voucher in enumerate(vouchers):
            voucher.number = first + offset
    first_seq, prev_hash = _sequence_take(CHAIN_SERIES, "", len(entries), chain_head=True)
    reversed_ids = [v.reverses_id for v, _l in entries if v.reverses_id]
    reversed_seq = (
        dict(Voucher.objects.filter(pk__in=reversed_ids).values_list("pk", "chain_seq"))
        if reversed_ids
        else {}
    )
    for offset, (voucher, lines) in enumerate(entries):
        voucher.chain_seq = first_seq + offset
        voucher.prev_hash = prev_hash
        voucher.hash = calculations.chain_hash(
            prev_hash,
            ChainVoucher(
                chain_seq=voucher.chain_seq,
                period_key=voucher.period.key,
                word=voucher.word,
                number=voucher.number or 0,
                date=voucher.date,
                summary=voucher.summary,
                source_event=voucher.source_event or "",
                reverses_chain_seq=reversed_seq.get(voucher.reverses_id or 0),
                lines=tuple(
                    ChainLine(
                        line_no=line.line_no,
                        account_code=line.account.code,
                        dimension_code=line.dimension.code if line.dimension else "",
                        summary=line.summary,
                        debit=Decimal(line.debit_amount),
                        credit=Decimal(line.credit_amount),
                        due_on=line.due_on,
                    )
                    for line in lines
                ),
            ),
        )
        prev_hash = voucher.hash
        voucher.status = VoucherStatus.POSTED
        voucher.poster = actor
        voucher.posted_at = now


def _sequence_take(
    series: str, period: str, count: int, *, chain_head: bool = False
) -> tuple[int, str]:
    """Reserve `count` numbers of a sequence; return the first (and the chain head's hash).

    On PostgreSQL one `UPDATE … RETURNING` locks the row and takes the numbers in a single
    round trip, where `sequence_reserve` reads the row for update first; the chain's head hash
    comes back with it. A sequence met for the first time goes through `sequence_reserve`,
    which creates its row.
    """
    first = 0
    head: str | None = None
    if connection.vendor == "postgresql":
        table = DocumentSequence._meta.db_table
        vouchers = Voucher._meta.db_table
        head_sql = (
            f", (SELECT hash FROM {vouchers} WHERE chain_seq = next_value - %s - 1)"  # noqa: S608
            if chain_head
            else ""
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET next_value = next_value + %s"  # noqa: S608 - table names from the models, values are parameters
                f" WHERE series = %s AND period = %s RETURNING next_value - %s{head_sql}",
                [count, series, period, count, *([count] if chain_head else [])],
            )
            row = cursor.fetchone()
        if row is not None:
            first = row[0]
            head = row[1] if chain_head else None
    if not first:
        first = sequence_reserve(series=series, period=period, count=count)
    if not chain_head or first == 1:
        return first, GENESIS_HASH
    if head is None:
        # The statement's snapshot predates a head committed while it waited for the lock;
        # a new statement sees it.
        head = Voucher.objects.filter(chain_seq=first - 1).values_list("hash", flat=True).first()
    return first, head or GENESIS_HASH


POSTED_FIELDS = ["number", "chain_seq", "prev_hash", "hash", "status", "poster", "posted_at"]


def _post_saved(voucher: Voucher, lines: Sequence[VoucherLine], *, actor: User) -> None:
    """Post one voucher whose draft and lines are saved (manual vouchers, reversals)."""
    _chain_assign([(voucher, lines)], actor=actor)
    voucher.save(update_fields=POSTED_FIELDS)
    _post_effects([(voucher, lines)])


def _post_effects(entries: Sequence[tuple[Voucher, Sequence[VoucherLine]]]) -> None:
    """What posting adds beside the voucher: period totals and open items."""
    accounts = {line.account_id: line.account for _v, lines in entries for line in lines}
    _totals_add(entries)
    _open_items_create(entries, accounts=accounts)


def _totals_add(entries: Sequence[tuple[Voucher, Sequence[VoucherLine]]]) -> None:
    sums: dict[tuple[int, int, int | None], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for voucher, lines in entries:
        period_id = voucher.period_id
        for line in lines:
            key = (period_id, line.account_id, line.dimension_id)
            sums[key][0] += Decimal(line.debit_amount)
            sums[key][1] += Decimal(line.credit_amount)
    if connection.vendor == "postgresql":
        _totals_upsert(sums)
        return
    # Elsewhere (SQLite) a write transaction holds the database lock: read, add, write back.
    existing = {
        (t.period_id, t.account_id, t.dimension_id): t
        for t in PeriodTotal.objects.filter(
            period_id__in={k[0] for k in sums},
            account_id__in={k[1] for k in sums},
        ).filter(Q(dimension_id__in={k[2] for k in sums if k[2]}) | Q(dimension_id__isnull=True))
    }
    new = []
    for key, (debit, credit) in sums.items():
        total = existing.get(key)
        if total is None:
            new.append(
                PeriodTotal(
                    period_id=key[0],
                    account_id=key[1],
                    dimension_id=key[2],
                    debit_amount=debit,
                    credit_amount=credit,
                )
            )
        else:
            total.debit_amount += debit
            total.credit_amount += credit
    PeriodTotal.objects.bulk_create(new)
    changed = [t for k, t in existing.items() if k in sums]
    if changed:
        PeriodTotal.objects.bulk_update(changed, ["debit_amount", "credit_amount"])


def _totals_upsert(sums: Mapping[tuple[int, int, int | None], list[Decimal]]) -> None:
    """Add movements to PostgreSQL's period totals in one INSERT … ON CONFLICT per 1,000 rows.

    Only the rows a batch touches are locked, in key order, so concurrent postings into the
    same month wait for each other only where they share an account and customer.
    """
    table = PeriodTotal._meta.db_table
    keys = sorted(sums, key=lambda k: (k[0], k[1], k[2] or 0))
    for start in range(0, len(keys), 1000):
        chunk = keys[start : start + 1000]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
        params: list[int | None] = []
        for period_id, account_id, dimension_id in chunk:
            debit, credit = sums[(period_id, account_id, dimension_id)]
            params += [period_id, account_id, dimension_id, int(debit * 100), int(credit * 100)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (period_id, account_id, dimension_id, debit_amount, "  # noqa: S608 - table name from the model, values are parameters
                f"credit_amount) VALUES {values} ON CONFLICT (period_id, account_id, dimension_id) "
                f"DO UPDATE SET debit_amount = {table}.debit_amount + EXCLUDED.debit_amount, "
                f"credit_amount = {table}.credit_amount + EXCLUDED.credit_amount",
                params,
            )


def _open_items_create(
    entries: Sequence[tuple[Voucher, Sequence[VoucherLine]]], *, accounts: Mapping[int, Account]
) -> None:
    items = [
        OpenItem(  # type: ignore[misc]  # open-item accounts require one
            line=line,
            account_id=line.account_id,
            dimension_id=line.dimension_id,
            posted_on=voucher.date,
            due_on=line.due_on or voucher.date,
            amount=Decimal(line.debit_amount) - Decimal(line.credit_amount),
            open_amount=Decimal(line.debit_amount) - Decimal(line.credit_amount),
            source_type=voucher.source_type,
            source_id=voucher.source_id,
            voucher_number=voucher.display_number,
            summary=line.summary,
        )
        for voucher, lines in entries
        for line in lines
        if accounts[line.account_id].is_open_item
    ]
    if items:
        OpenItem.objects.bulk_create(items)


class _Resolver:
    """Roles to accounts and customer numbers to dimensions, each looked up once per call."""

    def __init__(self, roles: Iterable[str]) -> None:
        # Which mapped accounts have sub-accounts (and take no postings) comes in the same query.
        maps = (
            AccountRoleMap.objects.filter(role__in=set(roles))
            .select_related("account")
            .annotate(has_children=Exists(Account.objects.filter(parent_id=OuterRef("account_id"))))
        )
        self.roles: dict[str, Account] = {}
        self.parents: set[int] = set()
        for mapping in maps:
            self.roles[mapping.role] = mapping.account
            if mapping.has_children:
                self.parents.add(mapping.account_id)
        self.dimensions: dict[tuple[str, str], Dimension] = {}

    @classmethod
    def from_rows(
        cls, role_rows: Iterable[Sequence[Any]], dimension_rows: Iterable[Sequence[Any]]
    ) -> _Resolver:
        """A resolver from rows the caller read itself: (role, account id, code, name,
        is_active, requires_customer, is_open_item, has children) and (id, kind, code, name,
        is_active)."""
        resolver = cls.__new__(cls)
        resolver.roles = {}
        resolver.parents = set()
        for role, pk, code, name, active, needs_customer, open_item, has_children in role_rows:
            resolver.roles[role] = Account(
                id=pk,
                code=code,
                name=name,
                is_active=active,
                requires_customer=needs_customer,
                is_open_item=open_item,
            )
            if has_children:
                resolver.parents.add(pk)
        resolver.dimensions = {
            (kind, code): Dimension(id=pk, kind=kind, code=code, name=name, is_active=active)
            for pk, kind, code, name, active in dimension_rows
        }
        return resolver

    def preload(self, events: Iterable[PostingEvent]) -> None:
        wanted = {
            (x.dimension_kind, x.dimension_code)
            for e in events
            for x in e.lines
            if x.dimension_code
        }
        by_kind: dict[str, set[str]] = defaultdict(set)
        for kind, code in wanted:
            by_kind[kind].add(code)
        for kind, codes in by_kind.items():
            for dimension in Dimension.objects.filter(kind=kind, code__in=codes):
                self.dimensions[(kind, dimension.code)] = dimension

    def line(self, line: RoleLine) -> LineInput:
        account = self.roles.get(line.role)
        if account is None:
            raise AccountRoleNotMapped(role=AccountRole(line.role).label)
        dimension = None
        if line.dimension_code:
            key = (line.dimension_kind, line.dimension_code)
            if key not in self.dimensions:
                found = Dimension.objects.filter(kind=key[0], code=key[1]).first()
                if found is None:
                    raise DimensionNotFound(kind=DimensionKind(key[0]).label, code=key[1])
                self.dimensions[key] = found
            dimension = self.dimensions[key]
        return LineInput(account, line.debit, line.credit, dimension, line.summary, line.due_on)


def posting_post(*, event: PostingEvent, actor: User) -> Voucher:
    """Post one business event in account roles, inside the caller's transaction.

    Idempotent: the same source event posted twice returns the first voucher.
    """
    return posting_post_batch(events=[event], actor=actor)[0]


@transaction.atomic
def posting_post_batch(*, events: Sequence[PostingEvent], actor: User) -> list[Voucher]:
    """Post many events at once (the batch path): same rules, constant locks per batch."""
    keys = [e.key for e in events]
    if len(set(keys)) != len(keys):
        raise VoucherInvalid(fields={"events": [_("The batch names an event twice.")]})
    if events and _fast_path_available():
        try:
            return _events_post_fast(events, keys=keys, actor=actor)
        except _Fallback:
            pass
    try:
        with transaction.atomic():
            return _events_post(events, keys=keys, actor=actor)
    except IntegrityError:
        # Two transactions posting the same event both found no voucher for it; the unique
        # source event stopped the second. Once more: now it finds the first one's voucher.
        return _events_post(events, keys=keys, actor=actor)


def _events_post(
    events: Sequence[PostingEvent], *, keys: Sequence[str], actor: User
) -> list[Voucher]:
    existing = {v.source_event: v for v in Voucher.objects.filter(source_event__in=keys)}
    pending = [e for e in events if e.key not in existing]
    if pending:
        resolver = _Resolver(line.role for event in pending for line in event.lines)
        resolver.preload(pending)
        resolved = [(event, [resolver.line(line) for line in event.lines]) for event in pending]
        # Looked up once per batch, not once per event: parent accounts and periods.
        periods: dict[date, Period] = {}
        prepared = []
        for event, inputs in resolved:
            _lines_validate(inputs, red=event.red, parents=resolver.parents)
            month = event.date.replace(day=1)
            if month not in periods:
                periods[month] = period_for_posting(event.date)
            prepared.append((event, inputs, periods[month]))
        entries: list[tuple[Voucher, list[VoucherLine]]] = []
        for event, inputs, period in prepared:
            voucher = Voucher(
                period=period,
                word=event.word,
                date=event.date,
                summary=event.summary,
                maker=actor,
                source_type=event.source_type,
                source_id=event.source_id,
                source_event=event.key,
            )
            entries.append((voucher, _line_rows(voucher, inputs)))
        # Numbered and chained first, so vouchers are inserted once, already posted.
        _chain_assign(entries, actor=actor)
        vouchers = Voucher.objects.bulk_create([v for v, _l in entries])
        VoucherLine.objects.bulk_create([line for _v, lines in entries for line in lines])
        _post_effects(entries)
        for voucher in vouchers:
            existing[voucher.source_event or ""] = voucher
    return [existing[key] for key in keys]


# The PostgreSQL path of posting_post_batch: the same rules in three round trips. One batch of
# statements locks the months and takes the numbers and chain positions, then checks (under
# those locks, so no concurrent posting of the same event can slip in between) that no event
# is posted yet and reads roles and customers; one statement of data-modifying CTEs writes the
# vouchers, lines, open items and period totals. Rows travel as arrays, not model instances.

_FAST_READ_PERIODS = (
    "SELECT p.id, p.year, p.month, p.status, p.closed_at, p.closed_by_id,"
    " (SELECT c.first_period FROM ledger_company c ORDER BY c.id LIMIT 1)"
    " FROM ledger_period p WHERE (p.year, p.month) IN ({months})"
    " ORDER BY p.year, p.month FOR UPDATE OF p"
)
_FAST_TAKE = (
    "UPDATE core_documentsequence SET next_value = next_value + %s"
    " WHERE series = %s AND period = %s RETURNING next_value - %s{head}"
)
_FAST_CHAIN_HEAD = ", (SELECT v.hash FROM ledger_voucher v WHERE v.chain_seq = next_value - %s - 1)"
_FAST_GIVE_BACK = "UPDATE core_documentsequence SET next_value = next_value - %s WHERE series = %s AND period = %s"
_FAST_READ_EXISTING = "SELECT count(*) FROM ledger_voucher WHERE source_event = ANY(%s::text[])"
_FAST_READ_ROLES = (
    "SELECT m.role, a.id, a.code, a.name, a.is_active, a.requires_customer, a.is_open_item,"
    " EXISTS (SELECT 1 FROM ledger_account c WHERE c.parent_id = a.id)"
    " FROM ledger_accountrolemap m JOIN ledger_account a ON a.id = m.account_id"
    " WHERE m.role = ANY(%s::text[])"
)
_FAST_READ_DIMENSIONS = (
    "SELECT d.id, d.kind, d.code, d.name, d.is_active FROM ledger_dimension d"
    " JOIN unnest(%s::text[], %s::text[]) AS w(kind, code) ON d.kind = w.kind AND d.code = w.code"
)
_FAST_WRITE = """
WITH v AS (
    INSERT INTO ledger_voucher (period_id, word, number, date, summary, attachments, status,
        maker_id, poster_id, posted_at, source_type, source_id, source_event, chain_seq,
        prev_hash, hash, created_at)
    SELECT x.period_id, x.word, x.number, x.date, x.summary, 0, %s, %s, %s, %s, x.source_type,
        x.source_id, x.source_event, x.chain_seq, x.prev_hash, x.hash, %s
    FROM unnest(%s::bigint[], %s::text[], %s::int[], %s::date[], %s::text[], %s::text[],
        %s::text[], %s::text[], %s::bigint[], %s::text[], %s::text[])
        AS x(period_id, word, number, date, summary, source_type, source_id, source_event,
            chain_seq, prev_hash, hash)
    RETURNING id, chain_seq
), l AS (
    INSERT INTO ledger_voucherline (voucher_id, line_no, account_id, dimension_id, summary,
        debit_amount, credit_amount, due_on)
    SELECT v.id, x.line_no, x.account_id, x.dimension_id, x.summary, x.debit, x.credit, x.due_on
    FROM unnest(%s::bigint[], %s::int[], %s::bigint[], %s::bigint[], %s::text[], %s::bigint[],
        %s::bigint[], %s::date[])
        AS x(chain_seq, line_no, account_id, dimension_id, summary, debit, credit, due_on)
    JOIN v ON v.chain_seq = x.chain_seq
    RETURNING id, voucher_id, line_no
), o AS (
    INSERT INTO ledger_openitem (line_id, account_id, dimension_id, posted_on, due_on, amount,
        open_amount, source_type, source_id, voucher_number, summary)
    SELECT l.id, x.account_id, x.dimension_id, x.posted_on, x.due_on, x.amount, x.amount,
        x.source_type, x.source_id, x.voucher_number, x.summary
    FROM unnest(%s::bigint[], %s::int[], %s::bigint[], %s::bigint[], %s::date[], %s::date[],
        %s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])
        AS x(chain_seq, line_no, account_id, dimension_id, posted_on, due_on, amount,
            source_type, source_id, voucher_number, summary)
    JOIN v ON v.chain_seq = x.chain_seq
    JOIN l ON l.voucher_id = v.id AND l.line_no = x.line_no
    RETURNING 1
), t AS (
    INSERT INTO ledger_periodtotal AS t (period_id, account_id, dimension_id, debit_amount,
        credit_amount)
    SELECT x.period_id, x.account_id, x.dimension_id, x.debit, x.credit
    FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[])
        WITH ORDINALITY AS x(period_id, account_id, dimension_id, debit, credit, n)
    ORDER BY x.n
    ON CONFLICT (period_id, account_id, dimension_id) DO UPDATE
    SET debit_amount = t.debit_amount + EXCLUDED.debit_amount,
        credit_amount = t.credit_amount + EXCLUDED.credit_amount
    RETURNING 1
)
SELECT v.chain_seq, v.id FROM v
"""


class _Fallback(Exception):
    """The fast path met something only the general path handles (a posted event, a new month
    or numbering series); it gave back what it took and the general path takes over."""


def _fast_path_available() -> bool:
    """PostgreSQL with client-side binding (Django's default), which the read batch needs."""
    return connection.vendor == "postgresql" and not connection.settings_dict.get(
        "OPTIONS", {}
    ).get("server_side_binding")


def _fen(amount: Decimal) -> int:
    return int(amount.scaleb(2))


def _events_post_fast(
    events: Sequence[PostingEvent], *, keys: Sequence[str], actor: User
) -> list[Voucher]:
    """Post events that are all new, into months and series that exist: PostgreSQL only."""
    months = sorted({(e.date.year, e.date.month) for e in events})
    groups: dict[tuple[str, str], int] = defaultdict(int)
    for event in events:
        groups[(event.word, f"{event.date.year}{event.date.month:02d}")] += 1
    takes = [(f"voucher-{word}", period, count) for (word, period), count in sorted(groups.items())]
    wanted = sorted(
        {(x.dimension_kind, x.dimension_code) for e in events for x in e.lines if x.dimension_code}
    )
    roles = sorted({x.role for e in events for x in e.lines})
    statements = [_FAST_READ_PERIODS.format(months=", ".join(["(%s, %s)"] * len(months)))]
    params: list[Any] = [part for month in months for part in month]
    for series, month_key, count in takes:
        statements.append(_FAST_TAKE.format(head=""))
        params += [count, series, month_key, count]
    statements.append(_FAST_TAKE.format(head=_FAST_CHAIN_HEAD))
    params += [len(events), CHAIN_SERIES, "", len(events), len(events)]
    statements += [_FAST_READ_EXISTING, _FAST_READ_ROLES, _FAST_READ_DIMENSIONS]
    params += [list(keys), roles, [k for k, _c in wanted], [c for _k, c in wanted]]
    with connection.cursor() as cursor:
        # One round trip: Django's PostgreSQL cursors bind on the client, which allows several
        # statements per execute.
        cursor.execute("; ".join(statements), params)
        period_rows = cursor.fetchall()
        firsts: list[int | None] = []
        for _take in takes:
            cursor.nextset()
            taken_row = cursor.fetchone()
            firsts.append(taken_row[0] if taken_row else None)
        cursor.nextset()
        chain_row = cursor.fetchone()
        cursor.nextset()
        (posted_count,) = cursor.fetchone()
        cursor.nextset()
        role_rows = cursor.fetchall()
        cursor.nextset()
        dimension_rows = cursor.fetchall()
        taken = [(take, first) for take, first in zip(takes, firsts, strict=True) if first]
        if chain_row is not None:
            taken.append(((CHAIN_SERIES, "", len(events)), chain_row[0]))
        if posted_count or len(period_rows) != len(months) or len(taken) != len(takes) + 1:
            for (series, month_key, count), _first in taken:
                cursor.execute(_FAST_GIVE_BACK, [count, series, month_key])
            raise _Fallback()
    resolver = _Resolver.from_rows(role_rows, dimension_rows)
    periods = {
        (row[1], row[2]): Period(
            id=row[0],
            year=row[1],
            month=row[2],
            status=row[3],
            closed_at=row[4],
            closed_by_id=row[5],
        )
        for row in period_rows
    }
    first_period: date | None = period_rows[0][6]
    # The general path's order of refusals: every line resolved, then each event checked.
    resolved = [(event, [resolver.line(line) for line in event.lines]) for event in events]
    for event, inputs in resolved:
        _lines_validate(inputs, red=event.red, parents=resolver.parents)
        if first_period is None:
            raise LedgerNotSetUp()
        if event.date.replace(day=1) < first_period:
            raise PeriodBeforeStart(
                date=event.date.isoformat(), period=first_period.strftime("%Y%m")
            )
        period = periods[(event.date.year, event.date.month)]
        if period.status == PeriodStatus.CLOSED:
            raise PeriodClosed(period=period.key)

    # Every series answered (or the fast path fell back above), in the order of `takes`.
    next_number = {key: first or 0 for key, first in zip(sorted(groups), firsts, strict=True)}
    chain_seq: int = chain_row[0]
    prev_hash: str | None = GENESIS_HASH if chain_seq == 1 else chain_row[1]
    if prev_hash is None:
        # The statement's snapshot predates a head committed while it waited for the lock.
        prev_hash = (
            Voucher.objects.filter(chain_seq=chain_seq - 1).values_list("hash", flat=True).first()
            or GENESIS_HASH
        )
    now = timezone.now()
    vouchers: list[Voucher] = []
    v_cols: list[list[Any]] = [[] for _i in range(11)]
    l_cols: list[list[Any]] = [[] for _i in range(8)]
    o_cols: list[list[Any]] = [[] for _i in range(11)]
    sums: dict[tuple[int, int, int | None], list[int]] = defaultdict(lambda: [0, 0])
    for event, inputs in resolved:
        period = periods[(event.date.year, event.date.month)]
        period_key = period.key
        number_key = (event.word, period_key)
        number = next_number[number_key]
        next_number[number_key] = number + 1
        voucher_number = f"{event.word}-{period_key}-{number:04d}"
        chain_lines = []
        for line_no, line in enumerate(inputs, start=1):
            account = line.account
            dimension = line.dimension
            dimension_id = dimension.pk if dimension is not None else None
            summary = line.summary or event.summary
            debit, credit = _fen(line.debit), _fen(line.credit)
            chain_lines.append(
                ChainLine(
                    line_no=line_no,
                    account_code=account.code,
                    dimension_code=dimension.code if dimension is not None else "",
                    summary=summary,
                    debit=line.debit,
                    credit=line.credit,
                    due_on=line.due_on,
                )
            )
            for column, value in zip(
                l_cols,
                (chain_seq, line_no, account.pk, dimension_id, summary, debit, credit, line.due_on),
                strict=True,
            ):
                column.append(value)
            total = sums[(period.pk, account.pk, dimension_id)]
            total[0] += debit
            total[1] += credit
            if account.is_open_item:
                item = (
                    chain_seq,
                    line_no,
                    account.pk,
                    dimension_id,
                    event.date,
                    line.due_on or event.date,
                    debit - credit,
                    event.source_type,
                    event.source_id,
                    voucher_number,
                    summary,
                )
                for column, value in zip(o_cols, item, strict=True):
                    column.append(value)
        voucher_hash = calculations.chain_hash(
            prev_hash,
            ChainVoucher(
                chain_seq=chain_seq,
                period_key=period_key,
                word=event.word,
                number=number,
                date=event.date,
                summary=event.summary,
                source_event=event.key,
                reverses_chain_seq=None,
                lines=tuple(chain_lines),
            ),
        )
        row = (
            period.pk,
            event.word,
            number,
            event.date,
            event.summary,
            event.source_type,
            event.source_id,
            event.key,
            chain_seq,
            prev_hash,
            voucher_hash,
        )
        for column, cell in zip(v_cols, row, strict=True):
            column.append(cell)
        vouchers.append(
            Voucher(
                period=period,
                word=event.word,
                number=number,
                date=event.date,
                summary=event.summary,
                status=VoucherStatus.POSTED,
                maker=actor,
                poster=actor,
                posted_at=now,
                source_type=event.source_type,
                source_id=event.source_id,
                source_event=event.key,
                chain_seq=chain_seq,
                prev_hash=prev_hash,
                hash=voucher_hash,
                created_at=now,
            )
        )
        prev_hash = voucher_hash
        chain_seq += 1
    # Period totals in key order, so concurrent postings lock shared rows in the same order.
    keys_sorted = sorted(sums, key=lambda k: (k[0], k[1], k[2] or 0))
    t_cols = [
        [k[0] for k in keys_sorted],
        [k[1] for k in keys_sorted],
        [k[2] for k in keys_sorted],
        [sums[k][0] for k in keys_sorted],
        [sums[k][1] for k in keys_sorted],
    ]
    with connection.cursor() as cursor:
        write_params: list[Any] = [
            VoucherStatus.POSTED.value,
            actor.pk,
            actor.pk,
            now,
            now,
            *v_cols,
            *l_cols,
            *o_cols,
            *t_cols,
        ]
        cursor.execute(_FAST_WRITE, write_params)
        ids = dict(cursor.fetchall())
    alias = connection.alias
    for voucher in vouchers:
        voucher.pk = ids[voucher.chain_seq]
        voucher._state.adding = False
        voucher._state.db = alias
    return vouchers


# ---------------------------------------------------------------------------- open items


@transaction.atomic
def open_item_match(
    *,
    actor: User,
    debit_item: OpenItem,
    credit_item: OpenItem,
    amount: Decimal,
    on: date | None = None,
) -> OpenItemMatch:
    """Settle `amount` of a positive item against a negative one of the same account and customer.

    Both items are locked (in id order, so two matches never deadlock); a match never exceeds
    either item's open amount, also when requests race.
    """
    permission_require(actor, "ledger.match_open_items")
    locked = {
        item.pk: item
        for item in OpenItem.objects.select_for_update()
        .filter(pk__in=[debit_item.pk, credit_item.pk])
        .order_by("pk")
    }
    debit_item, credit_item = locked[debit_item.pk], locked[credit_item.pk]
    if debit_item.pk == credit_item.pk:
        raise OpenItemMatchInvalid(reason=_("an item cannot settle itself"))
    if (debit_item.account_id, debit_item.dimension_id) != (
        credit_item.account_id,
        credit_item.dimension_id,
    ):
        raise OpenItemMatchInvalid(reason=_("the items belong to different accounts or customers"))
    if debit_item.amount <= 0 or credit_item.amount >= 0:
        raise OpenItemMatchInvalid(reason=_("a debit item settles against a credit item"))
    if amount <= 0:
        raise OpenItemMatchInvalid(reason=_("the amount must be positive"))
    on = on or timezone.localdate()
    # A match dated before the items exist, or before their last match or undo, would change
    # open amounts as of dates already reported on: history only moves forward.
    history = OpenItemMatch.objects.filter(
        Q(debit_item__in=[debit_item, credit_item]) | Q(credit_item__in=[debit_item, credit_item])
    ).aggregate(matched=Max("matched_on"), undone=Max("undone_on"))
    earliest = max(
        d
        for d in (
            debit_item.posted_on,
            credit_item.posted_on,
            history["matched"],
            history["undone"],
        )
        if d
    )
    if on < earliest:
        raise OpenItemMatchInvalid(
            reason=_("the match date must be on or after %(date)s") % {"date": earliest.isoformat()}
        )
    largest = min(debit_item.open_amount, -credit_item.open_amount)
    if amount > largest:
        raise OpenItemMatchExceeds(amount=f"{amount:,.2f}", open=f"{largest:,.2f}")
    return _match_write(debit_item, credit_item, amount=amount, on=on, actor=actor)


@transaction.atomic
def open_item_unmatch(
    *, actor: User, match: OpenItemMatch, on: date | None = None
) -> OpenItemMatch:
    """Undo a match; the row stays, dated, so history as of earlier dates is unchanged."""
    permission_require(actor, "ledger.match_open_items")
    match = OpenItemMatch.objects.select_for_update().get(pk=match.pk)
    if match.undone_on is not None:
        raise OpenItemMatchInvalid(reason=_("this match was undone already"))
    on = on or timezone.localdate()
    if on < match.matched_on:
        raise OpenItemMatchInvalid(
            reason=_("a match cannot be undone before %(date)s")
            % {"date": match.matched_on.isoformat()}
        )
    match.undone_on = on
    match.undone_by = actor
    match.save(update_fields=["undone_on", "undone_by"])
    items = {
        item.pk: item
        for item in OpenItem.objects.select_for_update()
        .filter(pk__in=[match.debit_item_id, match.credit_item_id])
        .order_by("pk")
    }
    _open_amounts_move(
        [(items[match.debit_item_id], match.amount), (items[match.credit_item_id], -match.amount)]
    )
    return match
