"""Read-mostly: customers are changed through the application, whose services keep search
fields, numbering, permissions and history right."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from suanpan.customers.models import Customer, Tag


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = ("number", "name", "credit_code", "owner", "status", "created_at")
    list_filter = ("status", "kind", "grade")
    search_fields = ("number", "name", "credit_code")
    list_select_related = ("owner",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)
