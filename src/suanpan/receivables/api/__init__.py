"""The receivables API, one module per document; `router` is what the root API mounts at /v1."""

from ninja import Router

from suanpan.receivables.api import ageing, bank_statements, dunning, receipts, settlements

__all__ = ["router"]

router = Router()
router.add_router("/receipts", receipts.router)
router.add_router("/settlements", settlements.router)
router.add_router("/bank-statements", bank_statements.router)
router.add_router("/ageing", ageing.router)
router.add_router("/dunning", dunning.router)
