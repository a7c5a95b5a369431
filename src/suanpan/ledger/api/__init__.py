"""/api/v1/ledger: the books for people through the API; the same services, selectors and
permission rules as the pages. One module per document; this package assembles `router`
(vouchers, accounts, periods, company, transfers, statements and their cash-flow items) and exports `reports_router`
(/api/v1/ledger/reports).

Operation ids are pinned to the names the published schema has used since the API was one
module, so clients generated from it keep working.
"""

from ninja import Router

from suanpan.ledger.api import (
    accounts,
    cash_flow,
    company,
    journals,
    periods,
    reports,
    statements,
    transfers,
    voucher_actions,
    vouchers,
)

router = Router()
for part in (
    vouchers,
    voucher_actions,
    accounts,
    periods,
    company,
    transfers,
    statements,
    cash_flow,
):
    router.add_router("", part.router)

reports_router = reports.router
reports_router.add_router("", journals.router)

__all__ = ["reports_router", "router"]
