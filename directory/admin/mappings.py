"""Buyers' own mappings (item names to categories, file headers to columns), for officials to
read; the buyers make and change them on their purchase pages."""

from django.contrib import admin

from directory.models import PurchaseColumnMapping, PurchaseItemCategory
from ssb_portal.admin_kit import ReadOnlyAdmin


@admin.register(PurchaseItemCategory)
class PurchaseItemCategoryAdmin(ReadOnlyAdmin):
    list_display = ("item_name", "category", "buyer", "saved_by", "saved_at")
    list_filter = (("category", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("buyer", "category", "saved_by")
    search_fields = ("item_name", "buyer__name_zh", "buyer__uscc")
    fields = ("buyer", "item_name", "item_key", "category", "saved_by", "saved_at")


@admin.register(PurchaseColumnMapping)
class PurchaseColumnMappingAdmin(ReadOnlyAdmin):
    list_display = ("name", "buyer", "saved_by", "saved_at")
    list_select_related = ("buyer", "saved_by")
    search_fields = ("name", "buyer__name_zh", "buyer__uscc")
    fields = ("buyer", "name", "columns", "saved_by", "saved_at")
