"""Opportunities, quotes, contracts with payment plans, and sales orders.

Document lines copy what they sell (name, specification, unit, VAT rate) from the product, so a
document never changes when the catalogue does (DESIGN.md "Money and tax"). Amounts are stored
per line and as document totals, worked out by `sales.calculations` and kept by the services.

The models live in one module per document; this package is what migrations and the app
registry import (`contract_attachment_path` is named by the first migration).
"""

from suanpan.sales.models.common import DocumentLine, DocumentTotals
from suanpan.sales.models.contracts import (
    Contract,
    ContractAttachment,
    PaymentInstalment,
    contract_attachment_path,
)
from suanpan.sales.models.opportunities import Opportunity, OpportunityLine, OpportunityStage
from suanpan.sales.models.orders import OrderActivity, SalesOrder, SalesOrderLine
from suanpan.sales.models.quotes import Quote, QuoteLine

__all__ = [
    "Contract",
    "ContractAttachment",
    "DocumentLine",
    "DocumentTotals",
    "Opportunity",
    "OpportunityLine",
    "OpportunityStage",
    "OrderActivity",
    "PaymentInstalment",
    "Quote",
    "QuoteLine",
    "SalesOrder",
    "SalesOrderLine",
    "contract_attachment_path",
]
