"""Red-letter forms and red invoices: postings under both revenue policies, goods returned,
what remains of each blue line, the platform's statuses, settling the blue's open item."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from suanpan.core.errors import DomainError
from suanpan.inventory.models import DeliveryReturn, StockLevel
from suanpan.invoicing.choices import (
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
from suanpan.invoicing.models import Invoice
from suanpan.invoicing.selectors import red_remaining
from suanpan.invoicing.services import (
    RedLineInput,
    invoice_mark_deducted,
    red_form_cancel,
    red_form_confirm,
    red_form_create,
    red_form_deny,
    red_form_withdraw,
    red_forms_expire,
    red_invoice_issue,
)
from suanpan.invoicing.services.red_letters import share
from suanpan.ledger.choices import AccountRole
from suanpan.ledger.selectors import open_items_check
from tests.factories import WarehouseFactory
from tests.inventory.deliveries_support import balance
from tests.invoicing.red_support import blue_invoice, pay, receivable_items
from tests.invoicing.support import ON, invoice_number

pytestmark = pytest.mark.django_db
D = Decimal
SELLER, BUYER = RedInitiator.SELLER, RedInitiator.BUYER
NOW = datetime(2026, 11, 13, 9, 0, tzinfo=UTC)


def _form(invoice, actor, *, reason=RedReason.ERROR, initiator=SELLER, lines=None, **kw):
    return red_form_create(
        blue_invoice=invoice,
        initiator=initiator,
        reason=reason,
        lines=lines,
        actor=actor,
        now=kw.pop("now", NOW),
        **kw,
    )


def _issue(form, actor, on=ON):
    return red_invoice_issue(form=form, number=invoice_number(), issued_on=on, actor=actor)


def _units(invoice, quantity):
    return [RedLineInput(blue_line_id=invoice.lines.get().pk, quantity=D(quantity))]


def _books_consistent():
    assert open_items_check(as_of=date(2026, 12, 31)) == []


def test_full_red_on_delivery_gives_back_unbilled_and_settles_the_blue(
    delivery_books, clerk, approver
):
    blue = blue_invoice(clerk=clerk, approver=approver)
    customer = blue.customer.number
    form = _form(blue, approver)
    assert form.status == RedFormStatus.NOT_NEEDED
    assert form.is_full and form.expires_at is None
    assert (form.net_amount, form.tax_amount) == (D("1000.00"), D("130.00"))

    red = _issue(form, approver)

    assert red.kind == InvoiceKind.RED and red.original == blue
    assert (red.net_amount, red.tax_amount, red.gross_amount) == (
        D("-1000.00"),
        D("-130.00"),
        D("-1130.00"),
    )
    line = red.lines.get()
    assert line.quantity == D(-10) and line.blue_line_id == blue.lines.get().pk
    assert balance(AccountRole.RECEIVABLE, dimension=customer) == 0
    assert balance(AccountRole.RECEIVABLE_UNBILLED, dimension=customer) == D("1130.00")
    assert balance(AccountRole.VAT_OUTPUT) == 0
    assert balance(AccountRole.VAT_OUTPUT_PENDING) == D("-130.00")
    blue.refresh_from_db()
    assert blue.status == InvoiceStatus.REVERSED
    assert blue.request.order.lines.get().invoiced_quantity == 0
    # The red item settled the blue one: nothing open on either.
    assert [i.open_amount for i in receivable_items(blue)] == [0]
    assert [i.open_amount for i in receivable_items(red)] == [0]
    _books_consistent()


def test_partial_return_on_delivery_puts_stock_back_and_reverses_revenue_and_cost(
    delivery_books, clerk, approver
):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    customer = blue.customer.number
    form = _form(blue, approver, reason=RedReason.RETURN, lines=_units(blue, "3"))
    assert form.status == RedFormStatus.SELLER_PENDING
    assert form.expires_at == NOW + timedelta(hours=72)
    assert not form.is_full
    assert form.warehouse is not None  # the delivery's
    assert (form.net_amount, form.tax_amount) == (D("300.00"), D("39.00"))
    red_form_confirm(form=form, actor=approver, now=NOW + timedelta(hours=1))

    red = _issue(form, approver)

    assert red.gross_amount == D("-339.00")
    assert balance(AccountRole.RECEIVABLE, dimension=customer) == D("791.00")
    assert balance(AccountRole.RECEIVABLE_UNBILLED, dimension=customer) == 0
    assert balance(AccountRole.REVENUE) == D("-700.00")
    assert balance(AccountRole.VAT_OUTPUT) == D("-91.00")
    assert balance(AccountRole.VAT_OUTPUT_PENDING) == 0
    assert balance(AccountRole.COGS) == D("420.00")
    product = blue.lines.get().product
    assert StockLevel.objects.get(product=product, warehouse=form.warehouse).quantity == D(3)
    order_line = blue.request.order.lines.get()
    assert (order_line.shipped_quantity, order_line.invoiced_quantity) == (D(7), D(7))
    blue.refresh_from_db()
    assert blue.status == InvoiceStatus.PARTLY_REVERSED
    assert [i.open_amount for i in receivable_items(blue)] == [D("791.00")]
    _books_consistent()


def test_partial_return_on_invoice_moves_cost_back_and_stock_in(on_invoice, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    assert balance(AccountRole.COGS) == D("600.00")
    form = _form(blue, approver, reason=RedReason.RETURN, initiator=BUYER, lines=_units(blue, "4"))
    assert form.status == RedFormStatus.BUYER_PENDING
    red_form_confirm(form=form, actor=approver, now=NOW)

    red = _issue(form, approver)

    assert red.lines.get().cost_amount == D("-240.00")
    assert balance(AccountRole.REVENUE) == D("-600.00")
    assert balance(AccountRole.VAT_OUTPUT) == D("-78.00")
    assert balance(AccountRole.COGS) == D("360.00")
    assert balance(AccountRole.GOODS_SHIPPED) == 0
    assert balance(AccountRole.RECEIVABLE, dimension=blue.customer.number) == D("678.00")
    product = blue.lines.get().product
    assert StockLevel.objects.get(product=product).quantity == D(4)
    _books_consistent()


def test_full_red_for_an_error_on_invoice_leaves_the_goods_shipped_to_invoice_again(
    on_invoice, clerk, approver
):
    blue = blue_invoice(clerk=clerk, approver=approver)
    _issue(_form(blue, approver), approver)
    assert balance(AccountRole.REVENUE) == 0
    assert balance(AccountRole.COGS) == 0
    assert balance(AccountRole.GOODS_SHIPPED) == D("600.00")
    assert balance(AccountRole.RECEIVABLE, dimension=blue.customer.number) == 0
    order_line = blue.request.order.lines.get()
    assert (order_line.shipped_quantity, order_line.invoiced_quantity) == (D(10), D(0))
    _books_consistent()


def test_allowance_reduces_revenue_and_keeps_quantities_invoiced(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    line = blue.lines.get()
    form = _form(
        blue,
        approver,
        reason=RedReason.ALLOWANCE,
        lines=[RedLineInput(blue_line_id=line.pk, amount=D("339.00"))],
    )
    assert (form.net_amount, form.tax_amount) == (D("300.00"), D("39.00"))
    red_form_confirm(form=form, actor=approver, now=NOW)
    red = _issue(form, approver)
    assert red.lines.get().quantity is None
    assert balance(AccountRole.REVENUE) == D("-700.00")
    assert balance(AccountRole.VAT_OUTPUT) == D("-91.00")
    assert blue.request.order.lines.get().invoiced_quantity == D(10)
    _books_consistent()


def test_partial_reds_never_exceed_the_blue_line(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    line = blue.lines.get()
    first = _form(blue, approver, lines=_units(blue, "4"))
    # A denied form gives back what it held.
    denied = _form(blue, approver, lines=_units(blue, "6"))
    with pytest.raises(RedLetterExceedsBlue):
        _form(blue, approver, lines=_units(blue, "1"))
    red_form_deny(form=denied, actor=approver, now=NOW)
    with pytest.raises(RedLetterExceedsBlue):
        _form(blue, approver, lines=[RedLineInput(blue_line_id=line.pk, amount=D("678.01"))])
    second = _form(blue, approver, lines=[RedLineInput(blue_line_id=line.pk, amount=D("100.00"))])
    left = red_remaining(blue)[line.pk]
    assert left.gross_amount == D("578.00")
    rest = _form(blue, approver, initiator=BUYER)
    assert rest.is_full and rest.net_amount + rest.tax_amount == D("578.00")
    with pytest.raises(RedLetterInvalid):
        _form(blue, approver)
    totals = sum(f.net_amount + f.tax_amount for f in (first, second, rest))
    assert totals == blue.gross_amount
    for form in (first, second, rest):
        red_form_confirm(form=form, actor=approver, now=NOW)
        _issue(form, approver)
    blue.refresh_from_db()
    assert blue.status == InvoiceStatus.REVERSED
    assert sum(r.gross_amount for r in blue.red_invoices.all()) == D("-1130.00")
    assert balance(AccountRole.RECEIVABLE, dimension=blue.customer.number) == 0
    with pytest.raises(InvoiceNotInStatus):
        _form(blue, approver)
    _books_consistent()


def test_undeducted_invoices_are_reversed_by_the_seller_in_full(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver)
    with pytest.raises(RedLetterInvalid) as buyer:
        _form(blue, approver, initiator=BUYER)
    assert "initiator" in buyer.value.fields
    with pytest.raises(RedLetterInvalid) as partial:
        _form(blue, approver, lines=_units(blue, "1"))
    assert "lines" in partial.value.fields
    with pytest.raises(RedLetterInvalid):
        _form(blue, approver, reason="9")


def test_bad_lines_are_refused_and_write_nothing(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    line = blue.lines.get()
    for lines in (
        [],
        [RedLineInput(blue_line_id=line.pk)],
        [RedLineInput(blue_line_id=line.pk, quantity=D(1), amount=D(1))],
        [RedLineInput(blue_line_id=line.pk, quantity=D("-1"))],
        [RedLineInput(blue_line_id=line.pk, amount=D("1.001"))],
        [RedLineInput(blue_line_id=line.pk + 999, quantity=D(1))],
        [RedLineInput(blue_line_id=line.pk, quantity=D(1))] * 2,
    ):
        with pytest.raises(RedLetterInvalid):
            _form(blue, approver, lines=lines)
    assert not blue.red_forms.exists()


def test_statuses_follow_the_platform(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    seller = _form(blue, approver, lines=_units(blue, "1"))
    buyer = _form(blue, approver, initiator=BUYER, lines=_units(blue, "1"))
    withdrawn = _form(blue, approver, lines=_units(blue, "1"))
    cancelled = _form(blue, approver, lines=_units(blue, "1"))
    lapsing = _form(blue, approver, lines=_units(blue, "1"))
    assert red_form_deny(form=seller, actor=approver, now=NOW).status == "05"
    assert red_form_deny(form=buyer, actor=approver, now=NOW).status == "06"
    assert red_form_withdraw(form=withdrawn, actor=approver, now=NOW).status == "08"
    with pytest.raises(RedFormNotInStatus):
        _issue(cancelled, approver)
    red_form_confirm(form=cancelled, actor=approver, now=NOW)
    assert red_form_cancel(form=cancelled, actor=approver, now=NOW).status == "09"
    with pytest.raises(RedFormNotInStatus):
        red_form_confirm(form=seller, actor=approver, now=NOW)
    later = NOW + timedelta(hours=73)
    with pytest.raises(RedFormNotInStatus):
        red_form_confirm(form=lapsing, actor=approver, now=later)
    assert red_forms_expire(now=NOW + timedelta(hours=71)) == 0
    assert red_forms_expire(now=later) == 1
    lapsing.refresh_from_db()
    assert lapsing.status == RedFormStatus.VOID_EXPIRED
    # Every void form gave its unit back.
    assert red_remaining(blue)[blue.lines.get().pk].quantity == D(10)


def test_a_form_issues_one_red_invoice(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver)
    form = _form(blue, approver)
    _issue(form, approver)
    with pytest.raises(RedFormNotInStatus):
        _issue(form, approver)
    with pytest.raises(RedFormNotInStatus):
        red_form_cancel(form=form, actor=approver, now=NOW)


def test_red_against_a_paid_invoice_leaves_a_credit_open(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver)
    pay(blue, D("1130.00"), actor=approver, on=ON)
    red = _issue(_form(blue, approver), approver)
    assert [i.open_amount for i in receivable_items(red)] == [D("-1130.00")]
    assert balance(AccountRole.RECEIVABLE, dimension=blue.customer.number) == D("-1130.00")
    _books_consistent()


def test_red_against_a_part_paid_invoice_settles_what_is_open(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver)
    pay(blue, D("1000.00"), actor=approver, on=ON)
    red = _issue(_form(blue, approver), approver)
    assert [i.open_amount for i in receivable_items(blue)] == [0]
    assert [i.open_amount for i in receivable_items(red)] == [D("-1000.00")]
    _books_consistent()


def test_deducted_flag_can_be_cleared_only_without_forms(delivery_books, clerk, approver, seller):
    blue = blue_invoice(clerk=clerk, approver=approver)
    invoice_mark_deducted(invoice=blue, actor=approver)
    blue.refresh_from_db()
    assert blue.deducted
    _form(blue, approver, lines=_units(blue, "1"))
    with pytest.raises(InvoiceNotInStatus):
        invoice_mark_deducted(invoice=blue, actor=approver, deducted=False)
    with pytest.raises(DomainError):
        invoice_mark_deducted(invoice=blue, actor=seller)


def test_amounts_follow_the_blue_basis_when_prices_exclude_tax(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    Invoice.objects.filter(pk=blue.pk).update(price_includes_tax=False)
    blue.refresh_from_db()
    line = blue.lines.get()
    form = _form(blue, approver, lines=[RedLineInput(blue_line_id=line.pk, amount=D("100.05"))])
    assert (form.net_amount, form.tax_amount) == (D("100.05"), D("13.01"))
    # The rest of the line, named by its amount excluding tax, takes exactly what is left.
    rest = _form(blue, approver, lines=[RedLineInput(blue_line_id=line.pk, amount=D("899.95"))])
    assert (rest.net_amount, rest.tax_amount) == (D("899.95"), D("116.99"))
    assert rest.is_full


def test_returned_goods_go_to_the_warehouse_named(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    other = WarehouseFactory()
    form = _form(blue, approver, reason=RedReason.RETURN, lines=_units(blue, "2"), warehouse=other)
    red_form_confirm(form=form, actor=approver, now=NOW)
    _issue(form, approver)
    product = blue.lines.get().product
    assert StockLevel.objects.get(product=product, warehouse=other).quantity == D(2)
    returned = DeliveryReturn.objects.get()
    assert returned.returned_on == ON and returned.warehouse == other


def test_a_return_needs_units(delivery_books, clerk, approver):
    blue = blue_invoice(clerk=clerk, approver=approver, deducted=True)
    line = blue.lines.get()
    with pytest.raises(RedLetterInvalid):
        _form(
            blue,
            approver,
            reason=RedReason.RETURN,
            lines=[RedLineInput(blue_line_id=line.pk, amount=D("113.00"))],
        )


def test_blue_is_reversed_only_when_every_line_is(delivery_books, clerk, approver):
    blue = blue_invoice(
        clerk=clerk, approver=approver, deducted=True, lines=(("10", "113.00"), ("5", "56.50"))
    )
    first, second = blue.lines.order_by("position")
    one = _form(blue, approver, lines=[RedLineInput(blue_line_id=first.pk, quantity=D(10))])
    assert not one.is_full
    red_form_confirm(form=one, actor=approver, now=NOW)
    _issue(one, approver)
    blue.refresh_from_db()
    assert blue.status == InvoiceStatus.PARTLY_REVERSED
    left = red_remaining(blue)
    assert left[first.pk].is_zero and left[second.pk].gross_amount == D("282.50")
    rest = _form(blue, approver)
    assert rest.is_full and [line.blue_line_id for line in rest.lines.all()] == [second.pk]
    red_form_confirm(form=rest, actor=approver, now=NOW)
    _issue(rest, approver)
    blue.refresh_from_db()
    assert blue.status == InvoiceStatus.REVERSED
    assert balance(AccountRole.RECEIVABLE, dimension=blue.customer.number) == 0
    _books_consistent()


def test_share_rounds_half_up_and_gives_the_rest_whole():
    assert share(D("0.05"), of_units=D(2), units=D(1)) == D("0.03")
    assert share(D("100.00"), of_units=D(3), units=D(1)) == D("33.33")
    assert share(D("66.67"), of_units=D(2), units=D(2)) == D("66.67")
