"""Every read of opportunities and the pipeline, scoped by who is asking.

A user sees an opportunity iff they see its customer (`customer_visible`): managers and
accounting see all, a salesperson the opportunities of their own and shared customers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404

from suanpan.core.dates import month_last_day, month_next
from suanpan.core.history import history_entries
from suanpan.core.money import CENT
from suanpan.customers.selectors import customer_scoped
from suanpan.sales.choices import StageOutcome
from suanpan.sales.filters.opportunities import OpportunityFilter
from suanpan.sales.models import Opportunity, OpportunityLine, OpportunityStage
from suanpan.sales.selectors.common import filtered_list
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

# A board column shows this many cards; its header still counts and sums all of them.
BOARD_CARDS_PER_COLUMN = 100


def weighted(amount: Decimal, probability: Decimal) -> Decimal:
    """amount × probability, rounded half up to the fen (四舍五入)."""
    return (amount * probability).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(probability: Decimal) -> Decimal:
    """A probability as a percentage to show: 0.5 → 50, 0.125 → 12.5."""
    value = (probability * 100).quantize(CENT)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def opportunity_visible(*, user: User) -> QuerySet[Opportunity]:
    """Opportunities the user may see: those of the customers they see."""
    return customer_scoped(Opportunity.objects.all(), user=user, perm="sales.view_opportunity")


def lines_prefetch() -> Prefetch[str]:
    """The product lines with their products, in line order: one query for a whole page."""
    return Prefetch(
        "lines",
        queryset=OpportunityLine.objects.select_related("product").order_by("position", "id"),
    )


def opportunity_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[Opportunity], OpportunityFilter]:
    """The filtered, sorted list a user sees; the FilterSet comes back for forms and errors."""
    return filtered_list(
        opportunity_visible(user=user)
        .select_related("customer", "stage", "owner")
        .prefetch_related(lines_prefetch()),
        filterset_class=OpportunityFilter,
        filters=filters,
        default_order=("expected_close_on", "id"),
        tie_breakers=None,
    )


def opportunity_get(*, user: User, pk: int | str) -> Opportunity:
    """One opportunity the user may see; any other id answers 404, never 403."""
    try:
        return (
            opportunity_visible(user=user)
            .select_related("customer", "stage", "owner")
            .prefetch_related(lines_prefetch())
            .get(pk=pk)
        )
    except (Opportunity.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def opportunity_lines(*, opportunity: Opportunity) -> list[OpportunityLine]:
    """The products the opportunity is about, in line order, with their products."""
    return list(opportunity.lines.all())  # prefetched by opportunity_get


def opportunity_title(*, opportunity: Opportunity) -> str:
    """The title as stored (a bound form may have written the posted one onto the instance)."""
    return Opportunity.objects.values_list("title", flat=True).get(pk=opportunity.pk)


def opportunity_for_quote(*, user: User, pk: str | int) -> Opportunity | None:
    """An opportunity a new quote may start from: one of a customer the user sees, else None."""
    return (
        customer_scoped(Opportunity.objects.all(), user=user)
        .filter(pk=pk)
        .select_related("customer")
        .first()
    )


def opportunity_customer_list(*, user: User, customer: Customer) -> QuerySet[Opportunity]:
    """The customer page's tab: newest expected close first."""
    return (
        opportunity_visible(user=user)
        .filter(customer=customer)
        .select_related("stage", "owner")
        .order_by("-expected_close_on", "-id")
    )


# The customer page's tab shows this many; the list page shows them all.
CUSTOMER_TAB_ROWS = 50


def customer_tab_context(user: User, customer: Customer, params: Any) -> dict[str, Any]:
    """The customer page's Opportunities tab: the newest rows, the count and the open amount."""
    queryset = opportunity_customer_list(user=user, customer=customer)
    summary = queryset.order_by().aggregate(
        count=Count("id"),
        open_amount=Sum("amount", filter=Q(stage__outcome=StageOutcome.OPEN)),
    )
    return {
        "opportunities": list(queryset[:CUSTOMER_TAB_ROWS]),
        "opportunities_count": summary["count"],
        "opportunities_open_amount": summary["open_amount"] or Decimal("0.00"),
    }


def opportunity_history(*, opportunity: Opportunity, limit: int = 100) -> list[dict[str, Any]]:
    """Who changed which field, when: newest first (stage, owner and customer by name)."""
    records = opportunity.history.select_related("history_user").order_by("-history_id")
    return history_entries(list(records[: limit + 1]), limit=limit)


# Stages -----------------------------------------------------------------------------------------


def stage_list(*, active_only: bool = False) -> QuerySet[OpportunityStage]:
    """Stages in pipeline order, each with how many opportunities it holds."""
    queryset = OpportunityStage.objects.annotate(opportunity_count=Count("opportunities"))
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("position", "id")


def stage_get(*, pk: int | str) -> OpportunityStage:
    try:
        return OpportunityStage.objects.get(pk=pk)
    except (OpportunityStage.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# Board ------------------------------------------------------------------------------------------


@dataclass
class BoardColumn:
    """One stage of the board: its cards (at most BOARD_CARDS_PER_COLUMN) and its totals."""

    stage: OpportunityStage
    count: int = 0
    amount: Decimal = Decimal("0.00")
    weighted_amount: Decimal = Decimal("0.00")
    cards: list[Opportunity] = field(default_factory=list)

    @property
    def probability_percent(self) -> Decimal:
        return percent(self.stage.probability)

    @property
    def hidden(self) -> int:
        return self.count - len(self.cards)


def opportunity_board(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[list[BoardColumn], OpportunityFilter]:
    """The board: a column per active stage in order.

    Queries: the stages, one aggregate for every column's count and amounts, and one query per
    column for its first cards — the number of stages, never the number of opportunities. A
    query per column (not one window over all rows) lets each use the (stage, expected close)
    index and stop after BOARD_CARDS_PER_COLUMN rows.
    """
    base = opportunity_visible(user=user)
    filterset = OpportunityFilter(data=filters or {}, queryset=base)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    stages = OpportunityStage.objects.filter(is_active=True).order_by("position", "id")
    columns = {stage.pk: BoardColumn(stage=stage) for stage in stages}
    queryset = queryset.filter(stage_id__in=list(columns)).order_by()
    for row in queryset.values("stage_id").annotate(count=Count("id"), amount=Sum("amount")):
        column = columns[row["stage_id"]]
        column.count = row["count"]
        column.amount = row["amount"] or Decimal("0.00")
        column.weighted_amount = weighted(column.amount, column.stage.probability)
    cards = queryset.select_related("customer", "owner")
    for column in columns.values():
        if not column.count:
            continue
        # Open stages: the earliest expected close first; won and lost stages, which grow over
        # the years: the latest first. Both orders read the (stage, expected close) index.
        if column.stage.outcome == StageOutcome.OPEN:
            order = ["expected_close_on", "id"]
        else:
            order = ["-expected_close_on", "-id"]
        column.cards = list(
            cards.filter(stage_id=column.stage.pk).order_by(*order)[:BOARD_CARDS_PER_COLUMN]
        )
    return list(columns.values()), filterset


# Weighted pipeline ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PipelineMonth:
    """Open opportunities expected to close in one month.

    month: its first day; amount: the sum of their amounts; weighted_amount: the sum over their
    stages of (amount of the stage's opportunities × stage probability), each rounded half up to
    the fen — so a report adding months or stages together gets the same total.
    """

    month: date
    count: int
    amount: Decimal
    weighted_amount: Decimal


def pipeline_by_month(
    *, user: User, start: date, months: int, owner: User | int | None = None
) -> list[PipelineMonth]:
    """The weighted pipeline: one row per month from `start`'s month on, `months` rows, empty
    months included, over the open opportunities the user sees by month of expected close.

    One query however many opportunities: the database groups by (month, stage) and sums the
    integer-stored amounts exactly; each group's sum is weighted here with Decimal.
    """
    if months < 1:
        return []
    firsts = [start.replace(day=1)]
    # The calendar ends in December 9999: a start near it has fewer months, never an overflow.
    while len(firsts) < months and (following := month_next(firsts[-1])) is not None:
        firsts.append(following)
    queryset = opportunity_visible(user=user).filter(
        stage__outcome=StageOutcome.OPEN,
        expected_close_on__gte=firsts[0],
        expected_close_on__lte=month_last_day(firsts[-1]),
    )
    if owner is not None:
        queryset = queryset.filter(owner_id=owner.pk if isinstance(owner, User) else owner)
    groups = (
        queryset.annotate(month=TruncMonth("expected_close_on"))
        .order_by()
        .values("month", "stage_id", "stage__probability")
        .annotate(count=Count("id"), amount=Sum("amount"))
    )
    totals: dict[date, list[Any]] = {
        month: [0, Decimal("0.00"), Decimal("0.00")] for month in firsts
    }
    for group in groups:
        month = group["month"]
        if isinstance(month, datetime):
            month = month.date()
        row = totals[month]
        amount = group["amount"] or Decimal("0.00")
        row[0] += group["count"]
        row[1] += amount
        row[2] += weighted(amount, group["stage__probability"])
    return [
        PipelineMonth(month=month, count=count, amount=amount, weighted_amount=weighted_amount)
        for month, (count, amount, weighted_amount) in totals.items()
    ]


def pipeline_total(rows: list[PipelineMonth]) -> PipelineMonth | None:
    """The rows added up (month: the first row's); None for no rows."""
    if not rows:
        return None
    return PipelineMonth(
        month=rows[0].month,
        count=sum(r.count for r in rows),
        amount=sum((r.amount for r in rows), Decimal("0.00")),
        weighted_amount=sum((r.weighted_amount for r in rows), Decimal("0.00")),
    )
