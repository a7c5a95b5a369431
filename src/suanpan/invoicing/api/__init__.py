"""The invoicing API, one module per document; `router` is what the root API mounts at /v1."""

from ninja import Router

__all__ = ["router"]

from suanpan.invoicing.api.history_import import router as history_import_router

router = Router()
router.add_router("/history-imports", history_import_router)
