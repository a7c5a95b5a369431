"""Red-letter invoices (红字发票) and their confirmation forms, voiding paper invoices, and the
buyer's deduction flag.

A red invoice needs a 红字发票信息确认单 first. If the buyer has not used the blue invoice
(用途确认), the seller enters the form for the whole of what is left and it needs nobody's
confirmation (status 01); once the buyer has, either party enters it, in full or in part, and
the other confirms within 72 hours (02/03 → 04) or it lapses (07). What the forms not void
reverse of each blue line never exceeds the line: the blue invoice is locked while a form is
checked, so two forms racing for the same rest queue and the second sees the first.

Issuing the red invoice records it through `invoice_record` (negative lines tied to the blue
ones), takes back goods returned (reason 2) through an inventory return, and settles the red
receivable item against the blue one, up to what the blue still has open; whatever the blue
no longer has open (it was paid) stays open as the customer's credit.

Locks, in LOCK_ORDER: invoice request, red-letter form, invoice; then the deliveries of a
return (before the sales order lines, which is why the return is recorded before the red
invoice moves the order's invoiced quantities), the ledger last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.locks import for_update
from suanpan.core.money import CENT, divide
from suanpan.core.numbering import number_next
from suanpan.inventory.selectors import deliveries_for_invoicing, delivery_lines_returnable
from suanpan.invoicing.calculations.lines import FapiaoLineInput, fapiao_line_amounts
from suanpan.invoicing.choices import (
    RED_FORM_ISSUABLE,
    RED_FORM_PENDING,
    InvoiceKind,
    InvoiceStatus,
    RedFormStatus,
    RedInitiator,
    RedReason,
)
from suanpan.invoicing.errors import (
    InvoiceNotInStatus,
    RedFormNotInStatus,
    RedLetterExceedsBlue,
    RedLetterInvalid,
)
from suanpan.invoicing.models import (
    Invoice,
    InvoiceLine,
    RedLetterForm,
    RedLetterLine,
)
from suanpan.invoicing.selectors.red_letters import Remaining, red_remaining
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.inventory.models import Warehouse

ZERO = Decimal(0)
SERIES = "HZ"
CONFIRM_WITHIN = timedelta(hours=72)


@dataclass(frozen=True)
class RedLineInput:
    """One blue line to reverse in part: a quantity (its share of the line), or an amount in
    the blue invoice's basis (including tax when its prices did)."""

    blue_line_id: int
    quantity: Decimal | None = None
    amount: Decimal | None = None


def share(amount: Decimal, *, of_units: Decimal, units: Decimal) -> Decimal:
    """The part of `amount` that `units` of `of_units` carry, rounded half up (四舍五入); all
    of it when they are all that is left."""
    if units >= of_units:
        return amount
    return divide(amount * units, of_units)


def invoice_locked(invoice: Invoice) -> Invoice:
    return for_update(Invoice.objects.select_related("customer", "request")).get(pk=invoice.pk)


def _form_locked(form: RedLetterForm) -> RedLetterForm:
    return for_update(RedLetterForm.objects.select_related("blue_invoice", "warehouse")).get(
        pk=form.pk
    )


def _status_refuse(form: RedLetterForm) -> RedFormNotInStatus:
    return RedFormNotInStatus(number=form.number, status=form.get_status_display())


def _line_amounts(
    blue: Invoice, line: InvoiceLine, left: Remaining, entry: RedLineInput, key: str
) -> tuple[Decimal | None, Decimal, Decimal]:
    """(quantity, net, tax) one entry reverses, checked against what is left of the line."""
    if (entry.quantity is None) == (entry.amount is None):
        raise RedLetterInvalid(fields={key: [_("Give either a quantity or an amount.")]})
    if entry.quantity is not None:
        quantity = entry.quantity
        if line.quantity is None or left.quantity is None:
            raise RedLetterInvalid(
                fields={key: [_("This line has no quantity; reverse an amount.")]}
            )
        if quantity <= 0 or quantity != quantity.quantize(Decimal("0.0001")):
            raise RedLetterInvalid(
                fields={key: [_("Enter a quantity above zero with at most four decimals.")]}
            )
        if quantity > left.quantity:
            raise RedLetterExceedsBlue(
                fields={key: [_("Only %(left)s left.") % {"left": left.quantity.normalize()}]},
                position=line.position,
                number=str(blue),
                remaining=left.quantity.normalize(),
                amount=quantity.normalize(),
            )
        return (
            quantity,
            share(left.net_amount, of_units=left.quantity, units=quantity),
            share(left.tax_amount, of_units=left.quantity, units=quantity),
        )
    amount = entry.amount or ZERO
    basis_left = left.gross_amount if blue.price_includes_tax else left.net_amount
    if amount <= 0 or amount != amount.quantize(CENT):
        raise RedLetterInvalid(fields={key: [_("Enter an amount above zero in yuan and fen.")]})
    if amount == basis_left:
        return None, left.net_amount, left.tax_amount
    exceeds = RedLetterExceedsBlue(
        fields={key: [_("Only %(left)s left.") % {"left": f"{basis_left:,.2f}"}]},
        position=line.position,
        number=str(blue),
        remaining=f"{basis_left:,.2f}",
        amount=f"{amount:,.2f}",
    )
    if amount > basis_left:
        raise exceeds
    parts = fapiao_line_amounts(
        FapiaoLineInput(amount=amount, vat_rate_key=line.vat_rate_key),
        price_includes_tax=blue.price_includes_tax,
    )
    if parts.net_amount > left.net_amount or parts.tax_amount > left.tax_amount:
        raise exceeds
    return None, parts.net_amount, parts.tax_amount


def _form_lines(
    blue: Invoice, lines: Sequence[RedLineInput] | None
) -> tuple[list[RedLetterLine], bool]:
    """The form's lines and whether they take all that is left of the invoice."""
    remaining = red_remaining(blue)
    blue_lines = {line.pk: line for line in blue.lines.all()}
    rows: list[RedLetterLine] = []
    if lines is None:
        for pk, left in remaining.items():
            if left.net_amount > 0 or left.tax_amount > 0:
                rows.append(
                    RedLetterLine(
                        blue_line=blue_lines[pk],
                        quantity=left.quantity if left.quantity else None,
                        net_amount=left.net_amount,
                        tax_amount=left.tax_amount,
                    )
                )
        if not rows:
            raise RedLetterInvalid(
                _("Nothing is left to reverse on invoice %(number)s.") % {"number": str(blue)},
                fields={"lines": [_("Every line is already reversed or held by a form.")]},
            )
        return rows, True
    if not lines:
        raise RedLetterInvalid(fields={"lines": [_("Reverse at least one line.")]})
    seen: set[int] = set()
    full = True
    for index, entry in enumerate(lines):
        key = f"lines.{index}"
        line = blue_lines.get(entry.blue_line_id)
        if line is None or line.pk in seen:
            raise RedLetterInvalid(
                fields={
                    f"{key}.blue_line_id": [
                        _("Not a line of invoice %(number)s, or named twice.")
                        % {"number": str(blue)}
                    ]
                }
            )
        seen.add(line.pk)
        left = remaining[line.pk]
        quantity, net, tax = _line_amounts(blue, line, left, entry, key)
        if net == 0 and tax == 0:
            raise RedLetterInvalid(fields={key: [_("Too little to reverse.")]})
        rows.append(
            RedLetterLine(blue_line=line, quantity=quantity, net_amount=net, tax_amount=tax)
        )
        full = full and net == left.net_amount and tax == left.tax_amount
    untouched = [pk for pk, left in remaining.items() if pk not in seen and not left.is_zero]
    return rows, full and not untouched


def _goods_lines(rows: Sequence[RedLetterLine]) -> list[RedLetterLine]:
    return [row for row in rows if row.blue_line.order_line_id is not None]


def _return_warehouse(
    rows: Sequence[RedLetterLine], warehouse: Warehouse | None, *, actor: User
) -> Warehouse | None:
    """A return needs units on every goods line, and a warehouse: the one given, else the one
    the newest delivery of the first goods line left from."""
    goods = _goods_lines(rows)
    if not goods:
        return warehouse
    for row in goods:
        if not row.quantity:
            raise RedLetterInvalid(
                fields={"lines": [_("Goods returned: give the quantity that came back.")]}
            )
    if warehouse is not None:
        return warehouse
    order_line_id = goods[0].blue_line.order_line_id
    returnable = delivery_lines_returnable(order_line_id) if order_line_id else []
    if not returnable:
        raise RedLetterInvalid(
            fields={"warehouse": [_("No delivery of these goods is left to take back.")]}
        )
    delivery = deliveries_for_invoicing(user=actor, ids=[returnable[0][0]]).get()
    return delivery.warehouse


@audited
@transaction.atomic
def red_form_create(
    *,
    blue_invoice: Invoice,
    initiator: str,
    reason: str,
    lines: Sequence[RedLineInput] | None = None,
    warehouse: Warehouse | None = None,
    notes: str = "",
    actor: User,
    now: datetime | None = None,
) -> RedLetterForm:
    """Enter a confirmation form for a blue invoice: `lines` None reverses all that is left.

    Not deducted by the buyer: the seller enters it, in full, and it needs no confirmation.
    Deducted: either party, in full or in part, awaiting the other for 72 hours.
    """
    permission_require(actor, "invoicing.add_redletterform")
    errors: dict[str, list[str]] = {}
    if initiator not in RedInitiator.values:
        errors["initiator"] = [_("Choose who enters the form.")]
    if reason not in RedReason.values:
        errors["reason"] = [_("Choose a reason.")]
    if errors:
        raise RedLetterInvalid(fields=errors)
    blue = invoice_locked(blue_invoice)
    if blue.kind != InvoiceKind.BLUE or blue.status not in (
        InvoiceStatus.ISSUED,
        InvoiceStatus.PARTLY_REVERSED,
    ):
        raise InvoiceNotInStatus(number=str(blue), status=blue.get_status_display())
    if not blue.deducted:
        if initiator != RedInitiator.SELLER:
            raise RedLetterInvalid(
                fields={
                    "initiator": [
                        _("The buyer has not used this invoice: only the seller enters the form.")
                    ]
                }
            )
        if lines is not None:
            raise RedLetterInvalid(
                fields={
                    "lines": [
                        _("The buyer has not used this invoice: it is reversed in full only.")
                    ]
                }
            )
    rows, full = _form_lines(blue, lines)
    if reason == RedReason.RETURN:
        warehouse = _return_warehouse(rows, warehouse, actor=actor)
    else:
        warehouse = None
    now = now or timezone.now()
    if not blue.deducted:
        status, expires_at = RedFormStatus.NOT_NEEDED, None
    else:
        status = (
            RedFormStatus.SELLER_PENDING
            if initiator == RedInitiator.SELLER
            else RedFormStatus.BUYER_PENDING
        )
        expires_at = now + CONFIRM_WITHIN
    form = RedLetterForm.objects.create(
        number=number_next(series=SERIES, period=timezone.localdate().strftime("%Y%m")),
        blue_invoice=blue,
        initiator=initiator,
        reason=reason,
        status=status,
        is_full=full,
        entered_at=now,
        expires_at=expires_at,
        warehouse=warehouse,
        net_amount=sum((row.net_amount for row in rows), ZERO),
        tax_amount=sum((row.tax_amount for row in rows), ZERO),
        notes=notes.strip()[:300],
        created_by=actor,
    )
    for row in rows:
        row.form = form
    RedLetterLine.objects.bulk_create(rows)
    return form


def _decide(
    form: RedLetterForm,
    *,
    actor: User,
    allowed: Sequence[str],
    to: dict[str, str],
    now: datetime | None,
) -> RedLetterForm:
    permission_require(actor, "invoicing.change_redletterform")
    form = _form_locked(form)
    now = now or timezone.now()
    if form.status not in allowed or form.red_invoice_id is not None:
        raise _status_refuse(form)
    if form.status in RED_FORM_PENDING and form.expires_at and form.expires_at <= now:
        raise RedFormNotInStatus(
            _("Red-letter form %(number)s was not confirmed within 72 hours; it has lapsed.")
            % {"number": form.number}
        )
    form.status = to[form.status]
    form.decided_at = now
    form.save(update_fields=["status", "decided_at"])
    return form


@audited
@transaction.atomic
def red_form_confirm(
    *, form: RedLetterForm, actor: User, now: datetime | None = None
) -> RedLetterForm:
    """The other party agreed (同意): 02 or 03 → 04."""
    return _decide(
        form,
        actor=actor,
        allowed=RED_FORM_PENDING,
        to={
            RedFormStatus.SELLER_PENDING: RedFormStatus.CONFIRMED,
            RedFormStatus.BUYER_PENDING: RedFormStatus.CONFIRMED,
        },
        now=now,
    )


@audited
@transaction.atomic
def red_form_deny(
    *, form: RedLetterForm, actor: User, now: datetime | None = None
) -> RedLetterForm:
    """The other party refused (拒绝): 02 → 05 (buyer denied), 03 → 06 (seller denied)."""
    return _decide(
        form,
        actor=actor,
        allowed=RED_FORM_PENDING,
        to={
            RedFormStatus.SELLER_PENDING: RedFormStatus.VOID_BUYER_DENIED,
            RedFormStatus.BUYER_PENDING: RedFormStatus.VOID_SELLER_DENIED,
        },
        now=now,
    )


@audited
@transaction.atomic
def red_form_withdraw(
    *, form: RedLetterForm, actor: User, now: datetime | None = None
) -> RedLetterForm:
    """The party who entered it withdrew it before the other decided (撤销): → 08."""
    return _decide(
        form,
        actor=actor,
        allowed=RED_FORM_PENDING,
        to=dict.fromkeys(RED_FORM_PENDING, RedFormStatus.VOID_WITHDRAWN),
        now=now,
    )


@audited
@transaction.atomic
def red_form_cancel(
    *, form: RedLetterForm, actor: User, now: datetime | None = None
) -> RedLetterForm:
    """Cancelled after confirmation (or one needing none) and before a red invoice: → 09."""
    return _decide(
        form,
        actor=actor,
        allowed=RED_FORM_ISSUABLE,
        to=dict.fromkeys(RED_FORM_ISSUABLE, RedFormStatus.VOID_CANCELLED),
        now=now,
    )


@transaction.atomic
def red_forms_expire(*, now: datetime | None = None, actor: User | None = None) -> int:
    """Pending forms past their 72 hours lapse (07); the scheduled job runs without a user.
    Returns how many lapsed."""
    if actor is not None:
        permission_require(actor, "invoicing.change_redletterform")
    now = now or timezone.now()
    lapsed = list(
        for_update(
            RedLetterForm.objects.filter(status__in=RED_FORM_PENDING, expires_at__lte=now)
        ).order_by("pk")
    )
    for form in lapsed:
        form.status = RedFormStatus.VOID_EXPIRED
        form.decided_at = now
        form.save(update_fields=["status", "decided_at"])
    return len(lapsed)
