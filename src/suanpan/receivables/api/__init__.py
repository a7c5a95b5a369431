"""The receivables API, one module per document; `router` is what the root API mounts at /v1."""

from ninja import Router

from suanpan.receivables.api import (
    ageing,
    bank_statements,
    dunning,
    payment_plans,
    provisions,
    receipts,
    refunds,
    settlements,
    statements,
    writeoffs,
)

__all__ = ["router"]

router = Router()
router.add_router("/receipts", receipts.router)
router.add_router("/settlements", settlements.router)
router.add_router("/refunds", refunds.router)
router.add_router("/bank-statements", bank_statements.router)
router.add_router("/ageing", ageing.router)
router.add_router("/payment-plans", payment_plans.router)
router.add_router("/provisions", provisions.router)
router.add_router("/writeoffs", writeoffs.router)
router.add_router("/statements", statements.router)
router.add_router("/dunning", dunning.router)
