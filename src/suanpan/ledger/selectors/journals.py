"""Journals: the account summary (科目汇总表) of a range of vouchers, the chronological journal
(序时账) of every voucher line, and the vouchers of a print run with their lines.

Each reads a constant number of queries whatever the range: the summary two grouped sums and
the chart, the journal a count, a page and a total, a print run the vouchers, their lines and the
chart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from suanpan.core.filtering import filterset_qs
from suanpan.core.sums import fen_sum, yuan
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.choices import VoucherStatus
from suanpan.ledger.errors import VoucherNotFound, VoucherSelectionTooLarge
from suanpan.ledger.filters.journals import JournalFilter
from suanpan.ledger.models import Account, Period, Voucher, VoucherLine
from suanpan.ledger.selectors._query import _as_rows, _fen, _period_q, _voucher_number

# A print run or a batch action takes at most this many vouchers: a month of a small
# company, and a PDF a printer takes in one go.
MAX_VOUCHERS = 500
# How a full account name joins its levels: 应交税费—应交增值税—销项税额.
NAME_JOIN = "—"


def account_full_names() -> dict[int, str]:
    """Every account's name with its parents' names before it (科目全名), by id: one query."""
    rows = {
        pk: (name, parent)
        for pk, name, parent in Account.objects.values_list("pk", "name", "parent_id")
    }
    names: dict[int, str] = {}

    def full(pk: int) -> str:
        if pk not in names:
            name, parent = rows[pk]
            names[pk] = f"{full(parent)}{NAME_JOIN}{name}" if parent in rows else name
        return names[pk]

    for pk in rows:
        full(pk)
    return names


def _range_q(
    prefix: str,
    *,
    date_from: date,
    date_to: date,
    word: str | None = None,
    number_from: int | None = None,
    number_to: int | None = None,
    posted_only: bool = True,
) -> Q:
    """Vouchers (`prefix` "") or their lines (`prefix` "voucher__") in a range of dates, of a
    word and numbers; the months are named too, so the (period, status) index narrows first."""
    q = Q(**{f"{prefix}date__gte": date_from, f"{prefix}date__lte": date_to}) & _period_q(
        f"{prefix}period__",
        start=Period(year=date_from.year, month=date_from.month),
        upto=Period(year=date_to.year, month=date_to.month),
    )
    if posted_only:
        q &= Q(**{f"{prefix}status": VoucherStatus.POSTED})
    if word:
        q &= Q(**{f"{prefix}word": word})
    if number_from is not None:
        q &= Q(**{f"{prefix}number__gte": number_from})
    if number_to is not None:
        q &= Q(**{f"{prefix}number__lte": number_to})
    return q


# ---------------------------------------------------------------------------- account summary


@dataclass(frozen=True)
class SummaryRow:
    """One account's debit and credit over the range; a parent's are its sub-accounts' sums."""

    account: Account
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class NumberRange:
    """The vouchers of one word in one month: how many, and their first and last numbers
    (None while none of them is posted)."""

    period: str
    word: str
    count: int
    first: int | None
    last: int | None

    @property
    def text(self) -> str:
        if self.first is None or self.last is None:
            return _("%(period)s %(word)s: %(count)s unnumbered") % {
                "period": self.period,
                "word": self.word,
                "count": self.count,
            }
        return _("%(period)s %(word)s No. %(first)s to %(last)s") % {
            "period": self.period,
            "word": self.word,
            "first": self.first,
            "last": self.last,
        }


@dataclass(frozen=True)
class AccountSummary:
    """The account summary (科目汇总表): per account up to `level`, debit and credit of the
    vouchers in the range; the totals are the first-level accounts' sums, so they balance."""

    date_from: date
    date_to: date
    word: str | None
    number_from: int | None
    number_to: int | None
    posted_only: bool
    level: int
    rows: list[SummaryRow]
    debit: Decimal
    credit: Decimal
    vouchers: int
    unposted: int
    attachments: int
    ranges: list[NumberRange]


def account_summary(
    *,
    date_from: date,
    date_to: date,
    word: str | None = None,
    number_from: int | None = None,
    number_to: int | None = None,
    posted_only: bool = True,
    level: int = 1,
) -> AccountSummary:
    """Debit and credit per account (first-level ones and, with `level` above 1, their
    sub-accounts to that depth) of the vouchers dated in the range, of one word and a range of
    numbers if given; posted ones only unless `posted_only` is False. Three queries: the lines
    summed per account, the vouchers counted per month and word, and the chart."""
    where: dict[str, Any] = {
        "date_from": date_from,
        "date_to": date_to,
        "word": word,
        "number_from": number_from,
        "number_to": number_to,
        "posted_only": posted_only,
    }
    sums = (
        VoucherLine.objects.filter(_range_q("voucher__", **where))
        .values("account_id")
        .annotate(debit=fen_sum("debit_amount"), credit=fen_sum("credit_amount"))
        .order_by()
    )
    moved: dict[int, list[int]] = {r["account_id"]: [r["debit"], r["credit"]] for r in sums}
    groups = (
        Voucher.objects.filter(_range_q("", **where))
        .values("period__year", "period__month", "word")
        .annotate(
            count=Count("pk"),
            first=Min("number"),
            last=Max("number"),
            attachments=Sum("attachments"),
            unposted=Count("pk", filter=~Q(status=VoucherStatus.POSTED)),
        )
        .order_by("period__year", "period__month", "word")
    )
    ranges: list[NumberRange] = []
    vouchers = unposted = attachments = 0
    for group in groups:
        ranges.append(
            NumberRange(
                period=f"{group['period__year']}{group['period__month']:02d}",
                word=group["word"],
                count=group["count"],
                first=group["first"],
                last=group["last"],
            )
        )
        vouchers += group["count"]
        unposted += group["unposted"]
        attachments += group["attachments"] or 0
    chart = {a.pk: a for a in Account.objects.order_by("code")}
    totals: dict[int, list[int]] = {}
    for account_id, (debit, credit) in moved.items():
        pk: int | None = account_id
        while pk is not None and pk in chart:
            total = totals.setdefault(pk, [0, 0])
            total[0] += debit
            total[1] += credit
            pk = chart[pk].parent_id
    rows = [
        SummaryRow(account=account, debit=yuan(totals[pk][0]), credit=yuan(totals[pk][1]))
        for pk, account in chart.items()
        if pk in totals and account.level <= level
    ]
    first_level = [r for r in rows if r.account.parent_id is None]
    return AccountSummary(
        **where,
        level=level,
        rows=rows,
        debit=sum((r.debit for r in first_level), ZERO),
        credit=sum((r.credit for r in first_level), ZERO),
        vouchers=vouchers,
        unposted=unposted,
        attachments=attachments,
        ranges=ranges,
    )


# ---------------------------------------------------------------------------- journal


class JournalLine(NamedTuple):
    """A voucher line in the journal, amounts in fen until shown."""

    pk: int
    voucher_id: int
    date: date
    word: str
    year: int
    month: int
    number: int | None
    status: str
    line_no: int
    summary: str
    account_id: int
    account_code: str
    dimension_code: str | None
    dimension_name: str | None
    debit_fen: int
    credit_fen: int

    @property
    def voucher_number(self) -> str:
        if self.number is None:
            return _("Draft %(id)s") % {"id": self.voucher_id}
        return _voucher_number(self.word, self.year, self.month, self.number)

    @property
    def is_posted(self) -> bool:
        return self.status == VoucherStatus.POSTED

    @property
    def debit_amount(self) -> Decimal:
        return yuan(self.debit_fen)

    @property
    def credit_amount(self) -> Decimal:
        return yuan(self.credit_fen)


@dataclass(frozen=True)
class JournalTotals:
    """How many lines match the journal's filters and their sums, over every page."""

    count: int
    debit: Decimal
    credit: Decimal


JOURNAL_ORDER = (
    F("voucher__date").asc(),
    F("voucher__word").asc(),
    F("voucher__number").asc(nulls_last=True),
    F("voucher_id").asc(),
    F("line_no").asc(),
)


def journal_list(
    *, filters: Mapping[str, Any]
) -> tuple[QuerySet[VoucherLine, JournalLine], JournalFilter]:
    """Voucher lines in date and voucher order (序时账), filtered by the one FilterSet (posted
    vouchers unless the status asked is "all"), as `JournalLine` rows: still a queryset, so
    pages page it and exports stream it."""
    base = VoucherLine.objects.all()
    filterset = JournalFilter(filters, queryset=base)
    lines = filterset_qs(filterset, base=base).order_by(*JOURNAL_ORDER)
    rows = lines.annotate(
        date=F("voucher__date"),
        word=F("voucher__word"),
        year=F("voucher__period__year"),
        month=F("voucher__period__month"),
        number=F("voucher__number"),
        status=F("voucher__status"),
        account_code=F("account__code"),
        dimension_code=F("dimension__code"),
        dimension_name=F("dimension__name"),
        debit_fen=_fen("debit_amount"),
        credit_fen=_fen("credit_amount"),
    )
    return _as_rows(rows, JournalLine), filterset


def journal_totals(lines: QuerySet[VoucherLine, Any]) -> JournalTotals:
    """The count and sums of every line a journal query matches, in one query."""
    found = lines.order_by().aggregate(
        count=Count("pk"), debit=fen_sum("debit_amount"), credit=fen_sum("credit_amount")
    )
    return JournalTotals(
        count=found["count"], debit=yuan(found["debit"]), credit=yuan(found["credit"])
    )


# ---------------------------------------------------------------------------- printing


@dataclass(frozen=True)
class PrintLine:
    summary: str
    account_code: str
    account_name: str
    customer: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class PrintVoucher:
    """A voucher as it prints: its header, the people who made, reviewed and posted it, and its
    lines with each account's full name."""

    voucher: Voucher
    lines: list[PrintLine]

    @property
    def debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)


def _ids_unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(int(pk) for pk in ids))


def vouchers_by_ids(*, ids: Iterable[int]) -> list[Voucher]:
    """The vouchers with these ids in the order given, duplicates once; an id that names no
    voucher is refused (VoucherNotFound names them), more than MAX_VOUCHERS too."""
    wanted = _ids_unique(ids)
    if len(wanted) > MAX_VOUCHERS:
        raise VoucherSelectionTooLarge(limit=MAX_VOUCHERS)
    found = {
        v.pk: v
        for v in Voucher.objects.select_related("period", "maker", "reviewer", "poster").filter(
            pk__in=wanted
        )
    }
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise VoucherNotFound(ids=", ".join(str(pk) for pk in missing))
    return [found[pk] for pk in wanted]


def voucher_ids_matching(*, vouchers: QuerySet[Voucher]) -> list[int]:
    """The ids of a filtered voucher list in date and number order (how vouchers are filed
    and printed); more than MAX_VOUCHERS is refused."""
    ids = list(
        vouchers.order_by("date", "word", F("number").asc(nulls_last=True), "pk").values_list(
            "pk", flat=True
        )[: MAX_VOUCHERS + 1]
    )
    if len(ids) > MAX_VOUCHERS:
        raise VoucherSelectionTooLarge(limit=MAX_VOUCHERS)
    return ids


def vouchers_for_print(*, ids: Sequence[int]) -> list[PrintVoucher]:
    """The vouchers with these ids, in this order, with their lines and the accounts' full
    names: three queries however many."""
    vouchers = vouchers_by_ids(ids=ids)
    names = account_full_names()
    lines: dict[int, list[PrintLine]] = {v.pk: [] for v in vouchers}
    for line in (
        VoucherLine.objects.filter(voucher_id__in=list(lines))
        .select_related("account", "dimension")
        .order_by("voucher_id", "line_no")
    ):
        lines[line.voucher_id].append(
            PrintLine(
                summary=line.summary,
                account_code=line.account.code,
                account_name=names.get(line.account_id, line.account.name),
                customer=line.dimension.name if line.dimension else "",
                debit=Decimal(line.debit_amount),
                credit=Decimal(line.credit_amount),
            )
        )
    return [PrintVoucher(voucher=v, lines=lines[v.pk]) for v in vouchers]
