"""Open items: their open amounts, the list, one item's history, the consistency check."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, models
from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from suanpan.core.bulk import ids_in
from suanpan.core.sums import FEN, fen_sum, yuan
from suanpan.ledger.calculations import ZERO
from suanpan.ledger.models import (
    Account,
    Dimension,
    OpenItem,
    OpenItemMatch,
    VoucherLine,
)
from suanpan.ledger.selectors._query import _as_rows, _fen, _raw, _subtree_ids


def open_amounts(items: Sequence[OpenItem], *, as_of: date | None = None) -> dict[int, Decimal]:
    """Open amount of each item (signed like the item): one query for all of them."""
    live = Q(undone_on__isnull=True)
    if as_of is not None:
        live = Q(matched_on__lte=as_of) & (Q(undone_on__isnull=True) | Q(undone_on__gt=as_of))
    ids = [item.pk for item in items]
    matched: dict[int, Decimal] = dict.fromkeys(ids, ZERO)
    rows = (
        OpenItemMatch.objects.filter(live)
        .filter(Q(debit_item_id__in=ids) | Q(credit_item_id__in=ids))
        .values_list("debit_item_id", "credit_item_id", "amount")
    )
    for debit_id, credit_id, amount in rows:
        if debit_id in matched:
            matched[debit_id] += amount
        if credit_id in matched:
            matched[credit_id] += amount
    return {
        item.pk: item.amount - matched[item.pk]
        if item.amount > 0
        else item.amount + matched[item.pk]
        for item in items
    }


class OpenItemProblem(NamedTuple):
    """Where an account's open items disagree, per customer.

    `items` and `balance`: the open-item total and the account's balance as of the date;
    `wrong_open_items`: how many items keep an open amount other than their matches give.
    """

    account_id: int
    dimension_id: int | None
    items: Decimal
    balance: Decimal
    wrong_open_items: int = 0


def open_items_check(*, as_of: date) -> list[OpenItemProblem]:
    """Where open items differ from their account as of a date, or keep a wrong open amount.

    Open items sum to the account's balance per customer at any date (matches move amounts
    between items, never out of them): one query each side. A third recomputes every item's
    open amount from the matches not undone and compares it with the kept one.
    """
    accounts = list(Account.objects.filter(is_open_item=True).values_list("pk", flat=True))
    if not accounts:
        return []
    items: dict[tuple[int, int | None], Decimal] = {
        (row["account_id"], row["dimension_id"]): yuan(row["total"])
        for row in OpenItem.objects.filter(account_id__in=accounts, posted_on__lte=as_of)
        .values("account_id", "dimension_id")
        .annotate(total=fen_sum("amount"))
    }
    lines: dict[tuple[int, int | None], Decimal] = {
        (row["account_id"], row["dimension_id"]): yuan(row["total"])
        for row in VoucherLine.objects.filter(
            account_id__in=accounts, voucher__status="posted", voucher__date__lte=as_of
        )
        .values("account_id", "dimension_id")
        .annotate(total=fen_sum(F("debit_amount") - F("credit_amount")))
    }
    kept = _open_amounts_differ(accounts, as_of=as_of)
    keys = {k for k in set(items) | set(lines) if items.get(k, ZERO) != lines.get(k, ZERO)}
    return [
        OpenItemProblem(
            key[0],
            key[1],
            items.get(key, ZERO),
            lines.get(key, ZERO),
            kept.get(key, 0),
        )
        for key in sorted(keys | set(kept), key=lambda k: (k[0], k[1] or 0))
    ]


def _open_amounts_differ(
    accounts: Sequence[int], *, as_of: date
) -> dict[tuple[int, int | None], int]:
    """How many items per account and customer keep an open amount other than their amount
    less their live matches: one query, matches summed once."""
    item = OpenItem._meta.db_table
    match = OpenItemMatch._meta.db_table
    marks = ", ".join(["%s"] * len(accounts))
    # Identifiers come from the models; every value is a parameter. A match counts for its
    # debit item and against its credit item, so `amount - matched` is the open amount of both.
    sql = (
        "SELECT i.account_id, i.dimension_id, COUNT(*)"  # noqa: S608
        f" FROM {item} i LEFT JOIN ("
        "  SELECT u.item_id, SUM(u.fen) AS fen FROM ("
        f"   SELECT debit_item_id AS item_id, amount AS fen FROM {match} WHERE undone_on IS NULL"
        "    UNION ALL"
        f"   SELECT credit_item_id, -amount FROM {match} WHERE undone_on IS NULL"
        "  ) u GROUP BY u.item_id"
        " ) m ON m.item_id = i.id"
        f" WHERE i.account_id IN ({marks}) AND i.posted_on <= %s"
        " AND i.open_amount <> i.amount - COALESCE(m.fen, 0)"
        " GROUP BY i.account_id, i.dimension_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*accounts, as_of])
        return {(account_id, dimension_id): count for account_id, dimension_id, count in cursor}


def _since_fen(as_of: date) -> Case:
    """What a match changed after `as_of`, signed for its debit item (the credit item: minus).

    Made after the date and still live: the item was that much more open then. Made by the
    date and undone after it: that much less open then.
    """
    return Case(
        When(matched_on__gt=as_of, undone_on__isnull=True, then=F("amount")),
        When(matched_on__gt=as_of, then=Value(0)),
        default=-F("amount"),
        output_field=FEN,
    )


def _changed_after(as_of: date) -> Q:
    return Q(matched_on__gt=as_of) | Q(undone_on__gt=as_of)


def _since_subquery(side: str, as_of: date) -> Coalesce:
    changed = (
        OpenItemMatch.objects.filter(_changed_after(as_of), **{side: OuterRef("pk")})
        .order_by()
        .values(side)
        .annotate(total=Sum(_since_fen(as_of), output_field=FEN))
        .values("total")
    )
    # SUM of BIGINT is NUMERIC on PostgreSQL; back to an integer so open amounts stay integers.
    return Coalesce(Cast(Subquery(changed), FEN), Value(0, output_field=FEN))


def _open_fen(as_of: date | None) -> models.Expression:
    """An item's open amount in fen, signed like the item, now or as of a date.

    Now it is the stored column; as of a date, the stored column corrected by the matches made
    or undone since, which are few: history is never rescanned. A positive item is only ever
    the debit side of a match and a negative one the credit side.
    """
    if as_of is None:
        return _fen("open_amount")
    return Case(
        When(amount__gt=0, then=F("open_amount") + _since_subquery("debit_item", as_of)),
        default=F("open_amount") - _since_subquery("credit_item", as_of),
        output_field=FEN,
    )


class OpenItemRow(NamedTuple):
    """An open item as lists show it; amounts in fen until a cell asks for yuan."""

    pk: int
    dimension_code: str
    dimension_name: str
    account_code: str
    voucher_number: str
    posted_on: date
    due_on: date
    summary: str
    amount_fen: int
    open_fen: int
    source_type: str
    source_id: str

    @property
    def amount(self) -> Decimal:
        return yuan(self.amount_fen)

    @property
    def open_amount(self) -> Decimal:
        return yuan(self.open_fen)


def open_items(
    *,
    account: Account,
    dimension: Dimension | None = None,
    as_of: date | None = None,
    only_open: bool = True,
    dimension_ids: Sequence[int] | None = None,
    open_amounts: Sequence[Decimal] | None = None,
    source: tuple[str, Sequence[str]] | None = None,
) -> QuerySet[OpenItem, OpenItemRow]:
    """Items of an account (subtree) with their open amount now or as of a date: one query.
    `dimension` narrows them to one customer, `dimension_ids` to a batch of customers,
    `open_amounts` to the items open now for one of those amounts (a bank line's amount looked
    for among the invoices), `source` (type, ids) to the items of some documents.

    Ordered by customer, due date, posting date; one customer's items come in the order of
    the (dimension, due_on, posted_on, id) index.
    """
    items = OpenItem.objects.filter(account_id__in=_subtree_ids(account))
    if dimension is not None:
        items = items.filter(dimension=dimension)
    if dimension_ids is not None:
        items = items.filter(dimension_id__in=ids_in(dimension_ids))
    if open_amounts is not None:
        items = items.filter(open_amount__in=list(open_amounts))
    if source is not None:
        items = items.filter(source_type=source[0], source_id__in=list(source[1]))
    if as_of is not None:
        items = items.filter(posted_on__lte=as_of)
    items = items.annotate(
        dimension_code=F("dimension__code"),
        dimension_name=F("dimension__name"),
        account_code=F("account__code"),
        amount_fen=_fen("amount"),
        open_fen=_raw(_open_fen(as_of)),
    )
    if only_open:
        # Now: the partial index of open items; as of a date, whatever was open then.
        items = items.exclude(open_amount=0) if as_of is None else items.exclude(open_fen=0)
    order = ["due_on", "posted_on", "pk"]
    if dimension is None:
        order.insert(0, "dimension__code")
    return _as_rows(items.order_by(*order), OpenItemRow)


def open_item_dimensions(*, account: Account, debit: bool) -> dict[str, int]:
    """The customers (dimension code → id) with an open item of one side on an account
    (subtree): debits (amounts owed) or credits. One query on the partial index of open
    items; what a batch over every customer with something to settle starts from."""
    items = OpenItem.objects.filter(account_id__in=_subtree_ids(account)).exclude(open_amount=0)
    items = items.filter(amount__gt=0) if debit else items.filter(amount__lt=0)
    return dict(items.values_list("dimension__code", "dimension_id").distinct())


def open_item_dimensions_settleable(
    *, account: Account, credit_accounts: Sequence[Account] = ()
) -> dict[str, int]:
    """The customers (dimension code → id) with both an open debit on `account` (subtree)
    and an open credit on it or on `credit_accounts` (their subtrees): what automatic
    matching over every customer starts from. One grouped query on the partial index of
    open items."""
    owed = Q(amount__gt=0, account_id__in=_subtree_ids(account))
    rows = (
        OpenItem.objects.filter(account_id__in=_subtree_ids([account, *credit_accounts]))
        .exclude(open_amount=0)
        .values("dimension_id", "dimension__code")
        .annotate(owed=Count("pk", filter=owed), paid=Count("pk", filter=Q(amount__lt=0)))
        .filter(owed__gt=0, paid__gt=0)
        .values_list("dimension__code", "dimension_id")
    )
    return dict(rows)


def open_item_get(*, pk: int) -> OpenItem | None:
    return (
        OpenItem.objects.filter(pk=pk)
        .select_related("dimension", "account", "line__voucher__period")
        .first()
    )


class ItemHistoryRow(NamedTuple):
    """A match of the item with the other side's voucher, in fen until shown."""

    match_id: int
    matched_on: date
    amount_fen: int
    undone_on: date | None
    created_by: str
    other_pk: int
    voucher_number: str
    summary: str

    @property
    def amount(self) -> Decimal:
        return yuan(self.amount_fen)


@dataclass(frozen=True)
class ItemHistory:
    item: OpenItem
    open_amount: Decimal
    rows: list[ItemHistoryRow]


def item_history(*, item: OpenItem) -> ItemHistory:
    """An item, its open amount now and every match (undone ones too) with the other side.

    A positive item is the debit side of its matches and a negative one the credit side, so
    one index gives its matches in date order: two queries whatever their number.
    """
    item = open_item_get(pk=item.pk) or item
    side, other = (
        ("debit_item", "credit_item") if item.amount > 0 else ("credit_item", "debit_item")
    )
    matches = OpenItemMatch.objects.filter(**{side: item}).annotate(
        match_id=F("pk"),
        amount_fen=_fen("amount"),
        created_by_name=Coalesce(
            NullIf(F("created_by__display_name"), Value("")), F("created_by__username")
        ),
        other_pk=F(f"{other}_id"),
        voucher_number=F(f"{other}__voucher_number"),
        other_summary=F(f"{other}__summary"),
    )
    rows = [
        ItemHistoryRow(*values)
        for values in matches.order_by("matched_on", "pk").values_list(
            "match_id",
            "matched_on",
            "amount_fen",
            "undone_on",
            "created_by_name",
            "other_pk",
            "voucher_number",
            "other_summary",
        )
    ]
    return ItemHistory(item=item, open_amount=item.open_amount, rows=rows)


def open_items_for_source(*, source_type: str, source_ids: Sequence[int | str]) -> list[OpenItem]:
    """The open items a document's postings made (any account), in due-date order: what a
    later document of the same source settles against (a red invoice against its blue one)."""
    return list(
        OpenItem.objects.filter(source_type=source_type, source_id__in=[str(i) for i in source_ids])
        .select_related("account", "dimension")
        .order_by("due_on", "posted_on", "pk")
    )


def open_items_get(*, pks: Sequence[int]) -> dict[int, OpenItem]:
    """Items by id with their account (and its parent), for a service that settles them: the
    ledger's match service locks and re-reads them itself."""
    return {
        item.pk: item
        for item in OpenItem.objects.filter(pk__in=list(pks)).select_related("account", "dimension")
    }
