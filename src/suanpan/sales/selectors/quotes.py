"""Every read of quotes, scoped by who is asking: a user sees a quote iff they see its customer;
any other id answers 404."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import BooleanField, Case, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from suanpan.customers.selectors import customer_scoped
from suanpan.sales.choices import QUOTE_CONVERTIBLE_STATUSES, OrderStatus
from suanpan.sales.filters.quotes import OPEN_STATUSES, QuoteFilter
from suanpan.sales.models import Contract, Quote, QuoteLine, SalesOrder
from suanpan.sales.selectors.common import filtered_list
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

LIST_ORDER = ("-quoted_on", "-id")


def quote_visible(*, user: User) -> QuerySet[Quote]:
    """Quotes of the customers the user sees, flagged `is_expired` when a draft or sent quote
    is past its validity."""
    queryset = Quote.objects.annotate(
        is_expired=Case(
            When(
                Q(status__in=OPEN_STATUSES, valid_until__lt=timezone.localdate()),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    return customer_scoped(queryset, user=user, perm="sales.view_quote")


def quote_list(
    *, user: User, filters: Mapping[str, Any] | None = None
) -> tuple[QuerySet[Quote], QuoteFilter]:
    """The filtered, sorted list a user sees; the FilterSet comes back for forms and errors."""
    return filtered_list(
        quote_visible(user=user).select_related("customer", "owner"),
        filterset_class=QuoteFilter,
        filters=filters,
        default_order=LIST_ORDER,
    )


def quote_get(*, user: User, pk: int | str) -> Quote:
    """One quote the user may see, with its lines; any other id answers 404, never 403."""
    try:
        return (
            quote_visible(user=user)
            .select_related("customer", "owner", "opportunity")
            .prefetch_related(
                Prefetch(
                    "lines",
                    queryset=QuoteLine.objects.select_related("product").order_by("position"),
                )
            )
            .get(pk=pk)
        )
    except (Quote.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def quote_history(*, quote: Quote, limit: int = 50) -> list[Any]:
    """Who changed the quote when (newest first), with the reason given."""
    return list(quote.history.select_related("history_user").order_by("-history_id")[:limit])


def quotes_tab_context(user: User, customer: Customer, params: Any) -> dict[str, Any]:
    """The customer page's Quotes tab: the latest quotes and how many there are."""
    visible = quote_visible(user=user).filter(customer=customer)
    return {
        "quotes": list(visible.select_related("owner").order_by(*LIST_ORDER)[:50]),
        "quotes_count": visible.count(),
    }


def quote_order(quote: Quote) -> SalesOrder | None:
    """The order converted from the quote itself (not one placed under a contract made from
    it), unless it was cancelled: a quote has one."""
    return (
        SalesOrder.objects.filter(quote=quote, contract__isnull=True)
        .exclude(status=OrderStatus.CANCELLED)
        .order_by("pk")
        .first()
    )


def quote_contract(quote: Quote) -> Contract | None:
    """The contract made from the quote: a quote has one."""
    return Contract.objects.filter(quote=quote).order_by("pk").first()


def quote_conversions(quote: Quote) -> dict[str, bool]:
    """Which conversions the quote's state allows now, for the buttons of its page."""
    convertible = quote.status in QUOTE_CONVERTIBLE_STATUSES
    return {
        "order": convertible and quote_order(quote) is None,
        "contract": convertible and quote_contract(quote) is None,
    }
