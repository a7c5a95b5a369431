"""The invoicing API, one module per document; `router` is what the root API mounts at /v1."""

from ninja import Router

__all__ = ["router"]

router = Router()
