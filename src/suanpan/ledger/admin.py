"""Read-only admin for the books: every change goes through the ledger's services, which keep
numbering, the hash chain, period totals and open items right. No actions: the admin's bulk
delete would bypass them, and on posted vouchers it must fail anyway."""

from django.contrib import admin

from suanpan.core.admin import ReadOnlyAdminMixin
from suanpan.ledger.models import (
    Account,
    AccountRoleMap,
    Company,
    Dimension,
    Period,
    PeriodEvent,
    Voucher,
    VoucherLine,
)


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Lists and detail pages only: no add, change, delete or actions."""

    actions = None


class VoucherLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = VoucherLine
    fields = (
        "line_no",
        "account",
        "dimension",
        "summary",
        "debit_amount",
        "credit_amount",
        "due_on",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Voucher)
class VoucherAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "date", "summary", "status", "maker", "reviewer", "poster")
    list_filter = ("status", "word", "period")
    search_fields = ("summary", "source_type", "source_id")
    list_select_related = ("period", "maker", "reviewer", "poster")
    date_hierarchy = "date"
    inlines = (VoucherLineInline,)


@admin.register(VoucherLine)
class VoucherLineAdmin(ReadOnlyAdmin):
    list_display = ("voucher", "line_no", "account", "dimension", "debit_amount", "credit_amount")
    list_select_related = ("voucher", "voucher__period", "account", "dimension")
    search_fields = ("summary", "account__code")


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = (
        "code",
        "name",
        "direction",
        "category",
        "requires_customer",
        "is_open_item",
        "is_active",
    )
    list_filter = ("category", "is_active", "is_open_item")
    search_fields = ("code", "name")


@admin.register(AccountRoleMap)
class AccountRoleMapAdmin(ReadOnlyAdmin):
    list_display = ("role", "account")
    list_select_related = ("account",)


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "closed_at", "closed_by")
    list_filter = ("status",)


@admin.register(PeriodEvent)
class PeriodEventAdmin(ReadOnlyAdmin):
    list_display = ("period", "action", "user", "at", "reason")
    list_select_related = ("period", "user")


@admin.register(Company)
class CompanyAdmin(ReadOnlyAdmin):
    list_display = ("name", "standard", "first_period", "voucher_words")


@admin.register(Dimension)
class DimensionAdmin(ReadOnlyAdmin):
    list_display = ("kind", "code", "name", "is_active", "merged_into")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
