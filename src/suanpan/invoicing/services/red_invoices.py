"""Red invoices (红字发票): recording the one the platform issued for a form, with the goods
returned and the blue invoice's open item settled."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from suanpan.core.audit import audited
from suanpan.core.sums import fen_sum, yuan
from suanpan.inventory.selectors import deliveries_for_invoicing, delivery_lines_returnable
from suanpan.inventory.services import ReturnLineInput, return_create
from suanpan.invoicing.calculations import postings
from suanpan.invoicing.choices import (
    RED_FORM_ISSUABLE,
    InvoiceKind,
    InvoiceSource,
    InvoiceStatus,
    RedReason,
)
from suanpan.invoicing.errors import (
    InvoiceNotInStatus,
    RedLetterInvalid,
)
from suanpan.invoicing.models import (
    Invoice,
    InvoiceLine,
    RedLetterForm,
)
from suanpan.invoicing.services.invoices import (
    _number_free,
    invoice_number_normalize,
    invoice_record,
)
from suanpan.invoicing.services.red_letters import (
    _form_locked,
    _status_refuse,
    invoice_locked,
    share,
)
from suanpan.ledger.selectors import account_for_role, open_items_for_source
from suanpan.ledger.services import (
    business_dates_require,
    open_item_match,
)
from suanpan.ledger.types import Role
from suanpan.users.models import User
from suanpan.users.permissions import permission_require

if TYPE_CHECKING:
    from suanpan.ledger.models import OpenItem

ZERO = Decimal(0)
# Reasons that take units back (the order line's invoiced quantity, and the cost moved).
# Reasons that take units back (the order line's invoiced quantity, and the cost moved).
UNIT_REASONS = (RedReason.ERROR, RedReason.RETURN)
_BUYER_FIELDS = (
    "buyer_name",
    "buyer_tax_number",
    "buyer_is_person",
    "buyer_address",
    "buyer_phone",
    "buyer_bank",
    "buyer_account",
    "buyer_email",
)


def _reversed_so_far(blue_line_ids: Sequence[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """Per blue line, (units, cost) the red invoices already took (both negative)."""
    done: dict[int, tuple[Decimal, Decimal]] = {}
    rows = (
        InvoiceLine.objects.filter(blue_line_id__in=blue_line_ids)
        .exclude(invoice__status=InvoiceStatus.VOIDED)
        .values_list("blue_line_id", "quantity", "cost_amount")
    )
    for blue_line_id, quantity, cost_amount in rows:
        units, cost = done.get(blue_line_id, (ZERO, ZERO))
        done[blue_line_id] = (units + (quantity or ZERO), cost + cost_amount)
    return done


def _red_lines(form: RedLetterForm) -> list[InvoiceLine]:
    """The red invoice's lines: each form line negated, on its blue line; reasons 1 and 2 take
    units back to the order line and the share of the blue line's cost still to reverse."""
    rows = list(form.lines.select_related("blue_line").order_by("blue_line__position"))
    done = _reversed_so_far([row.blue_line_id for row in rows])
    takes_units = form.reason in UNIT_REASONS
    lines = []
    for position, row in enumerate(rows, start=1):
        blue = row.blue_line
        cost = ZERO
        if takes_units and row.quantity and blue.quantity and blue.cost_amount:
            units_done, cost_done = done.get(blue.pk, (ZERO, ZERO))
            cost = share(
                blue.cost_amount + cost_done,
                of_units=blue.quantity + units_done,
                units=row.quantity,
            )
        lines.append(
            InvoiceLine(
                position=position,
                blue_line=blue,
                product_id=blue.product_id,
                order_line_id=blue.order_line_id if takes_units else None,
                item_name=blue.item_name,
                tax_code=blue.tax_code,
                specification=blue.specification,
                unit=blue.unit,
                quantity=-row.quantity if row.quantity else None,
                unit_price=blue.unit_price,
                net_amount=-row.net_amount,
                discount_amount=ZERO,
                vat_rate_key=blue.vat_rate_key,
                vat_rate=blue.vat_rate,
                tax_amount=-row.tax_amount,
                gross_amount=-(row.net_amount + row.tax_amount),
                cost_amount=-cost,
            )
        )
    return lines


def _goods_back(
    form: RedLetterForm, lines: Sequence[InvoiceLine], *, on: date, reference: str, actor: User
) -> None:
    """Goods returned: take the red units back from the order lines' deliveries, newest first,
    into the form's warehouse, one return per delivery (in id order: the lock order)."""
    per_delivery: dict[int, list[ReturnLineInput]] = {}
    for line in lines:
        if line.order_line_id is None or not line.quantity:
            continue
        wanted = -line.quantity
        for delivery_id, delivery_line_id, returnable in delivery_lines_returnable(
            line.order_line_id
        ):
            if wanted <= 0:
                break
            take = min(wanted, returnable)
            per_delivery.setdefault(delivery_id, []).append(
                ReturnLineInput(delivery_line_id=delivery_line_id, quantity=take)
            )
            wanted -= take
        if wanted > 0:
            raise RedLetterInvalid(
                _("Line %(position)s (%(item)s): only part of the goods is out with the customer.")
                % {"position": line.position, "item": line.item_name},
                fields={"lines": [_("Fewer goods were delivered than the red invoice returns.")]},
            )
    if not per_delivery:
        return
    deliveries = {d.pk: d for d in deliveries_for_invoicing(user=actor, ids=list(per_delivery))}
    for delivery_id in sorted(per_delivery):
        return_create(
            delivery=deliveries[delivery_id],
            lines=per_delivery[delivery_id],
            reason=_("Red invoice %(number)s") % {"number": reference},
            returned_on=on,
            actor=actor,
            warehouse=form.warehouse,
        )


def receivable_items(invoice_ids: Sequence[int]) -> list[OpenItem]:
    """The invoices' open items on the receivable account (the role's account or a leaf under
    it), in due-date order."""
    receivable = account_for_role(Role.RECEIVABLE)
    return [
        item
        for item in open_items_for_source(
            source_type=postings.SOURCE_INVOICE, source_ids=list(invoice_ids)
        )
        if receivable is None or receivable.pk in (item.account_id, item.account.parent_id)
    ]


def settle(
    credits: Sequence[OpenItem], debits: Sequence[OpenItem], *, on: date, actor: User
) -> None:
    """Match negative items against positive ones in due-date order, each up to what both
    still have open."""
    debits = [item for item in debits if item.open_amount > 0]
    for credit in credits:
        open_credit = -credit.open_amount
        for debit in debits:
            if open_credit <= 0:
                break
            amount = min(open_credit, debit.open_amount)
            if amount <= 0:
                continue
            open_item_match(actor=actor, debit_item=debit, credit_item=credit, amount=amount, on=on)
            debit.open_amount -= amount
            open_credit -= amount


def _blue_status(blue: Invoice) -> str:
    """REVERSED when red invoices took every line whole, else PARTLY_REVERSED."""
    taken = {
        row["blue_line_id"]: yuan(row["fen"])
        for row in InvoiceLine.objects.filter(blue_line__invoice=blue)
        .exclude(invoice__status=InvoiceStatus.VOIDED)
        .values("blue_line_id")
        .annotate(fen=fen_sum("gross_amount"))
    }
    whole = all(line.gross_amount + taken.get(line.pk, ZERO) <= 0 for line in blue.lines.all())
    return InvoiceStatus.REVERSED if whole else InvoiceStatus.PARTLY_REVERSED


@audited
@transaction.atomic
def red_invoice_issue(
    *, form: RedLetterForm, number: str, issued_on: date, actor: User, code: str = ""
) -> Invoice:
    """Record the red invoice the platform issued for a confirmed form (or one needing no
    confirmation): posts it in red, returns goods (reason 2) and settles the blue's open item."""
    permission_require(actor, "invoicing.issue_redletter")
    form = _form_locked(form)
    if form.status not in RED_FORM_ISSUABLE or form.red_invoice_id is not None:
        raise _status_refuse(form)
    blue = invoice_locked(form.blue_invoice)
    if blue.status not in (InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_REVERSED):
        raise InvoiceNotInStatus(number=str(blue), status=blue.get_status_display())
    business_dates_require({"issued_on": issued_on})
    if issued_on < blue.issued_on:
        raise RedLetterInvalid(
            fields={"issued_on": [_("A red invoice cannot predate the invoice it reverses.")]}
        )
    code, number = invoice_number_normalize(
        number=number, code=code, invoice_type=blue.invoice_type
    )
    _number_free(code, number)
    red = Invoice(
        code=code,
        number=number,
        kind=InvoiceKind.RED,
        invoice_type=blue.invoice_type,
        status=InvoiceStatus.ISSUED,
        source=InvoiceSource.RED_LETTER,
        customer=blue.customer,
        original=blue,
        red_reason=form.reason,
        issued_on=issued_on,
        price_includes_tax=blue.price_includes_tax,
        # The platform prints the reversed invoice's number in the remarks.
        remarks=(_("Reverses invoice %(number)s") % {"number": str(blue)})[:300],
        **{name: getattr(blue, name) for name in _BUYER_FIELDS},
    )
    lines = _red_lines(form)
    if form.reason == RedReason.RETURN:
        _goods_back(form, lines, on=issued_on, reference=f"{code}{number}", actor=actor)
    invoice_record(
        invoice=red,
        lines=lines,
        actor=actor,
        post=blue.posted,
        order_id=blue.request.order_id if blue.request else None,
    )
    form.red_invoice = red
    form.save(update_fields=["red_invoice"])
    blue.status = _blue_status(blue)
    blue.save(update_fields=["status"])
    if red.posted:
        items = receivable_items([blue.pk, red.pk])
        settle(
            [i for i in items if i.source_id == str(red.pk) and i.amount < 0],
            [i for i in items if i.source_id == str(blue.pk) and i.amount > 0],
            on=issued_on,
            actor=actor,
        )
    return red
