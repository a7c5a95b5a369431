"""Invoice request pages: the list and its tabs, raising a request from an order, deliveries
or an instalment, review, edit, cancel and recording the invoice number; who sees what."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from suanpan.invoicing.choices import InvoiceType, RequestStatus
from suanpan.invoicing.models import Invoice, InvoiceRequest
from suanpan.invoicing.services import RequestLineInput, request_approve, request_reject
from tests.factories import ProductFactory, TaxCategoryFactory
from tests.invoicing.requests_support import (
    SERVICE_CODE,
    contract_instalment,
    goods_order_in_two_deliveries,
)
from tests.invoicing.support import ON, invoice_number, request_for, shipped_order

pytestmark = pytest.mark.django_db
D = Decimal
CREATE = "invoicing:request_create"


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _form_data(response: Any, **changes: Any) -> dict[str, Any]:
    """What the page's form posts when sent as shown, with `changes`."""
    data: dict[str, Any] = {}
    forms = [response.context["form"]]
    formset = response.context.get("formset")
    if formset is not None:
        forms.extend(formset.forms)
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _detail(invoice_request: InvoiceRequest) -> str:
    return reverse("invoicing:request_detail", args=[invoice_request.pk])


# --- raising a request ----------------------------------------------------------------------


def test_create_from_order_prefills_requestable_quantities_and_the_buyer(
    client: Client, delivery_books, clerk, seller
):
    order = shipped_order(actor=clerk, owner=seller)
    line = order.lines.get()
    request_for(order, actor=clerk, lines=(RequestLineInput(order_line_id=line.pk, quantity=D(3)),))
    client.force_login(seller)
    url = reverse(CREATE) + f"?order={order.pk}"

    page = client.get(url)

    assert page.status_code == 200
    form = page.context["form"]
    assert D(form[f"line_{line.pk}"].value()) == D(7)
    assert form["buyer_name"].value() == "测试客户有限公司"
    assert form["buyer_tax_number"].value() == "91350100M000100Y43"
    row = form.line_rows()[0][0]
    assert (row.ordered, row.shipped, row.held, row.requestable) == (D(10), D(10), D(3), D(7))

    too_much = client.post(url, _form_data(page, **{f"line_{line.pk}": "8", "order": order.pk}))
    assert too_much.status_code == 200
    assert too_much.context["form"].errors[f"line_{line.pk}"]
    assert InvoiceRequest.objects.count() == 1

    made = client.post(url, _form_data(page, **{f"line_{line.pk}": "5", "order": order.pk}))
    created = InvoiceRequest.objects.latest("pk")
    assert made.status_code == 302 and made["Location"] == _detail(created)
    assert created.lines.get().quantity == D(5)
    assert created.requested_by == seller
    assert created.status == RequestStatus.PENDING


def test_create_shows_the_buyer_errors_by_their_fields(
    client: Client, delivery_books, clerk, seller
):
    order = shipped_order(actor=clerk, owner=seller)
    client.force_login(seller)
    url = reverse(CREATE) + f"?order={order.pk}"
    page = client.get(url)

    response = client.post(
        url,
        _form_data(
            page,
            order=order.pk,
            buyer_tax_number="12345",
            invoice_type=InvoiceType.E_SPECIAL,
        ),
    )

    assert response.status_code == 200
    assert "buyer_tax_number" in response.context["form"].errors
    assert not InvoiceRequest.objects.exists()


def test_create_from_deliveries(client: Client, delivery_books, clerk):
    order, first, _second = goods_order_in_two_deliveries(actor=clerk)
    client.force_login(clerk)
    url = reverse(CREATE) + f"?deliveries={first.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert first.number in page.text
    assert page.context["source"]["delivered"] == {order.lines.get().pk: D(4)}

    response = client.post(url, _form_data(page, deliveries=str(first.pk)))

    created = InvoiceRequest.objects.get()
    assert response.status_code == 302
    assert (created.order_id, created.delivery_numbers) == (order.pk, first.number)
    assert created.lines.get().quantity == D(4)


def test_create_from_instalment_prefills_one_line_for_what_remains(
    client: Client, delivery_books, clerk
):
    category = TaxCategoryFactory(code=SERVICE_CODE, name="信息技术服务", vat_rate_key="6")
    instalment = contract_instalment(
        amount="5000.00", with_order_of=ProductFactory(kind="service", tax_category=category)
    )
    client.force_login(clerk)
    url = reverse(CREATE) + f"?instalment={instalment.pk}"

    page = client.get(url)

    assert page.status_code == 200
    first = page.context["formset"].forms[0]
    assert first["tax_code"].value() == SERVICE_CODE
    assert first["vat_rate_key"].value() == "6"
    assert D(first["amount"].value()) == D("5000.00")
    data = _form_data(page, instalment=instalment.pk)
    data["lines-0-amount"] = "2000.00"
    response = client.post(url, data)
    created = InvoiceRequest.objects.get()
    assert response.status_code == 302
    assert (created.instalment_id, created.gross_amount) == (instalment.pk, D("2000.00"))
    assert created.lines.get().tax_code == SERVICE_CODE

    # What is left now starts the next one; asking for more shows by the field.
    again = client.get(url)
    assert D(again.context["formset"].forms[0]["amount"].value()) == D("3000.00")
    data = _form_data(again, instalment=instalment.pk)
    data["lines-0-tax_code"] = "123"
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert refused.context["formset"].filled_forms()[0].errors["tax_code"]


def test_create_without_a_source_answers_404(client: Client, clerk):
    client.force_login(clerk)
    assert client.get(reverse(CREATE)).status_code == 404


# --- list and detail ------------------------------------------------------------------------


def test_list_puts_pending_first_for_an_approver_and_filters(
    client: Client, delivery_books, clerk, approver
):
    order = shipped_order(actor=clerk, lines=[("10", "113.00"), ("5", "50.00")])
    first_line, second_line = order.lines.order_by("position")
    rejected = request_for(
        order, actor=clerk, lines=(RequestLineInput(order_line_id=first_line.pk),)
    )
    request_reject(request=rejected, reason="重开", actor=approver)
    pending = request_for(
        order, actor=clerk, lines=(RequestLineInput(order_line_id=second_line.pk),)
    )
    client.force_login(approver)

    page = client.get(reverse("invoicing:home"))

    assert page.status_code == 200
    rows = list(page.context["page_obj"].object_list)
    assert rows[0] == pending
    tabs = page.context["tabs"]
    assert tabs[1]["label"] == RequestStatus.PENDING.label and tabs[1]["count"] == 1
    assert tabs[0]["count"] == 2
    only = client.get(reverse("invoicing:home") + "?status=rejected")
    assert list(only.context["page_obj"].object_list) == [rejected]
    found = client.get(reverse("invoicing:home") + f"?q={order.number}", HTTP_HX_REQUEST="true")
    assert 'id="results"' in found.text and "<html" not in found.text
    assert client.get(reverse("invoicing:home") + "?q=nothing-like-it").context["filtered"]


def test_another_salesperson_sees_neither_list_row_nor_detail(
    client: Client, delivery_books, clerk, seller
):
    request = request_for(shipped_order(actor=clerk), actor=clerk)
    client.force_login(seller)
    assert request.number not in client.get(reverse("invoicing:home")).text
    assert client.get(_detail(request)).status_code == 404
    assert client.get(reverse(CREATE) + f"?order={request.order_id}").status_code == 404


def test_detail_shows_lines_totals_and_review_actions_to_another_accountant(
    client: Client, delivery_books, clerk, approver
):
    request = request_for(shipped_order(actor=clerk), actor=clerk)
    client.force_login(clerk)
    own = client.get(_detail(request))
    assert own.status_code == 200
    assert own.context["own_pending"] and not own.context["can_review"]
    assert "1,130.00" in own.text
    assert reverse("invoicing:request_approve", args=[request.pk]) not in own.text

    client.force_login(approver)
    page = client.get(_detail(request))
    assert page.context["can_review"]
    assert reverse("invoicing:request_approve", args=[request.pk]) in page.text
    approved = client.post(reverse("invoicing:request_approve", args=[request.pk]))
    assert approved.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.reviewed_by) == (RequestStatus.APPROVED, approver)


def test_maker_approving_own_request_is_refused_with_a_message(
    client: Client, delivery_books, clerk
):
    request = request_for(shipped_order(actor=clerk), actor=clerk)
    client.force_login(clerk)
    response = client.post(reverse("invoicing:request_approve", args=[request.pk]))
    assert response.status_code == 302
    assert any(request.number in m for m in _messages(response))
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_reject_needs_a_reason_then_edit_sends_it_back(
    client: Client, delivery_books, clerk, approver
):
    request = request_for(shipped_order(actor=clerk), actor=clerk)
    client.force_login(approver)
    url = reverse("invoicing:request_reject", args=[request.pk])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and empty.context["form"].errors["reason"]
    done = client.post(url, {"reason": "税号有误"})
    assert done.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.reject_reason) == (RequestStatus.REJECTED, "税号有误")
    assert "税号有误" in client.get(_detail(request)).text

    client.force_login(clerk)
    edit_url = reverse("invoicing:request_edit", args=[request.pk])
    page = client.get(edit_url)
    line = request.lines.get()
    assert D(page.context["form"][f"line_{line.order_line_id}"].value()) == D(10)
    saved = client.post(
        edit_url, _form_data(page, **{f"line_{line.order_line_id}": "6", "remarks": "改"})
    )
    assert saved.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.remarks, request.reject_reason) == (
        RequestStatus.PENDING,
        "改",
        "",
    )
    assert request.lines.get().quantity == D(6)


def test_cancel_then_nothing_more_to_do(client: Client, delivery_books, clerk):
    request = request_for(shipped_order(actor=clerk), actor=clerk)
    client.force_login(clerk)
    page = client.get(_detail(request))
    assert "data-confirm" in page.text
    response = client.post(reverse("invoicing:request_cancel", args=[request.pk]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.CANCELLED
    after = client.get(_detail(request))
    assert not after.context["can_cancel"] and not after.context["can_edit"]
    assert client.get(reverse("invoicing:request_edit", args=[request.pk])).status_code == 302


def test_record_invoice_number_issues_the_request(client: Client, delivery_books, clerk, approver):
    request = request_for(shipped_order(actor=clerk), actor=clerk)
    request_approve(request=request, actor=approver)
    client.force_login(approver)
    url = reverse("invoicing:request_issue", args=[request.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"number": "123", "issued_on": ON.isoformat()})
    assert bad.status_code == 200 and bad.context["form"].errors
    number = invoice_number()
    done = client.post(url, {"number": number, "issued_on": ON.isoformat(), "drawer": "李会计"})
    assert done.status_code == 302
    invoice = Invoice.objects.get(request=request)
    assert (invoice.number, invoice.drawer, invoice.gross_amount) == (
        number,
        "李会计",
        D("1130.00"),
    )
    detail = client.get(_detail(request))
    assert detail.context["invoice"] == invoice and number in detail.text


def test_seller_cannot_record_an_invoice(client: Client, delivery_books, clerk, seller):
    request = request_for(shipped_order(actor=clerk, owner=seller), actor=clerk)
    client.force_login(seller)
    assert client.get(reverse("invoicing:request_issue", args=[request.pk])).status_code == 403


# --- buttons on other apps' pages -----------------------------------------------------------


def test_request_buttons_on_order_delivery_and_contract_pages(
    client: Client, delivery_books, clerk, seller
):
    order, first, _second = goods_order_in_two_deliveries(actor=clerk)
    instalment = contract_instalment(customer=order.customer)
    client.force_login(clerk)
    create = reverse(CREATE)
    order_page = client.get(reverse("sales:order_detail", args=[order.pk]))
    assert f"{create}?order={order.pk}" in order_page.text
    delivery_page = client.get(reverse("inventory:delivery_detail", args=[first.pk]))
    assert f"{create}?deliveries={first.pk}" in delivery_page.text
    contract_page = client.get(reverse("sales:contract_detail", args=[instalment.contract_id]))
    assert f"{create}?instalment={instalment.pk}" in contract_page.text


def test_list_queries_do_not_grow_with_the_rows(client: Client, delivery_books, clerk, approver):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    order = shipped_order(actor=clerk, lines=[("10", "113.00"), ("5", "50.00"), ("2", "9.00")])
    lines = list(order.lines.order_by("position"))
    request_for(order, actor=clerk, lines=(RequestLineInput(order_line_id=lines[0].pk),))
    client.force_login(approver)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("invoicing:home")).status_code == 200
    for line in lines[1:]:
        request_for(order, actor=clerk, lines=(RequestLineInput(order_line_id=line.pk),))
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("invoicing:home"))
    assert len(page.context["page_obj"].object_list) == 3
    assert len(three) == len(one)


def test_issue_and_reject_pages_of_a_request_not_ready_go_back_with_a_message(
    client: Client, delivery_books, clerk, approver
):
    request = request_for(shipped_order(actor=clerk), actor=clerk)
    client.force_login(approver)
    issue = client.get(reverse("invoicing:request_issue", args=[request.pk]))
    assert issue.status_code == 302 and issue["Location"] == _detail(request)
    assert any(request.number in m for m in _messages(issue))
    request_approve(request=request, actor=approver)
    reject = client.post(reverse("invoicing:request_reject", args=[request.pk]), {"reason": "x"})
    assert reject.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
