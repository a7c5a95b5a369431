"""/api/v1/products and /api/v1/tax-categories, one module per document; `router` is what the
project's API mounts."""

from ninja import Router

from suanpan.catalog.api.products import products
from suanpan.catalog.api.tax_categories import tax_categories

router = Router()
router.add_router("/products", products)
router.add_router("/tax-categories", tax_categories)

__all__ = ["router"]
