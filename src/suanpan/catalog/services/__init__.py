"""Every write to the catalog. Services check the actor's permissions, so UI, API, CLI agree.

The names below are the catalog's public face for writes (the demo data creates products and
tax categories through them); the modules behind them are one per document.
"""

from suanpan.catalog.services.products import (
    PRICE_FIELDS,
    product_check,
    product_code_taken,
    product_create,
    product_deactivate,
    product_reactivate,
    product_search_text_set,
    product_update,
    products_import_save,
)
from suanpan.catalog.services.tax_categories import (
    TAX_CATEGORY_FIELDS,
    tax_category_create,
    tax_category_deactivate,
    tax_category_delete,
    tax_category_reactivate,
    tax_category_update,
)

__all__ = [
    "PRICE_FIELDS",
    "TAX_CATEGORY_FIELDS",
    "product_check",
    "product_code_taken",
    "product_create",
    "product_deactivate",
    "product_reactivate",
    "product_search_text_set",
    "product_update",
    "products_import_save",
    "tax_category_create",
    "tax_category_deactivate",
    "tax_category_delete",
    "tax_category_reactivate",
    "tax_category_update",
]
