"""Goods receipt pages: list, create and edit with a line grid, detail, post and cancel."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from suanpan.inventory.choices import StockDocumentStatus
from suanpan.inventory.forms.lines import ReceiptLineFormSet
from suanpan.inventory.forms.receipts import GoodsReceiptForm
from suanpan.inventory.models import GoodsReceipt
from suanpan.inventory.selectors import receipts as selectors
from suanpan.inventory.services import receipts as services
from suanpan.inventory.services.receipts import ReceiptLineInput
from suanpan.inventory.views.documents import (
    Confirmation,
    DocumentPages,
    document_action,
    document_create,
    document_detail,
    document_edit,
    document_list,
)
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest
from suanpan.users.models import User

if TYPE_CHECKING:
    from suanpan.catalog.models import Product

LIST_COLUMNS = [
    ("number", gettext_lazy("Number")),
    ("date", gettext_lazy("Receipt date")),
    ("supplier", gettext_lazy("Supplier")),
    ("warehouse", gettext_lazy("Warehouse")),
    ("status", gettext_lazy("Status")),
    ("total", gettext_lazy("Total cost"), "text-end"),
]


def _confirmation(receipt: GoodsReceipt, action: str) -> Confirmation | None:
    allowed = (
        [StockDocumentStatus.DRAFT]
        if action == "post"
        else [StockDocumentStatus.DRAFT, StockDocumentStatus.POSTED]
    )
    if receipt.status not in allowed:
        return None
    if action == "post":
        return Confirmation(
            title=_("Post goods receipt %(number)s?") % {"number": receipt.number},
            explanation=_(
                "The goods come into stock in %(warehouse)s at their line costs, and %(total)s "
                "is booked to inventory against accounts payable. A posted receipt can only be "
                "cancelled while its goods are still on hand."
            )
            % {"warehouse": receipt.warehouse.name, "total": f"{receipt.total_amount:,.2f}"},
            button=pgettext("stock document", "Post"),
        )
    if receipt.status == StockDocumentStatus.POSTED:
        return Confirmation(
            title=_("Cancel posted goods receipt %(number)s?") % {"number": receipt.number},
            explanation=_(
                "The goods go out of stock again at today's moving-average cost and a red "
                "voucher reverses the booking; any difference from the receipt cost goes to "
                "stock gains and losses pending. This is refused if the goods are no longer on "
                "hand."
            ),
            button=_("Cancel receipt"),
        )
    return Confirmation(
        title=_("Cancel draft goods receipt %(number)s?") % {"number": receipt.number},
        explanation=_("The draft is kept, marked cancelled; nothing was in stock or booked."),
        button=_("Cancel receipt"),
    )


def _act(user: User, receipt: GoodsReceipt, action: str) -> str:
    if action == "post":
        services.receipt_post(actor=user, receipt=receipt)
        return _("%(number)s posted: the goods are in stock and booked.") % {
            "number": receipt.number
        }
    services.receipt_cancel(actor=user, receipt=receipt)
    return _("%(number)s cancelled.") % {"number": receipt.number}


def _line_input(product: Product, quantity: Decimal, unit_cost: Decimal | None) -> ReceiptLineInput:
    return ReceiptLineInput(
        product=product,
        quantity=quantity,
        unit_cost=unit_cost if unit_cost is not None else Decimal(0),
    )


PAGES = DocumentPages(
    name="receipt",
    subnav="receipts",
    title=lambda: _("Goods receipts"),
    new_title=lambda: _("New goods receipt"),
    document_name=lambda: _("Goods receipt"),
    list_columns=LIST_COLUMNS,
    list_read=selectors.receipt_list,
    get=selectors.receipt_get,
    vouchers=lambda receipt: selectors.receipt_vouchers(receipt=receipt),
    confirmation=_confirmation,
    act=_act,
    form_class=GoodsReceiptForm,
    formset_class=ReceiptLineFormSet,
    date_field="received_on",
    line_input=_line_input,
    create=services.receipt_create,
    update=lambda user, receipt, data, lines: services.receipt_update(
        actor=user, receipt=receipt, data=data, lines=lines
    ),
    created=lambda receipt: (
        _("Goods receipt %(number)s saved as a draft.") % {"number": receipt.number}
    ),
)


@page_permission("inventory.view_goodsreceipt")
def receipt_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return document_list(PAGES, request)


@page_permission("inventory.view_goodsreceipt")
def receipt_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return document_detail(PAGES, request, pk)


@page_permission("inventory.add_goodsreceipt")
def receipt_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return document_create(PAGES, request)


@page_permission("inventory.change_goodsreceipt")
def receipt_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return document_edit(PAGES, request, pk)


@page_permission("inventory.change_goodsreceipt")
def receipt_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return document_action(PAGES, request, pk, action="post")


@page_permission("inventory.change_goodsreceipt")
def receipt_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return document_action(PAGES, request, pk, action="cancel")
