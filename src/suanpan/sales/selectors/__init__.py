"""Every read of the sales app, one module per document, scoped by the user asking.

What other apps may call (the app's public face) is re-exported here: the customer page's tabs
and the order list (its capped count is `core.listing.count_capped`).
"""

from suanpan.sales.selectors.billing import (
    contract_instalments,
    contract_order_ids,
    contract_tax_category,
    instalment_for_invoicing,
    instalment_visible,
    instalments_due,
    order_for_invoicing,
)
from suanpan.sales.selectors.contracts import contract_get, contracts_tab_context
from suanpan.sales.selectors.opportunities import customer_tab_context as opportunities_tab_context
from suanpan.sales.selectors.orders import customer_tab_context as orders_tab_context
from suanpan.sales.selectors.orders import order_list
from suanpan.sales.selectors.quotes import quotes_tab_context
from suanpan.sales.selectors.shipments import (
    order_for_delivery,
    order_lines_by_id,
    order_with_customer,
)

__all__ = [
    "contract_get",
    "contract_instalments",
    "contract_order_ids",
    "contract_tax_category",
    "contracts_tab_context",
    "instalment_for_invoicing",
    "instalment_visible",
    "instalments_due",
    "opportunities_tab_context",
    "order_for_delivery",
    "order_for_invoicing",
    "order_lines_by_id",
    "order_list",
    "order_with_customer",
    "orders_tab_context",
    "quotes_tab_context",
]
