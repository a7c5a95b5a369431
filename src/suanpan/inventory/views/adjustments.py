"""Stock adjustment pages: list, create and edit with a line grid, detail, post and cancel."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from suanpan.inventory.choices import StockDocumentStatus
from suanpan.inventory.forms.adjustments import StockAdjustmentForm
from suanpan.inventory.forms.lines import AdjustmentLineFormSet
from suanpan.inventory.models import StockAdjustment
from suanpan.inventory.selectors import adjustments as selectors
from suanpan.inventory.services import adjustments as services
from suanpan.inventory.services.adjustments import AdjustmentLineInput
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

LIST_COLUMNS = [
    ("number", gettext_lazy("Number")),
    ("date", gettext_lazy("Date")),
    ("warehouse", gettext_lazy("Warehouse")),
    (None, gettext_lazy("Reason")),
    (None, gettext_lazy("Lines")),
    ("status", gettext_lazy("Status")),
]


def _confirmation(adjustment: StockAdjustment, action: str) -> Confirmation | None:
    if adjustment.status != StockDocumentStatus.DRAFT:
        return None
    if action == "post":
        return Confirmation(
            title=_("Post stock adjustment %(number)s?") % {"number": adjustment.number},
            explanation=_(
                "Gains come into stock in %(warehouse)s (at their unit cost, or else at the "
                "moving average), losses go out at the moving average, and both are booked "
                "against stock gains and losses pending. A posted adjustment cannot be "
                "cancelled: correct it with another adjustment."
            )
            % {"warehouse": adjustment.warehouse.name},
            button=pgettext("stock document", "Post"),
        )
    return Confirmation(
        title=_("Cancel stock adjustment %(number)s?") % {"number": adjustment.number},
        explanation=_("The draft is kept, marked cancelled; nothing was in stock or booked."),
        button=_("Cancel adjustment"),
    )


def _act(user: User, adjustment: StockAdjustment, action: str) -> str:
    if action == "post":
        services.adjustment_post(actor=user, adjustment=adjustment)
        return _("%(number)s posted: stock adjusted and booked.") % {"number": adjustment.number}
    services.adjustment_cancel(actor=user, adjustment=adjustment)
    return _("%(number)s cancelled.") % {"number": adjustment.number}


PAGES = DocumentPages(
    name="adjustment",
    subnav="adjustments",
    title=lambda: _("Stock adjustments"),
    new_title=lambda: _("New stock adjustment"),
    document_name=lambda: _("Stock adjustment"),
    list_columns=LIST_COLUMNS,
    list_read=selectors.adjustment_list,
    get=selectors.adjustment_get,
    vouchers=lambda adjustment: selectors.adjustment_vouchers(adjustment=adjustment),
    confirmation=_confirmation,
    act=_act,
    form_class=StockAdjustmentForm,
    formset_class=AdjustmentLineFormSet,
    date_field="adjusted_on",
    line_input=AdjustmentLineInput,
    create=services.adjustment_create,
    update=lambda user, adjustment, data, lines: services.adjustment_update(
        actor=user, adjustment=adjustment, data=data, lines=lines
    ),
    created=lambda adjustment: (
        _("Stock adjustment %(number)s saved as a draft.") % {"number": adjustment.number}
    ),
)


@page_permission("inventory.view_stockadjustment")
def adjustment_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return document_list(PAGES, request)


@page_permission("inventory.view_stockadjustment")
def adjustment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return document_detail(PAGES, request, pk)


@page_permission("inventory.add_stockadjustment")
def adjustment_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    return document_create(PAGES, request)


@page_permission("inventory.change_stockadjustment")
def adjustment_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return document_edit(PAGES, request, pk)


@page_permission("inventory.change_stockadjustment")
def adjustment_post(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return document_action(PAGES, request, pk, action="post")


@page_permission("inventory.change_stockadjustment")
def adjustment_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return document_action(PAGES, request, pk, action="cancel")
