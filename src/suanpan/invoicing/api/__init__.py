"""The invoicing API, one module per document; `router` is what the root API mounts at /v1."""

from ninja import Router

from suanpan.invoicing.api import invoices, mailing, red_letters, requests
from suanpan.invoicing.api.platform import router as platform_router

__all__ = ["router"]

from suanpan.invoicing.api.history_import import router as history_import_router

router = Router()
router.add_router("/requests", requests.router)
router.add_router("/mailings", mailing.router)
router.add_router("/invoices", invoices.router)
router.add_router("/red-letters", red_letters.router)
router.add_router("/platform", platform_router)
router.add_router("/history-imports", history_import_router)
