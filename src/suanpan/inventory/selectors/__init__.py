"""Every read of the inventory app, one module per area (CONVENTIONS.md `selectors.py`, split).

What other apps may call is re-exported here: the customer page's deliveries tab.
"""

from suanpan.inventory.selectors.billing import (
    deliveries_for_invoicing,
    delivery_lines_returnable,
    order_lines_shipped_cost,
)
from suanpan.inventory.selectors.deliveries import customer_deliveries, customer_returns

__all__ = [
    "customer_deliveries",
    "customer_returns",
    "deliveries_for_invoicing",
    "delivery_lines_returnable",
    "order_lines_shipped_cost",
]
