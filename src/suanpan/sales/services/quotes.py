"""Every write to quotes (报价单): drafts with priced lines, then sent, accepted, rejected or
cancelled; any quote can be copied into a new draft.

Only drafts change; a quote is numbered BJ-YYYYMM-nnnn (month of its date) when it is created,
from a gapless sequence. The customer must be one the actor sees, else the quote is "not found".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from suanpan.core.audit import audited
from suanpan.core.dates import days_after
from suanpan.core.errors import (
    NotFound,
    ValidationFailed,
    validation_failed_from_django,
)
from suanpan.core.locks import for_update
from suanpan.core.numbering import number_next
from suanpan.customers.choices import CustomerStatus
from suanpan.customers.selectors import customer_is_visible
from suanpan.ledger.services import business_dates_require
from suanpan.sales.choices import QuoteStatus
from suanpan.sales.errors import InvalidQuoteTransition, QuoteNotEditable
from suanpan.sales.models import Opportunity, Quote, QuoteLine
from suanpan.sales.services.lines import (
    LineInput,
    line_inputs_stored,
    lines_price,
    lines_replace,
    lines_totals,
)
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.customers.models import Customer

QUOTE_SERIES = "BJ"
# What a person may set on a quote (forms, API); number, status and totals are the service's.
QUOTE_FIELDS = (
    "opportunity",
    "quoted_on",
    "valid_until",
    "price_includes_tax",
    "contact_name",
    "terms",
    "notes",
)
DEFAULT_VALIDITY_DAYS = 30


def customer_check(*, actor: User, customer: Customer) -> None:
    """The actor must see the customer (else it does not exist for them) and it must be open."""
    customer_check_visible(actor=actor, customer=customer)
    if customer.status == CustomerStatus.CLOSED:
        raise ValidationFailed(
            fields={"customer": [_("Customer %(name)s is closed.") % {"name": customer.name}]}
        )


def _quote_locked(quote: Quote) -> Quote:
    return for_update(Quote.objects.select_related("customer")).get(pk=quote.pk)


def _assign(quote: Quote, data: Mapping[str, Any]) -> None:
    unknown = set(data) - set(QUOTE_FIELDS)
    if unknown:
        raise ValidationFailed(fields={name: [_("Unknown field.")] for name in sorted(unknown)})
    for name, value in data.items():
        setattr(quote, name, value.strip() if isinstance(value, str) else value)


def _dates(quote: Quote) -> dict[str, date | None]:
    return {"quoted_on": quote.quoted_on, "valid_until": quote.valid_until}


def _dates_check(quote: Quote, *, was: Mapping[str, date | None] | None = None) -> None:
    """The quote's date within the window, its expiry up to the planning horizon (dates
    unchanged since `was` are not checked again)."""
    business_dates_require(
        {"quoted_on": quote.quoted_on}, {"valid_until": quote.valid_until}, was=was
    )


def _validate(quote: Quote) -> None:
    errors: dict[str, list[str]] = {}
    if quote.quoted_on and quote.valid_until and quote.valid_until < quote.quoted_on:
        errors["valid_until"] = [_("A quote cannot expire before its date.")]
    opportunity: Opportunity | None = quote.opportunity
    if opportunity is not None and opportunity.customer_id != quote.customer_id:
        errors["opportunity"] = [_("The opportunity belongs to another customer.")]
    if errors:
        raise ValidationFailed(fields=errors)
    try:
        quote.full_clean(exclude=["number", "owner", "customer", "opportunity"])
    except ValidationError as exc:
        raise validation_failed_from_django(exc) from exc


def _price(quote: Quote, lines: Sequence[LineInput]) -> None:
    priced = lines_price(inputs=lines, price_includes_tax=quote.price_includes_tax)
    lines_replace(document=quote, lines=priced, line_model=QuoteLine, parent_field="quote")


@audited
@transaction.atomic
def quote_create(
    *,
    actor: User,
    customer: Customer,
    data: Mapping[str, Any],
    lines: Sequence[LineInput],
) -> Quote:
    """A draft quote for a customer the actor sees, with its lines priced and totals set."""
    permission_require(actor, "sales.add_quote")
    customer_check(actor=actor, customer=customer)
    today = timezone.localdate()
    quote = Quote(customer=customer, owner=actor, quoted_on=today)
    _assign(quote, data)
    _dates_check(quote)
    if not quote.valid_until:
        quote.valid_until = quote.quoted_on + timedelta(days=DEFAULT_VALIDITY_DAYS)
    quote.number = "pending"
    _validate(quote)
    priced = lines_price(inputs=lines, price_includes_tax=quote.price_includes_tax)
    totals = lines_totals(priced)
    quote.net_amount = totals.net_amount
    quote.tax_amount = totals.tax_amount
    quote.gross_amount = totals.gross_amount
    quote.number = number_next(series=QUOTE_SERIES, period=quote.quoted_on.strftime("%Y%m"))
    quote.save()
    lines_replace(document=quote, lines=priced, line_model=QuoteLine, parent_field="quote")
    return quote


@audited
@transaction.atomic
def quote_update(
    *,
    actor: User,
    quote: Quote,
    data: Mapping[str, Any],
    lines: Sequence[LineInput] | None = None,
) -> Quote:
    """Change a draft quote; given lines replace all of its lines."""
    permission_require(actor, "sales.change_quote")
    quote = _quote_locked(quote)
    customer_check(actor=actor, customer=quote.customer)
    if quote.status != QuoteStatus.DRAFT:
        raise QuoteNotEditable(number=quote.number, status=quote.get_status_display())
    basis_before = quote.price_includes_tax
    was = _dates(quote)
    _assign(quote, data)
    _dates_check(quote, was=was)
    _validate(quote)
    if lines is not None:
        _price(quote, lines)
    elif quote.price_includes_tax != basis_before:
        # The same prices in the other basis: every line's tax changes, so re-price them.
        _price(quote, line_inputs_stored(quote.lines.order_by("position")))
    quote.save()
    return quote


# The statuses each status can be reached from.
_TRANSITIONS: dict[str, tuple[str, ...]] = {
    QuoteStatus.SENT: (QuoteStatus.DRAFT,),
    QuoteStatus.ACCEPTED: (QuoteStatus.DRAFT, QuoteStatus.SENT),
    QuoteStatus.REJECTED: (QuoteStatus.DRAFT, QuoteStatus.SENT),
    QuoteStatus.CANCELLED: (QuoteStatus.DRAFT, QuoteStatus.SENT),
}


def _action_label(to_status: str) -> str:
    labels: dict[str, str] = {
        QuoteStatus.SENT: pgettext("quote action", "sent"),
        QuoteStatus.ACCEPTED: pgettext("quote action", "accepted"),
        QuoteStatus.REJECTED: pgettext("quote action", "rejected"),
        QuoteStatus.CANCELLED: pgettext("quote action", "cancelled"),
    }
    return labels[to_status]


def _transition(*, actor: User, quote: Quote, to_status: str, reason: str = "") -> Quote:
    permission_require(actor, "sales.change_quote")
    quote = _quote_locked(quote)
    customer_check_visible(actor=actor, customer=quote.customer)
    if quote.status not in _TRANSITIONS[to_status]:
        raise InvalidQuoteTransition(
            number=quote.number,
            status=quote.get_status_display(),
            action=_action_label(to_status),
        )
    quote.status = to_status
    if reason:
        quote._change_reason = reason  # type: ignore[attr-defined]  # simple_history reads it
    quote.save()
    return quote


def customer_check_visible(*, actor: User, customer: Customer) -> None:
    """Only the visibility half of `customer_check`: status changes work on closed customers'
    quotes too (declining an old quote of a closed customer is still bookkeeping)."""
    if not customer_is_visible(user=actor, customer_id=customer.pk):
        raise NotFound()


@audited
@transaction.atomic
def quote_send(*, actor: User, quote: Quote) -> Quote:
    """Draft → sent: the quote went to the customer and no longer changes."""
    return _transition(actor=actor, quote=quote, to_status=QuoteStatus.SENT)


@audited
@transaction.atomic
def quote_accept(*, actor: User, quote: Quote) -> Quote:
    """Draft or sent → accepted (also done by making a contract from the quote)."""
    return _transition(actor=actor, quote=quote, to_status=QuoteStatus.ACCEPTED)


@audited
@transaction.atomic
def quote_reject(*, actor: User, quote: Quote, reason: str = "") -> Quote:
    """Draft or sent → rejected by the customer; the reason goes into the history."""
    return _transition(
        actor=actor, quote=quote, to_status=QuoteStatus.REJECTED, reason=reason.strip()
    )


@audited
@transaction.atomic
def quote_cancel(*, actor: User, quote: Quote, reason: str = "") -> Quote:
    """Draft or sent → cancelled by us."""
    return _transition(
        actor=actor, quote=quote, to_status=QuoteStatus.CANCELLED, reason=reason.strip()
    )


@audited
@transaction.atomic
def quote_copy(*, actor: User, quote: Quote, quoted_on: date | None = None) -> Quote:
    """A new draft with the same customer, terms and lines (prices as quoted, VAT rates as the
    products carry them today), dated today and valid as long as the original was."""
    source = Quote.objects.select_related("customer", "opportunity").get(pk=quote.pk)
    customer_check_visible(actor=actor, customer=source.customer)
    new_date = quoted_on or timezone.localdate()
    business_dates_require({"quoted_on": new_date})
    validity = source.valid_until - source.quoted_on
    return quote_create(
        actor=actor,
        customer=source.customer,
        data={
            "opportunity": source.opportunity,
            "quoted_on": new_date,
            # Held to the calendar: an old quote valid until 9999 is refused by the window,
            # not by an overflow.
            "valid_until": days_after(new_date, validity.days),
            "price_includes_tax": source.price_includes_tax,
            "contact_name": source.contact_name,
            "terms": source.terms,
            "notes": source.notes,
        },
        lines=line_inputs_stored(source.lines.order_by("position")),
    )
