"""Read-mostly: products and tax categories are changed through the application, whose services
keep search text, validation, permissions and history right."""

from typing import Any

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from suanpan.catalog.models import Product, TaxCategory


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "unit", "kind", "tax_category", "list_price", "is_active")
    list_filter = ("kind", "is_active", "tax_category")
    search_fields = ("code", "name", "search_text")
    list_select_related = ("tax_category",)


@admin.register(TaxCategory)
class TaxCategoryAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "vat_rate_key", "is_active")
    list_filter = ("vat_rate_key", "is_active")
    search_fields = ("code", "name")
