"""Which permissions each built-in role holds.

Customer visibility: roles holding `customers.view_all_customers` see every customer; the others
see customers they own or that are shared with them.
"""

from __future__ import annotations

from suanpan.users.choices import Role

CUSTOMER_READ = ["customers.view_customer"]
CUSTOMER_EDIT = [
    "customers.add_customer",
    "customers.change_customer",
    "customers.add_contact",
    "customers.change_contact",
    "customers.delete_contact",
    "customers.add_address",
    "customers.change_address",
    "customers.delete_address",
    "customers.add_followup",
    "customers.change_followup",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMINISTRATOR: ["*"],
    Role.FINANCE_MANAGER: [
        *CUSTOMER_READ,
        *CUSTOMER_EDIT,
        "customers.view_all_customers",
        "customers.export_customer",
        "customers.import_customer",
        "customers.deactivate_customer",
    ],
    Role.ACCOUNTANT: [
        *CUSTOMER_READ,
        "customers.change_customer",
        "customers.view_all_customers",
        "customers.export_customer",
    ],
    Role.SALES_MANAGER: [
        *CUSTOMER_READ,
        *CUSTOMER_EDIT,
        "customers.view_all_customers",
        "customers.export_customer",
        "customers.import_customer",
        "customers.merge_customer",
        "customers.deactivate_customer",
        "customers.delete_customer",
    ],
    Role.SALES: [
        *CUSTOMER_READ,
        *CUSTOMER_EDIT,
        "customers.export_customer",
        "customers.deactivate_customer",
    ],
    Role.CUSTOMER_SERVICE: [
        *CUSTOMER_READ,
        "customers.view_all_customers",
        "customers.add_followup",
    ],
}
