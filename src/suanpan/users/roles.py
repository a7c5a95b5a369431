"""Which permissions each built-in role holds.

Customer visibility: roles holding `customers.view_all_customers` see every customer; the others
see customers they own or that are shared with them.
"""

from __future__ import annotations

from suanpan.users.choices import Role

CUSTOMER_READ = ["customers.view_customer"]
# What a customer owes (balance, overdue, days to pay) beside the customer, for the customers
# the user sees: salespeople chase their own customers' payments, so it is not tied to the
# ledger's permissions; a group without it sees customers without their figures.
CUSTOMER_BALANCE = ["customers.view_customer_balance"]
# The customer's record: its details (invoicing ones included), contacts and addresses.
CUSTOMER_RECORDS = [
    "customers.add_customer",
    "customers.change_customer",
    "customers.add_contact",
    "customers.change_contact",
    "customers.delete_contact",
    "customers.add_address",
    "customers.change_address",
    "customers.delete_address",
]
CUSTOMER_EDIT = [
    *CUSTOMER_RECORDS,
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
    # Month-end: the transfers (期末结转) run with the templates finance keeps.
    "ledger.view_transfertemplate",
    "ledger.run_transfer",
    # The statements' rows, the counter-account mapping and the items of cash lines are the
    # accountant's to adjust.
    "ledger.change_statementdefinition",
    "ledger.change_cashflowmapping",
    "ledger.change_cashflowtag",
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
    "ledger.add_transfertemplate",
    "ledger.change_transfertemplate",
    "ledger.delete_transfertemplate",
]

CATALOG_READ = ["catalog.view_product", "catalog.view_taxcategory"]
CATALOG_EDIT = [
    *CATALOG_READ,
    "catalog.add_product",
    "catalog.change_product",
    "catalog.import_product",
    "catalog.export_product",
]
CATALOG_MANAGEMENT = [*CATALOG_EDIT, "catalog.add_taxcategory", "catalog.change_taxcategory"]

# Sales documents follow customer visibility: a salesperson sees the documents of the
# customers they see (own and shared ones).
SALES_READ = [
    "sales.view_opportunity",
    "sales.view_quote",
    "sales.view_contract",
    "sales.view_salesorder",
]
SALES_EDIT = [
    *SALES_READ,
    "sales.add_opportunity",
    "sales.change_opportunity",
    "sales.delete_opportunity",
    "sales.add_quote",
    "sales.change_quote",
    "sales.add_contract",
    "sales.change_contract",
    "sales.add_salesorder",
    "sales.change_salesorder",
    "sales.confirm_salesorder",
]
SALES_MANAGEMENT = [*SALES_EDIT, "sales.view_all_opportunities", "sales.change_opportunitystage"]

INVENTORY_READ = [
    "inventory.view_warehouse",
    "inventory.view_stocklevel",
    "inventory.view_goodsreceipt",
    "inventory.view_stockadjustment",
    "inventory.view_delivery",
    "inventory.view_deliveryreturn",
]
INVENTORY_EDIT = [
    *INVENTORY_READ,
    "inventory.add_goodsreceipt",
    "inventory.change_goodsreceipt",
    "inventory.add_stockadjustment",
    "inventory.change_stockadjustment",
    "inventory.add_delivery",
    "inventory.change_delivery",
    "inventory.add_deliveryreturn",
]
INVENTORY_MANAGEMENT = [*INVENTORY_EDIT, "inventory.add_warehouse", "inventory.change_warehouse"]

# Sales raise invoice requests for the customers they see; accounting approves them, records
# what the tax platform issued, reverses in red and keeps the mailing register.
INVOICING_READ = [
    "invoicing.view_invoicerequest",
    "invoicing.view_invoice",
    "invoicing.view_redletterform",
    "invoicing.view_invoicemailing",
]
INVOICING_REQUEST = [
    *INVOICING_READ,
    "invoicing.add_invoicerequest",
    "invoicing.change_invoicerequest",
]
INVOICING_EDIT = [
    *INVOICING_REQUEST,
    "invoicing.approve_invoicerequest",
    "invoicing.issue_invoice",
    "invoicing.change_invoice",
    "invoicing.void_invoice",
    "invoicing.add_redletterform",
    "invoicing.change_redletterform",
    "invoicing.issue_redletter",
    "invoicing.add_invoicemailing",
    "invoicing.change_invoicemailing",
    "invoicing.view_invoicebatch",
    "invoicing.add_invoicebatch",
]
RECEIVABLES_READ = [
    "receivables.view_receipt",
    "receivables.view_settlement",
    "receivables.view_refund",
    "receivables.view_statement",
    "receivables.view_dunningletter",
    "receivables.view_paymentpromise",
    "receivables.view_collectiontask",
]
RECEIVABLES_EDIT = [
    *RECEIVABLES_READ,
    "receivables.add_receipt",
    "receivables.add_settlement",
    "receivables.undo_settlement",
    "receivables.view_bankaccount",
    "receivables.add_statementimport",
    "receivables.view_statementimport",
    "receivables.view_bankline",
    "receivables.add_planreminder",
    # Bad debts: accounting proposes write-offs, records recoveries and runs the month-end
    # provision with the rates management set.
    "receivables.view_provisionrate",
    "receivables.view_individualprovision",
    "receivables.view_provisionrun",
    "receivables.add_provisionrun",
    "receivables.view_writeoff",
    "receivables.add_writeoff",
    "receivables.view_recovery",
    "receivables.add_recovery",
    "receivables.add_statement",
    "receivables.change_statement",
    "receivables.view_dunninglevel",
    "receivables.run_dunning",
    "receivables.add_paymentpromise",
    "receivables.change_paymentpromise",
    "receivables.change_dunningprofile",
    "receivables.change_collectiontask",
]
RECEIVABLES_MANAGEMENT = [
    *RECEIVABLES_EDIT,
    "receivables.cancel_receipt",
    "receivables.add_refund",
    "receivables.cancel_refund",
    "receivables.add_bankaccount",
    "receivables.change_bankaccount",
    "receivables.change_receivablessettings",
    "receivables.change_provisionrate",
    "receivables.add_individualprovision",
    "receivables.change_individualprovision",
    "receivables.approve_writeoff",
    "receivables.add_dunninglevel",
    "receivables.change_dunninglevel",
]
INVOICING_MANAGEMENT = [*INVOICING_EDIT, "invoicing.change_invoicingsettings"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMINISTRATOR: ["*"],
    Role.FINANCE_MANAGER: [
        *CUSTOMER_READ,
        *CUSTOMER_BALANCE,
        *CUSTOMER_EDIT,
        "customers.view_all_customers",
        "customers.export_customer",
        "customers.import_customer",
        "customers.deactivate_customer",
        *LEDGER_MANAGEMENT,
        *CATALOG_MANAGEMENT,
        *SALES_READ,
        "sales.approve_credit",
        "customers.hold_customer_credit",
        *INVENTORY_MANAGEMENT,
        *INVOICING_MANAGEMENT,
        *RECEIVABLES_MANAGEMENT,
    ],
    Role.ACCOUNTANT: [
        *CUSTOMER_READ,
        *CUSTOMER_BALANCE,
        # In a small company accounting keeps the customers' invoicing details (tax number,
        # bank, invoice address), so it creates and edits customers; follow-ups stay with sales.
        *CUSTOMER_RECORDS,
        "customers.view_all_customers",
        "customers.export_customer",
        *LEDGER_BOOKKEEPING,
        "ledger.add_account",
        "ledger.add_transfertemplate",
        "ledger.close_period",
        *CATALOG_EDIT,
        *SALES_READ,
        *INVENTORY_EDIT,
        *INVOICING_EDIT,
        *RECEIVABLES_EDIT,
        "receivables.cancel_receipt",
        "receivables.add_refund",
        "receivables.cancel_refund",
        "customers.hold_customer_credit",
    ],
    Role.SALES_MANAGER: [
        *CUSTOMER_READ,
        *CUSTOMER_BALANCE,
        *CUSTOMER_EDIT,
        "customers.view_all_customers",
        "customers.export_customer",
        "customers.import_customer",
        "customers.merge_customer",
        "customers.deactivate_customer",
        "customers.delete_customer",
        *CATALOG_EDIT,
        *SALES_MANAGEMENT,
        *INVENTORY_READ,
        "inventory.add_delivery",
        "inventory.change_delivery",
        *INVOICING_REQUEST,
        *RECEIVABLES_READ,
    ],
    Role.SALES: [
        *CUSTOMER_READ,
        *CUSTOMER_BALANCE,
        *CUSTOMER_EDIT,
        "customers.export_customer",
        "customers.deactivate_customer",
        *CATALOG_READ,
        *SALES_EDIT,
        *INVENTORY_READ,
        "inventory.add_delivery",
        "inventory.change_delivery",
        *INVOICING_REQUEST,
        *RECEIVABLES_READ,
    ],
    Role.CUSTOMER_SERVICE: [
        *CUSTOMER_READ,
        *CUSTOMER_BALANCE,
        "customers.view_all_customers",
        "customers.add_followup",
        *CATALOG_READ,
        *SALES_READ,
        *INVENTORY_READ,
        *INVOICING_READ,
    ],
}
