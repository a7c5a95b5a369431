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

LEDGER_BOOKKEEPING = [
    "ledger.view_account",
    "ledger.view_voucher",
    "ledger.add_voucher",
    "ledger.change_voucher",
    "ledger.delete_voucher",
    "ledger.review_voucher",
    "ledger.post_voucher",
    "ledger.reverse_voucher",
    "ledger.view_ledger_reports",
    "ledger.match_open_items",
    "ledger.view_period",
]
LEDGER_MANAGEMENT = [
    *LEDGER_BOOKKEEPING,
    "ledger.add_account",
    "ledger.change_account",
    "ledger.delete_account",
    "ledger.add_company",
    "ledger.change_company",
    "ledger.view_company",
    "ledger.close_period",
    "ledger.reopen_period",
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
        *LEDGER_MANAGEMENT,
    ],
    Role.ACCOUNTANT: [
        *CUSTOMER_READ,
        "customers.change_customer",
        "customers.view_all_customers",
        "customers.export_customer",
        *LEDGER_BOOKKEEPING,
        "ledger.add_account",
        "ledger.close_period",
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
