from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from suanpan.users.models import ApiToken, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Where administrators create logins and give them roles (the groups)."""

    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Suanpan"), {"fields": ("display_name", "language")}),
    )
    list_display = ("username", "display_name", "email", "is_active", "last_login")
    list_filter = ("is_active", "groups")
    search_fields = ("username", "display_name", "email")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are created by their users; an administrator may only revoke them."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False
