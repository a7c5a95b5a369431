"""The books: chart of accounts, auxiliary dimensions, periods, vouchers and open items.

The ledger knows nothing of the CRM: customers appear only as auxiliary dimensions (核算项目)
that the customers app keeps in step, and documents only as opaque source references.
"""

from suanpan.ledger.models.company import Account, AccountRoleMap, Company, Dimension
from suanpan.ledger.models.open_items import OpenItem, OpenItemMatch
from suanpan.ledger.models.periods import Period, PeriodEvent, PeriodTotal
from suanpan.ledger.models.statements import (
    CashFlowItem,
    CashFlowMapping,
    CashFlowTag,
    StatementDefinition,
    StatementRow,
)
from suanpan.ledger.models.transfers import TransferTemplate, TransferTemplateLine
from suanpan.ledger.models.vouchers import (
    PostedVoucherImmutable,
    Voucher,
    VoucherLine,
    VoucherLineQuerySet,
    VoucherQuerySet,
)

__all__ = [
    "Account",
    "AccountRoleMap",
    "CashFlowItem",
    "CashFlowMapping",
    "CashFlowTag",
    "Company",
    "Dimension",
    "OpenItem",
    "OpenItemMatch",
    "Period",
    "PeriodEvent",
    "PeriodTotal",
    "PostedVoucherImmutable",
    "StatementDefinition",
    "StatementRow",
    "TransferTemplate",
    "TransferTemplateLine",
    "Voucher",
    "VoucherLine",
    "VoucherLineQuerySet",
    "VoucherQuerySet",
]
