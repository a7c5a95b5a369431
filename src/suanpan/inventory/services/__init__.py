"""Every write of the inventory app, one module per document; `stock` holds the primitives
that every document uses to move goods, `documents` the steps goods receipts and stock
adjustments share (CONVENTIONS.md `services.py`, split by document).

What other apps (the demo data, the CLI) may call is re-exported here; the rest stays inside.
"""

from suanpan.inventory.services.deliveries import (
    DeliveryLineInput,
    delivery_create,
    delivery_ship,
    delivery_sign,
)
from suanpan.inventory.services.receipts import ReceiptLineInput, receipt_create, receipt_post
from suanpan.inventory.services.returns import ReturnLineInput, return_create
from suanpan.inventory.services.warehouses import warehouse_create

__all__ = [
    "DeliveryLineInput",
    "ReceiptLineInput",
    "ReturnLineInput",
    "delivery_create",
    "delivery_ship",
    "delivery_sign",
    "receipt_create",
    "receipt_post",
    "return_create",
    "warehouse_create",
]
