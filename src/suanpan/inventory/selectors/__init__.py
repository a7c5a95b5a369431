"""Every read of the inventory app, one module per area (CONVENTIONS.md `selectors.py`, split).

What other apps may call is re-exported here: the customer page's deliveries tab.
"""

from suanpan.inventory.selectors.deliveries import customer_deliveries, customer_returns

__all__ = ["customer_deliveries", "customer_returns"]
