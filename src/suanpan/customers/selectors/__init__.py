"""Every read of customers, scoped by who is asking.

The names below are the customers app's public face for reads: other apps call
`customer_visible` / `customer_is_visible` to scope their documents by customer, and
`customer_get` / `customer_search` for pages and pickers.
"""

from suanpan.customers.selectors.contacts import (
    address_get,
    address_list,
    contact_get,
    contact_list,
    customer_delivery_address,
    customer_delivery_addresses,
)
from suanpan.customers.selectors.customers import (
    BALANCE_PERMISSION,
    customer_advance,
    customer_by_id,
    customer_by_number,
    customer_figures,
    customer_figures_visible,
    customer_get,
    customer_ids_matching,
    customer_is_visible,
    customer_label,
    customer_list,
    customer_list_page,
    customer_locked,
    customer_scoped,
    customer_search,
    customer_visible,
    customers_locked,
    customers_with_figures,
)
from suanpan.customers.selectors.followups import followup_due_list, followup_list
from suanpan.customers.selectors.history import customer_history
from suanpan.customers.selectors.owners import owner_choices, owner_get
from suanpan.customers.selectors.references import (
    customer_grades_by_number,
    customer_groups_by_number,
    customers_by_invoice_title,
    customers_by_reference,
    customers_for_letters,
)

__all__ = [
    "BALANCE_PERMISSION",
    "address_get",
    "address_list",
    "contact_get",
    "contact_list",
    "customer_advance",
    "customer_by_id",
    "customer_by_number",
    "customer_delivery_address",
    "customer_delivery_addresses",
    "customer_figures",
    "customer_figures_visible",
    "customer_get",
    "customer_grades_by_number",
    "customer_groups_by_number",
    "customer_history",
    "customer_ids_matching",
    "customer_is_visible",
    "customer_label",
    "customer_list",
    "customer_list_page",
    "customer_locked",
    "customer_scoped",
    "customer_search",
    "customer_visible",
    "customers_by_invoice_title",
    "customers_by_reference",
    "customers_for_letters",
    "customers_locked",
    "customers_with_figures",
    "followup_due_list",
    "followup_list",
    "owner_choices",
    "owner_get",
]
