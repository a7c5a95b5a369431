"""Every read of the catalog: the catalog's public face for reads (sales and inventory search
products for line entry; inventory filters stock by `product_search_match`)."""

from suanpan.catalog.selectors.products import (
    SEARCH_LIMIT_MAX,
    product_by_code,
    product_by_id,
    product_get,
    product_history,
    product_list,
    product_search,
    product_search_match,
    products_all,
    products_by_id,
    products_by_reference,
)
from suanpan.catalog.selectors.tax_categories import (
    tax_category_by_code,
    tax_category_choices,
    tax_category_find,
    tax_category_get,
    tax_category_list,
)

__all__ = [
    "SEARCH_LIMIT_MAX",
    "product_by_code",
    "product_by_id",
    "product_get",
    "product_history",
    "product_list",
    "product_search",
    "product_search_match",
    "products_all",
    "products_by_id",
    "products_by_reference",
    "tax_category_by_code",
    "tax_category_choices",
    "tax_category_find",
    "tax_category_get",
    "tax_category_list",
]
