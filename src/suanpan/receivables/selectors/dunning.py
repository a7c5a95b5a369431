"""Reads of dunning (催款): who a run would write to at which level with which items, the
letters, promises to pay, collection tasks and a customer's dunning log.

The items come from the ledger's open items on the receivable account (one query); an item is
dunned once per level, so the letters' items say which levels each item has had.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404

from suanpan.core.fields import MoneyField
from suanpan.core.history import history_entries
from suanpan.core.listing import list_filtered
from suanpan.core.sums import FEN, fen_sum
from suanpan.customers.selectors import customer_scoped, customers_for_letters
from suanpan.ledger.selectors import OpenItemRow, account_for_role, open_items
from suanpan.ledger.types import Role
from suanpan.receivables.calculations.dunning import (
    LevelRule,
    days_overdue,
    interest,
    level_reached,
)
from suanpan.receivables.choices import (
    DunningLanguage,
    LetterStatus,
    PromiseStatus,
    ReceiptStatus,
    SkipReason,
)
from suanpan.receivables.filters.dunning import LetterFilter, PromiseFilter
from suanpan.receivables.models import (
    CollectionTask,
    DunningLetter,
    DunningLetterItem,
    DunningLevel,
    DunningProfile,
    DunningRun,
    PaymentPromise,
    Receipt,
)
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

ZERO = Decimal(0)
# Letters that reached the customer (or acted without an e-mail): their items count as dunned.
DUNNED = (LetterStatus.SENT, LetterStatus.RECORDED)


@dataclass(frozen=True)
class DueItem:
    """An open item in a customer's letter, at the level it has reached."""

    item_id: int
    label: str
    due_on: date
    open_amount: Decimal
    days_overdue: int
    level: DunningLevel
    interest_amount: Decimal
    # Not yet dunned at this level: what makes the letter go out.
    is_new: bool


@dataclass
class CustomerDunning:
    """One customer's letter in a run: its items, the letter's level (the highest any item
    reached), where it goes, and why it is skipped, if it is."""

    customer: Customer
    email: str
    language: str
    items: list[DueItem] = field(default_factory=list)
    skip_reason: str = ""

    @property
    def level(self) -> DunningLevel:
        return max((item.level for item in self.items), key=lambda level: level.days)

    @property
    def new_levels(self) -> list[DunningLevel]:
        levels = {item.level.pk: item.level for item in self.items if item.is_new}
        return sorted(levels.values(), key=lambda level: level.days)

    @property
    def is_due(self) -> bool:
        return any(item.is_new for item in self.items)

    @property
    def total_amount(self) -> Decimal:
        return sum((item.open_amount for item in self.items), ZERO)

    @property
    def interest_amount(self) -> Decimal:
        return sum((item.interest_amount for item in self.items), ZERO)

    def acts(self, flag: str) -> bool:
        """Whether a level reached anew asks for this action (sends_email, creates_task,
        holds_credit, attaches_statement)."""
        return any(getattr(level, flag) for level in self.new_levels)


def dunning_levels(*, active_only: bool = True) -> list[DunningLevel]:
    levels = DunningLevel.objects.all()
    if active_only:
        levels = levels.filter(is_active=True)
    return list(levels.order_by("days", "position"))


def dunning_level_get(*, pk: int | str) -> DunningLevel:
    try:
        return DunningLevel.objects.get(pk=pk)
    except (DunningLevel.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def dunning_level_history(*, level: DunningLevel, limit: int = 50) -> list[dict[str, Any]]:
    """Who changed the level's days, actions or letters, and when."""
    records = level.history.select_related("history_user").order_by("-history_id")
    return history_entries(list(records[: limit + 1]), limit=limit)


def _candidates(on: date, first_days: int) -> list[OpenItemRow]:
    account = account_for_role(Role.RECEIVABLE)
    if account is None:
        return []
    return list(
        open_items(account=account).filter(
            open_amount__gt=0, due_on__lte=on - timedelta(days=first_days)
        )
    )


def _open_credits(codes: set[str]) -> dict[str, Decimal]:
    """What each customer has paid and not yet had settled (receipts, advances, red
    invoices), positive: on the receivable account and the advance account."""
    credits: dict[str, Decimal] = defaultdict(Decimal)
    for role in (Role.RECEIVABLE, Role.CUSTOMER_ADVANCE):
        account = account_for_role(role)
        if account is None:
            continue
        for row in open_items(account=account).filter(dimension__code__in=codes, open_amount__lt=0):
            credits[row.dimension_code] -= row.open_amount
    return credits


def dunning_preview(*, on: date, user: User | None = None) -> list[CustomerDunning]:
    """Who a dunning run on `on` writes to (letters due first, then by customer number): each
    customer with every open item that has reached a level, at that level, with interest, and
    the reason it is skipped (excluded, promised to pay until on or after `on`, unsettled
    receipts covering it, no e-mail).
    Only the customers the user sees, when a user asks. A handful of queries."""
    levels = dunning_levels()
    if not levels:
        return []
    rules = [
        LevelRule(key=level.pk, days=level.days, interest_rate=level.interest_rate)
        for level in levels
    ]
    by_key = {level.pk: level for level in levels}
    rows = _candidates(on, levels[0].days)
    if not rows:
        return []
    customers = customers_for_letters(numbers={row.dimension_code for row in rows}, user=user)
    ids = [customer.pk for customer, _email in customers.values()]
    dunned = set(
        DunningLetterItem.objects.filter(
            item_id__in=[row.pk for row in rows], letter__status__in=DUNNED
        ).values_list("item_id", "level_id")
    )
    profiles = {p.customer_id: p for p in DunningProfile.objects.filter(customer_id__in=ids)}
    promised = set(
        PaymentPromise.objects.filter(
            customer_id__in=ids, status=PromiseStatus.OPEN, promised_on__gte=on
        ).values_list("customer_id", flat=True)
    )
    found: dict[str, CustomerDunning] = {}
    for row in rows:
        if row.dimension_code not in customers:
            continue
        days = days_overdue(due_on=row.due_on, on=on)
        rule = level_reached(days, rules)
        if rule is None:
            continue
        letter = found.get(row.dimension_code)
        if letter is None:
            customer, email = customers[row.dimension_code]
            profile = profiles.get(customer.pk)
            letter = found[row.dimension_code] = CustomerDunning(
                customer=customer,
                email=(profile.email if profile and profile.email else email),
                language=profile.language if profile else DunningLanguage.ZH,
            )
        letter.items.append(
            DueItem(
                item_id=row.pk,
                label=(row.summary or row.voucher_number)[:200],
                due_on=row.due_on,
                open_amount=row.open_amount,
                days_overdue=days,
                level=by_key[rule.key],
                interest_amount=interest(
                    amount=row.open_amount, rate=rule.interest_rate, days=days
                ),
                is_new=(row.pk, rule.key) not in dunned,
            )
        )
    credits = _open_credits(set(found))
    for code, letter in found.items():
        profile = profiles.get(letter.customer.pk)
        if profile is not None and profile.is_excluded:
            letter.skip_reason = SkipReason.EXCLUDED
        elif letter.customer.pk in promised:
            letter.skip_reason = SkipReason.PROMISE
        elif credits.get(code, ZERO) >= letter.total_amount:
            letter.skip_reason = SkipReason.CREDITS
        elif not letter.email and letter.acts("sends_email"):
            letter.skip_reason = SkipReason.NO_EMAIL
    return sorted(found.values(), key=lambda d: (not d.is_due, d.customer.number))


def dunning_run_list() -> QuerySet[DunningRun]:
    return DunningRun.objects.select_related("started_by").order_by("-run_on")


def dunning_run_for(*, on: date) -> DunningRun | None:
    return DunningRun.objects.filter(run_on=on).first()


def letter_visible(*, user: User) -> QuerySet[DunningLetter]:
    return customer_scoped(
        DunningLetter.objects.all(), user=user, perm="receivables.view_dunningletter"
    )


def letter_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[DunningLetter], LetterFilter]:
    base = letter_visible(user=user).select_related("customer", "level", "run")
    filterset = LetterFilter(data=filters or {}, queryset=base)
    rows = list_filtered(filterset, base=base, default_ordering=("-run__run_on", "-id"))
    return rows, filterset


def letter_get(*, user: User, pk: int | str) -> DunningLetter:
    try:
        return (
            letter_visible(user=user)
            .select_related("customer", "level", "run", "run__started_by")
            .prefetch_related("items__level")
            .get(pk=pk)
        )
    except (DunningLetter.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def promise_visible(*, user: User) -> QuerySet[PaymentPromise]:
    return customer_scoped(
        PaymentPromise.objects.all(), user=user, perm="receivables.view_paymentpromise"
    )


def promises_with_received(promises: QuerySet[PaymentPromise]) -> QuerySet[PaymentPromise]:
    """Each promise with `received`: what the customer paid (receipts not cancelled) from
    the day the promise was made to the day promised — what keeps it."""
    paid = (
        Receipt.objects.filter(
            customer_id=OuterRef("customer_id"),
            status=ReceiptStatus.POSTED,
            received_on__gte=OuterRef("made_on"),
            received_on__lte=OuterRef("promised_on"),
        )
        .order_by()
        .values("customer_id")
        .annotate(total=fen_sum("amount"))
        .values("total")
    )
    return promises.annotate(made_on=TruncDate("created_at")).annotate(
        received=Coalesce(Subquery(paid, output_field=FEN), 0, output_field=MoneyField())
    )


def promise_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[PaymentPromise], PromiseFilter]:
    base = promises_with_received(
        promise_visible(user=user).select_related("customer", "created_by")
    )
    filterset = PromiseFilter(data=filters or {}, queryset=base)
    rows = list_filtered(filterset, base=base, default_ordering=("promised_on", "id"))
    return rows, filterset


def promise_get(*, user: User, pk: int | str) -> PaymentPromise:
    try:
        return promises_with_received(promise_visible(user=user).select_related("customer")).get(
            pk=pk
        )
    except (PaymentPromise.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def promises_due(*, user: User, today: date) -> QuerySet[PaymentPromise]:
    """Open promises to pay whose date has come: the work of the day."""
    return (
        promise_visible(user=user)
        .filter(status=PromiseStatus.OPEN, promised_on__lte=today)
        .select_related("customer")
        .order_by("promised_on", "id")
    )


def task_visible(*, user: User) -> QuerySet[CollectionTask]:
    return customer_scoped(
        CollectionTask.objects.all(), user=user, perm="receivables.view_collectiontask"
    )


def task_list(*, user: User, mine: bool = True, open_only: bool = True) -> QuerySet[CollectionTask]:
    """Collection tasks, the user's own to start with, open ones first by due date."""
    tasks = task_visible(user=user).select_related("customer", "owner", "letter")
    if mine:
        tasks = tasks.filter(owner=user)
    if open_only:
        tasks = tasks.filter(done_at__isnull=True)
    return tasks.order_by("done_at", "due_on", "id")


def task_get(*, user: User, pk: int | str) -> CollectionTask:
    try:
        return task_visible(user=user).select_related("customer").get(Q(pk=pk))
    except (CollectionTask.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def customer_dunning(*, user: User, customer: Customer, limit: int = 10) -> dict[str, Any]:
    """The customer's dunning log for its receivables tab: latest letters (with the actions
    they took), promises to pay, open collection tasks and its dunning settings."""
    letters = list(
        letter_visible(user=user)
        .filter(customer=customer)
        .select_related("level", "run")
        .order_by("-run__run_on", "-id")[:limit]
    )
    promises = list(
        promise_visible(user=user).filter(customer=customer).order_by("-promised_on", "-id")[:limit]
    )
    tasks = list(task_visible(user=user).filter(customer=customer, done_at__isnull=True))
    return {
        "letters": letters,
        "promises": promises,
        "tasks": tasks,
        "profile": DunningProfile.objects.filter(customer=customer).first(),
    }


def skip_counts(letters: list[CustomerDunning]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for letter in letters:
        if letter.is_due:
            counts[letter.skip_reason or "write"] += 1
    return dict(counts)


def customer_language(*, customer: Customer) -> str:
    """The language the customer is written to in (its dunning settings'; Chinese when it has
    none): letters, statements and their PDFs alike."""
    profile = DunningProfile.objects.filter(customer=customer).only("language").first()
    return profile.language if profile is not None else DunningLanguage.ZH
