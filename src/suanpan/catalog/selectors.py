"""Every read of the catalog. Products are not scoped per user: whoever may view them sees all."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from suanpan.catalog.calculations import search_query_normalize
from suanpan.catalog.models import Product

SEARCH_LIMIT_MAX = 100


def product_search_match(queryset: QuerySet[Product], query: str) -> QuerySet[Product]:
    """Products whose code, name, pinyin or initials contain the query (case-insensitive)."""
    query = search_query_normalize(query)
    if not query:
        return queryset
    # search_text is lower-case, so a case-sensitive LIKE matches and can use a trigram index on
    # PostgreSQL; code and name are also matched directly so rows written outside the services
    # (fixtures, raw SQL) are still found by what a person reads.
    return queryset.filter(
        Q(search_text__contains=query) | Q(code__icontains=query) | Q(name__icontains=query)
    )


def product_search(*, q: str, limit: int = 20) -> QuerySet[Product]:
    """Active products for line entry (quotes, orders): matched on q, ordered by code."""
    limit = max(1, min(int(limit), SEARCH_LIMIT_MAX))
    queryset = Product.objects.filter(is_active=True).select_related("tax_category")
    return product_search_match(queryset, q).order_by("code")[:limit]
