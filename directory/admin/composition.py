"""Bills of materials and safe-harbour tables: officials see each bill with its lines and
history and return or withdraw it with a reason; they keep the safe-harbour tables (reference
data). Verification needs the verifier's report (a PDF) and a validity date: it is made
through the API (`/api/v1/bills-of-materials/<id>/verify/`), which takes the upload."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from directory.admin.listings import listing_action
from directory.composition.services import bom_return
from directory.models import (
    BillOfMaterials,
    BomLine,
    BomStatusChange,
    SafeHarbourClass,
    SafeHarbourTable,
)
from ssb_portal.admin_kit import ReadOnlyInline, admin_actions

RETURN = listing_action(
    "return_bom",
    _("Return or withdraw with reason"),
    lambda actor, bom, reason: bom_return(actor=actor, bom=bom, reason=reason),
    ngettext_lazy(
        "%(count)d bill of materials returned.", "%(count)d bills of materials returned.", "count"
    ),
    reason_required=True,
)


class BomLineInline(ReadOnlyInline):
    model = BomLine
    fields = (
        "kind",
        "description",
        "component_class",
        "origin",
        "cost",
        "local_share",
        "component",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("component", "component_class")


class BomStatusChangeInline(ReadOnlyInline):
    model = BomStatusChange
    fields = ("at", "actor", "from_status", "to_status", "reason")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(BillOfMaterials)
class BillOfMaterialsAdmin(admin.ModelAdmin):
    list_display = (
        "product",
        "status",
        "computed_share",
        "safe_harbour",
        "valid_from",
        "valid_until",
    )
    list_filter = ("status", "cost_unit")
    list_select_related = ("product", "safe_harbour__category")
    search_fields = ("product__name", "product__enterprise__name_zh", "product__enterprise__uscc")
    fields = (
        "product",
        "cost_unit",
        "safe_harbour",
        "status",
        "computed_share",
        "declared_by",
        "declared_at",
        "evidence_name",
        "evidence_sha256",
        "verified_by",
        "valid_from",
        "valid_until",
    )
    readonly_fields = fields
    inlines = (BomLineInline, BomStatusChangeInline)
    actions = admin_actions(RETURN)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("directory.change_product")

    def has_module_permission(self, request):
        return request.user.has_perm("directory.change_product")

    def has_change_permission(self, request, obj=None):
        # The page is read-only; without an object: may the user run the actions?
        return obj is None and request.user.has_perm("directory.change_product")


class SafeHarbourClassInline(admin.TabularInline):
    model = SafeHarbourClass
    fields = ("name_zh", "name_en", "cost_share", "sort_order")
    extra = 1


@admin.register(SafeHarbourTable)
class SafeHarbourTableAdmin(admin.ModelAdmin):
    list_display = ("category", "note")
    list_select_related = ("category",)
    inlines = (SafeHarbourClassInline,)
