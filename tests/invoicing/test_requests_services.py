"""Invoice requests: what they may be raised from, what they may hold, the buyer and line
rules of the tax platform, and review by another accountant."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.http import Http404

from suanpan.invoicing.calculations.lines import LINE_LIMIT
from suanpan.invoicing.choices import InvoiceType, RequestSource, RequestStatus
from suanpan.invoicing.errors import (
    RequestExceedsInstalment,
    RequestExceedsOrder,
    RequestInvalid,
    RequestNotInStatus,
)
from suanpan.invoicing.models import InvoiceRequest
from suanpan.invoicing.selectors.held import instalment_requestable
from suanpan.invoicing.services import (
    BuyerInput,
    RequestInput,
    RequestLineInput,
    request_cancel,
    request_create,
    request_reject,
    request_update,
)
from tests.factories import UserFactory
from tests.invoicing.requests_support import (
    SERVICE_CODE,
    contract_instalment,
    goods_and_service_order,
    goods_order_in_two_deliveries,
    invoicing_customer,
)
from tests.invoicing.support import ON, request_for, shipped_order

pytestmark = pytest.mark.django_db
D = Decimal


def _instalment_request(instalment, actor, *lines: RequestLineInput, **kwargs):  # type: ignore[no-untyped-def]
    return request_create(
        data=RequestInput(
            source=RequestSource.INSTALMENT,
            invoice_type=kwargs.pop("invoice_type", InvoiceType.E_SPECIAL),
            instalment_id=instalment.pk,
            lines=lines,
            requested_on=ON,
            **kwargs,
        ),
        actor=actor,
    )


def _typed(amount: str, **kwargs: str) -> RequestLineInput:
    values = {"item_name": "软件实施服务", "tax_code": SERVICE_CODE, "vat_rate_key": "6"}
    values.update(kwargs)
    return RequestLineInput(amount=D(amount), **values)  # type: ignore[arg-type]


def _without_number(order):  # type: ignore[no-untyped-def]
    """The order's customer has no taxpayer number on file."""
    order.customer.invoice_tax_number = ""
    order.customer.save(update_fields=["invoice_tax_number"])
    return order


def _fields(excinfo: pytest.ExceptionInfo[RequestInvalid]) -> dict[str, list[str]]:
    return excinfo.value.fields


# --- sources --------------------------------------------------------------------------------


def test_request_from_deliveries_bills_what_they_shipped(delivery_books, clerk):
    order, first, second = goods_order_in_two_deliveries(actor=clerk)
    request = request_create(
        data=RequestInput(
            source=RequestSource.DELIVERIES,
            invoice_type=InvoiceType.E_SPECIAL,
            delivery_ids=(first.pk,),
            requested_on=ON,
        ),
        actor=clerk,
    )
    line = request.lines.get()
    assert (request.source, request.order_id) == (RequestSource.DELIVERIES, order.pk)
    assert request.delivery_numbers == first.number
    assert line.quantity == D(4)
    assert (request.net_amount, request.tax_amount, request.gross_amount) == (
        D("400.00"),
        D("52.00"),
        D("452.00"),
    )
    both = request_create(
        data=RequestInput(
            source=RequestSource.DELIVERIES,
            invoice_type=InvoiceType.E_SPECIAL,
            delivery_ids=(second.pk,),
            requested_on=ON,
        ),
        actor=clerk,
    )
    assert both.lines.get().quantity == D(6)
    assert both.gross_amount == D("678.00")


def test_request_from_deliveries_of_two_orders_is_refused(delivery_books, clerk):
    customer = invoicing_customer()
    _order, first, _second = goods_order_in_two_deliveries(actor=clerk, customer=customer)
    _other, third, _fourth = goods_order_in_two_deliveries(actor=clerk, customer=customer)
    with pytest.raises(RequestInvalid) as excinfo:
        request_create(
            data=RequestInput(
                source=RequestSource.DELIVERIES,
                invoice_type=InvoiceType.E_SPECIAL,
                delivery_ids=(first.pk, third.pk),
                requested_on=ON,
            ),
            actor=clerk,
        )
    assert "delivery_ids" in _fields(excinfo)
    assert not InvoiceRequest.objects.exists()


def test_request_from_instalment_is_held_to_what_remains_of_it(delivery_books, clerk):
    instalment = contract_instalment(amount="10000.00")
    first = _instalment_request(instalment, clerk, _typed("6000.00"))
    assert first.customer == instalment.contract.customer
    assert first.gross_amount == D("6000.00")
    assert first.net_amount == D("5660.38")
    assert first.lines.get().vat_rate == D("0.06")
    assert instalment_requestable(instalment) == D("4000.00")
    with pytest.raises(RequestExceedsInstalment):
        _instalment_request(instalment, clerk, _typed("4000.01"))
    rest = _instalment_request(instalment, clerk, _typed("3000.00"), _typed("1000.00"))
    assert rest.lines.count() == 2
    assert instalment_requestable(instalment) == 0
    # Cancelling gives the room back.
    request_cancel(request=first, actor=clerk)
    assert instalment_requestable(instalment) == D("6000.00")
    assert _instalment_request(instalment, clerk, _typed("6000.00")).gross_amount == D("6000")


def test_goods_are_capped_by_what_shipped_and_services_by_what_was_ordered(delivery_books, clerk):
    order = goods_and_service_order(actor=clerk, shipped="4")
    goods, service = order.lines.order_by("position")
    request = request_for(order, actor=clerk)
    quantities = {line.order_line_id: line.quantity for line in request.lines.all()}
    assert quantities == {goods.pk: D(4), service.pk: D(2)}
    request_cancel(request=request, actor=clerk)
    with pytest.raises(RequestExceedsOrder) as excinfo:
        request_for(
            order, actor=clerk, lines=(RequestLineInput(order_line_id=goods.pk, quantity=D(5)),)
        )
    assert "lines.0.quantity" in excinfo.value.fields
    with pytest.raises(RequestExceedsOrder):
        request_for(
            order, actor=clerk, lines=(RequestLineInput(order_line_id=service.pk, quantity=D(3)),)
        )
    assert not InvoiceRequest.objects.exclude(status=RequestStatus.CANCELLED).exists()


def test_cancel_frees_the_quantity(delivery_books, clerk):
    order = shipped_order(actor=clerk)
    line = order.lines.get()
    request = request_for(order, actor=clerk)
    with pytest.raises(RequestExceedsOrder):
        request_for(
            order, actor=clerk, lines=(RequestLineInput(order_line_id=line.pk, quantity=D(1)),)
        )
    cancelled = request_cancel(request=request, actor=clerk)
    assert cancelled.status == RequestStatus.CANCELLED
    again = request_for(order, actor=clerk)
    assert again.lines.get().quantity == D(10)
    with pytest.raises(RequestNotInStatus):
        request_cancel(request=cancelled, actor=clerk)


def test_another_salespersons_order_answers_404(delivery_books, clerk, seller):
    order = shipped_order(actor=clerk)  # the customer belongs to someone else
    with pytest.raises(Http404):
        request_for(order, actor=seller)
    own = shipped_order(actor=clerk, owner=seller)
    assert request_for(own, actor=seller).requested_by == seller


# --- the buyer ------------------------------------------------------------------------------


def test_special_invoice_needs_a_valid_taxpayer_number(delivery_books, clerk):
    order = _without_number(shipped_order(actor=clerk))
    with pytest.raises(RequestInvalid) as excinfo:
        request_for(order, actor=clerk)
    assert "buyer_tax_number" in _fields(excinfo)
    with pytest.raises(RequestInvalid) as excinfo:
        request_create(
            data=RequestInput(
                source=RequestSource.ORDER,
                invoice_type=InvoiceType.E_SPECIAL,
                order_id=order.pk,
                buyer=BuyerInput(tax_number="91350100M000100Y44"),
                requested_on=ON,
            ),
            actor=clerk,
        )
    assert "not a valid taxpayer number" in _fields(excinfo)["buyer_tax_number"][0]
    made = request_create(
        data=RequestInput(
            source=RequestSource.ORDER,
            invoice_type=InvoiceType.E_SPECIAL,
            order_id=order.pk,
            buyer=BuyerInput(tax_number="91350100m000100y43", name="改过的抬头有限公司"),
            requested_on=ON,
        ),
        actor=clerk,
    )
    assert (made.buyer_tax_number, made.buyer_name) == ("91350100M000100Y43", "改过的抬头有限公司")


def test_ordinary_invoice_to_an_enterprise_needs_a_number_a_person_does_not(delivery_books, clerk):
    order = _without_number(shipped_order(actor=clerk))
    with pytest.raises(RequestInvalid) as excinfo:
        request_for(order, actor=clerk, invoice_type=InvoiceType.E_NORMAL)
    assert "buyer_tax_number" in _fields(excinfo)
    person = request_create(
        data=RequestInput(
            source=RequestSource.ORDER,
            invoice_type=InvoiceType.E_NORMAL,
            order_id=order.pk,
            buyer=BuyerInput(name="张三丰", is_person=True),
            requested_on=ON,
        ),
        actor=clerk,
    )
    assert person.buyer_is_person and person.buyer_tax_number == ""
    with pytest.raises(RequestInvalid) as excinfo:
        request_update(
            request=person,
            data=RequestInput(
                source=RequestSource.ORDER,
                invoice_type=InvoiceType.E_SPECIAL,
                buyer=BuyerInput(name="张三丰", is_person=True, tax_number="91350100M000100Y43"),
                lines=(RequestLineInput(order_line_id=order.lines.get().pk, quantity=D(10)),),
            ),
            actor=clerk,
        )
    assert "buyer_is_person" in _fields(excinfo)


# --- the lines ------------------------------------------------------------------------------


def test_tax_code_must_be_nineteen_digits(delivery_books, clerk):
    instalment = contract_instalment()
    with pytest.raises(RequestInvalid) as excinfo:
        _instalment_request(instalment, clerk, _typed("100.00", tax_code="304020100"))
    assert "lines.0.tax_code" in _fields(excinfo)
    assert not InvoiceRequest.objects.exists()


def test_unknown_rate_is_refused(delivery_books, clerk):
    instalment = contract_instalment()
    with pytest.raises(RequestInvalid) as excinfo:
        _instalment_request(instalment, clerk, _typed("100.00"), _typed("100.00", vat_rate_key="7"))
    assert "lines.1.vat_rate_key" in _fields(excinfo)


def test_an_invoice_carries_at_most_the_line_limit(delivery_books, clerk):
    instalment = contract_instalment(amount="9999999.00")
    lines = [_typed("1.00") for _ in range(LINE_LIMIT + 1)]
    with pytest.raises(RequestInvalid) as excinfo:
        _instalment_request(instalment, clerk, *lines)
    assert str(LINE_LIMIT) in _fields(excinfo)["lines"][0]
    assert not InvoiceRequest.objects.exists()


# --- review ---------------------------------------------------------------------------------


def test_reject_needs_a_reason_and_an_update_sends_it_back_to_pending(
    delivery_books, clerk, approver
):
    order = shipped_order(actor=clerk)
    line = order.lines.get()
    request = request_for(order, actor=clerk)
    with pytest.raises(RequestInvalid) as excinfo:
        request_reject(request=request, reason="   ", actor=approver)
    assert "reason" in _fields(excinfo)
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    rejected = request_reject(request=request, reason="抬头写错了", actor=approver)
    assert (rejected.status, rejected.reject_reason, rejected.reviewed_by) == (
        RequestStatus.REJECTED,
        "抬头写错了",
        approver,
    )
    updated = request_update(
        request=rejected,
        data=RequestInput(
            source=RequestSource.ORDER,
            invoice_type=InvoiceType.E_SPECIAL,
            buyer=BuyerInput(name="正确抬头有限公司"),
            lines=(RequestLineInput(order_line_id=line.pk, quantity=D(6)),),
        ),
        actor=clerk,
    )
    assert updated.status == RequestStatus.PENDING
    assert (updated.reject_reason, updated.reviewed_by) == ("", None)
    assert updated.buyer_name == "正确抬头有限公司"
    assert updated.lines.get().quantity == D(6)
    assert updated.gross_amount == D("678.00")
    # Its own quantity was given back while it changed; the rest stays requestable.
    assert request_for(order, actor=clerk).lines.get().quantity == D(4)


def test_a_user_without_the_permission_cannot_reject(delivery_books, clerk, seller):
    from suanpan.core.errors import PermissionDeniedError

    order = shipped_order(actor=clerk, owner=seller)
    request = request_for(order, actor=seller)
    with pytest.raises(PermissionDeniedError):
        request_reject(request=request, reason="no", actor=UserFactory(role="sales"))
