"""Stock on hand (the inventory home page), its xlsx export, and a product's stock ledger."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suanpan.core.listing import list_render, paginate
from suanpan.core.sorting import sort_headers
from suanpan.core.transfer_pages import stamped, xlsx_response
from suanpan.inventory.models import StockMove
from suanpan.inventory.selectors import stock as selectors
from suanpan.inventory.selectors.warehouses import warehouse_choices
from suanpan.users.decorators import page_permission
from suanpan.users.http import AuthenticatedHttpRequest

LIST_COLUMNS = [
    ("product", gettext_lazy("Product code")),
    ("name", gettext_lazy("Product")),
    (None, gettext_lazy("Unit")),
    ("warehouse", gettext_lazy("Warehouse")),
    ("quantity", gettext_lazy("On hand"), "text-end"),
    ("unit_cost", gettext_lazy("Unit cost (moving average)"), "text-end"),
    ("value", gettext_lazy("Stock value"), "text-end"),
]

# The stock ledger links each move to its document; documents of areas not installed link
# nowhere.
DOCUMENT_URLS = {
    "inventory.goodsreceipt": "inventory:receipt_detail",
    "inventory.stockadjustment": "inventory:adjustment_detail",
    "inventory.delivery": "inventory:delivery_detail",
    "inventory.deliveryreturn": "inventory:return_detail",
}


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Inventory"), reverse("inventory:home")), *items]


@page_permission("inventory.view_stocklevel")
def stock_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset, filterset = selectors.stock_list(user=request.user, filters=request.GET)
    context: dict[str, Any] = {
        "filter": filterset,
        "columns": sort_headers(request, LIST_COLUMNS),
        "breadcrumbs": _crumbs((_("Stock on hand"), None)),
        "subnav": "stock",
        "totals": selectors.stock_totals(queryset),
        "filtered": any(request.GET.get(n) for n in ("q", "warehouse", "nonzero", "product")),
        **paginate(request, queryset),
    }
    context["rows"] = selectors.stock_rows_value(context["page_obj"].object_list)
    return list_render(request, "inventory/stock/stock_list.html", context)


EXPORT_HEADER = [
    gettext_lazy("Product code"),
    gettext_lazy("Product"),
    gettext_lazy("Specification"),
    gettext_lazy("Unit"),
    gettext_lazy("Warehouse code"),
    gettext_lazy("Warehouse"),
    gettext_lazy("On hand"),
    gettext_lazy("Unit cost (moving average)"),
    gettext_lazy("Stock value"),
]


@page_permission("inventory.view_stocklevel")
def stock_export(request: AuthenticatedHttpRequest) -> FileResponse:
    """Stock on hand as on the page (same filters and sort) as xlsx, every row."""
    queryset, _filter = selectors.stock_list(user=request.user, filters=request.GET)

    def rows() -> Any:
        # Valued a chunk at a time, so the export never holds the whole list.
        chunk: list[Any] = []
        for level in queryset.iterator(chunk_size=2000):
            chunk.append(level)
            if len(chunk) == 2000:
                yield from _export_rows(chunk)
                chunk = []
        yield from _export_rows(chunk)

    return xlsx_response(
        filename=stamped("stock"),
        title=_("Stock on hand"),
        header=[str(h) for h in EXPORT_HEADER],
        rows=rows(),
    )


def _export_rows(levels: list[Any]) -> Any:
    for level in selectors.stock_rows_value(levels):
        product = level.product
        yield [
            product.code,
            product.name,
            product.specification,
            product.unit,
            level.warehouse.code,
            level.warehouse.name,
            level.quantity,
            getattr(level, "unit_cost", None),
            getattr(level, "value_amount", None),
        ]


def document_url(move: StockMove) -> str | None:
    name = DOCUMENT_URLS.get(move.source_type)
    if not name:
        return None
    try:
        return reverse(name, args=[move.source_id])
    except NoReverseMatch:
        return None


@page_permission("inventory.view_stocklevel")
def stock_ledger(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    ledger = selectors.stock_ledger(user=request.user, product_pk=pk, filters=request.GET)
    pages = paginate(request, ledger.moves)
    rows = ledger.with_balances(pages["page_obj"].object_list)
    for move in rows:
        move.document_url = document_url(move)  # type: ignore[attr-defined]
    product = ledger.product
    context: dict[str, Any] = {
        "ledger": ledger,
        "product": product,
        "filter": ledger.filterset,
        "rows": rows,
        "warehouses": warehouse_choices(),
        "breadcrumbs": _crumbs(
            (_("Stock on hand"), reverse("inventory:home")),
            (_("Stock ledger of %(product)s") % {"product": product.name}, None),
        ),
        "subnav": "stock",
        **pages,
    }
    return render(request, "inventory/stock/stock_ledger.html", context)
