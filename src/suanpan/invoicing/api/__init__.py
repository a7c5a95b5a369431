"""The invoicing API, one module per document; `router` is what the root API mounts at /v1."""

from ninja import Router

from suanpan.invoicing.api import red_letters

__all__ = ["router"]

router = Router()
router.add_router("/red-letters", red_letters.router)
