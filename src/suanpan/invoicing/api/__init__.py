"""The invoicing API, one module per document; `router` is what the root API mounts at /v1."""

from ninja import Router

from suanpan.invoicing.api import invoices, mailing, red_letters, requests

__all__ = ["router"]

router = Router()
router.add_router("/requests", requests.router)
router.add_router("/mailings", mailing.router)
router.add_router("/invoices", invoices.router)
router.add_router("/red-letters", red_letters.router)
