"""Every write of the sales app, one module per document: opportunities, quotes, contracts,
orders, shipments (what deliveries and returns change on order lines), the priced lines they
share, and the quote PDF.

What other apps may call (the app's public face) is re-exported here; the modules themselves
stay importable (`from suanpan.sales.services import orders`) for the sales app's own pages.
"""

from suanpan.sales.services.billing import (
    order_lines_invoice,
    order_lines_lock_for_invoicing,
    order_lines_uninvoice,
    orders_lock_for_invoicing,
)
from suanpan.sales.services.contracts import InstalmentInput
from suanpan.sales.services.lines import LineInput
from suanpan.sales.services.order_batches import order_bulk_create
from suanpan.sales.services.orders import OrderInput
from suanpan.sales.services.shipments import order_lines_ship, order_lines_unship

__all__ = [
    "InstalmentInput",
    "LineInput",
    "OrderInput",
    "order_bulk_create",
    "order_lines_invoice",
    "order_lines_lock_for_invoicing",
    "order_lines_ship",
    "order_lines_uninvoice",
    "order_lines_unship",
    "orders_lock_for_invoicing",
]
