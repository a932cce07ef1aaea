"""Products: their listing and its status history, verified or returned by an official."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from directory.admin.listings import (
    ListingAdmin,
    PendingChangesFilter,
    ProductStatusChangeInline,
    listing_action,
)
from directory.models import ListingStatus, LocalContentShare, Product
from directory.services.products import product_return, product_verify
from ssb_portal.admin_kit import ReadOnlyInline, admin_actions

VERIFY = listing_action(
    "verify",
    _("Verify (or accept pending changes)"),
    lambda actor, product, reason: product_verify(actor=actor, product=product, reason=reason),
    ngettext_lazy("%(count)d product verified.", "%(count)d products verified.", "count"),
    reason_required=False,
)
RETURN = listing_action(
    "return_with_reason",
    _("Return with reason (or reject pending changes)"),
    lambda actor, product, reason: product_return(actor=actor, product=product, reason=reason),
    ngettext_lazy("%(count)d product returned.", "%(count)d products returned.", "count"),
    reason_required=True,
    target=ListingStatus.RETURNED,
)


class LocalContentShareInline(ReadOnlyInline):
    """The product's verified local-content shares, newest first: the LCR counts each line
    with the one in force on its invoice date."""

    model = LocalContentShare
    fields = ("share", "valid_from", "verified_by", "verified_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("verified_by")

    def has_view_permission(self, request, obj=None):
        # Part of the product's record, kept by its verification: whoever may view the
        # product sees them, without a permission of their own to grant.
        return request.user.has_perm("directory.view_product")


@admin.register(Product)
class ProductAdmin(ListingAdmin):
    list_display = (
        "name",
        "enterprise",
        "category",
        "status",
        "has_pending_changes",
        "created_at",
    )
    list_filter = ("status", PendingChangesFilter, "category")
    list_select_related = ("enterprise", "category")
    search_fields = ("name", "enterprise__name_zh", "enterprise__name_en", "enterprise__uscc")
    search_help_text = _("Search by product name, enterprise name or its credit code.")
    readonly_fields = (
        "enterprise_link",
        "status",
        "pending_changes",
        "pending_changes_diff",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "enterprise_link",
                    "name",
                    "category",
                    "description",
                    "ionic_conductivity",
                    "asr",
                    "specific_capacity",
                    "decay_rate",
                    ("coulombic_efficiency", "coulombic_efficiency_cycles"),
                    "weight_reduction",
                    "price",
                )
            },
        ),
        (
            _("Verification"),
            {"fields": ("status", "pending_changes_diff", "created_at", "updated_at")},
        ),
    )
    inlines = (LocalContentShareInline, ProductStatusChangeInline)
    actions = admin_actions(VERIFY, RETURN)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise", "category")

    def applicable_actions(self, product: Product) -> list[str]:
        if product.status == ListingStatus.PENDING or product.pending_changes:
            return ["verify", "return_with_reason"]
        if product.status == ListingStatus.VERIFIED:
            return ["return_with_reason"]
        return []

    @admin.display(description=_("enterprise"))
    def enterprise_link(self, product: Product) -> str:
        url = reverse("admin:directory_enterprise_change", args=[product.enterprise_id])
        return format_html('<a href="{}">{}</a>', url, product.enterprise)
