"""Every write to customers. Services check the actor's permissions, so UI, API and CLI agree.

The names below are the customers app's public face for writes: other apps (and the demo data)
call these; the modules behind them are one per document.
"""

from suanpan.customers.services.addresses import (
    ADDRESS_FIELDS,
    address_create,
    address_delete,
    address_update,
)
from suanpan.customers.services.contacts import (
    CONTACT_FIELDS,
    contact_create,
    contact_delete,
    contact_update,
)
from suanpan.customers.services.credit import customer_credit_hold, customer_credit_release
from suanpan.customers.services.customers import (
    CUSTOMER_SERIES,
    customer_bulk_create,
    customer_create,
    customer_deactivate,
    customer_delete,
    customer_identifiers_normalize,
    customer_owner_check,
    customer_reactivate,
    customer_update,
)
from suanpan.customers.services.followups import FOLLOWUP_FIELDS, followup_create
from suanpan.customers.services.merge import customer_merge
from suanpan.customers.services.search import customer_search_refresh

__all__ = [
    "ADDRESS_FIELDS",
    "CONTACT_FIELDS",
    "CUSTOMER_SERIES",
    "FOLLOWUP_FIELDS",
    "address_create",
    "address_delete",
    "address_update",
    "contact_create",
    "contact_delete",
    "contact_update",
    "customer_bulk_create",
    "customer_create",
    "customer_credit_hold",
    "customer_credit_release",
    "customer_deactivate",
    "customer_delete",
    "customer_identifiers_normalize",
    "customer_merge",
    "customer_owner_check",
    "customer_reactivate",
    "customer_search_refresh",
    "customer_update",
    "followup_create",
]
