"""Battery passports: officials read every product's passport, its versions and evidence. The
rows are the supplier's declarations, written only through directory.passport.services."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from directory.models import BatteryPassport, PassportDocument, PassportVersion
from directory.passport.services import VERSION_FIELDS
from ssb_portal.admin_kit import EMPTY
from ssb_portal.admin_kit.admins import ReadOnlyAdmin, ReadOnlyInline


class VersionInline(ReadOnlyInline):
    model = PassportVersion
    fields = (
        "number",
        "battery_category",
        "chemistry_short_name",
        "carbon_footprint_total",
        "recycled_lithium_share",
        "created_by",
        "created_at",
    )
    readonly_fields = fields
    show_change_link = True


@admin.register(BatteryPassport)
class BatteryPassportAdmin(ReadOnlyAdmin):
    list_display = ("product", "enterprise", "current_version", "created_at")
    list_select_related = ("product__enterprise", "current_version")
    search_fields = ("product__name", "product__enterprise__name_zh", "product__enterprise__uscc")
    search_help_text = _("Search by product name, enterprise name or its credit code.")
    fields = ("product", "current_version", "created_at")
    readonly_fields = fields
    inlines = [VersionInline]

    @admin.display(description=_("enterprise"))
    def enterprise(self, passport: BatteryPassport):
        return passport.product.enterprise


@admin.register(PassportVersion)
class PassportVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "passport",
        "number",
        "level",
        "battery_category",
        "chemistry_short_name",
        "carbon_footprint_total",
        "recycled_lithium_share",
        "created_at",
    )
    list_filter = ("battery_category", "level")
    list_select_related = ("passport__product",)
    search_fields = ("passport__product__name", "passport__product__enterprise__uscc")
    search_help_text = _("Search by product name or the enterprise's credit code.")
    fields = ("passport", "number", *VERSION_FIELDS, "evidence", "note", "created_by", "created_at")
    readonly_fields = fields

    @admin.display(description=_("evidence"))
    def evidence(self, version: PassportVersion) -> str:
        documents = version.documents.all()
        if not documents:
            return EMPTY
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("directory:passport_document", args=[d.pk]), d.original_name)
                for d in documents
            ),
        )


@admin.register(PassportDocument)
class PassportDocumentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "passport", "kind", "size_bytes", "uploaded_at")
    list_filter = ("kind",)
    list_select_related = ("passport__product",)
    search_fields = ("original_name", "passport__product__name")
    fields = (
        "passport",
        "kind",
        "original_name",
        "content_type",
        "size_bytes",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = fields
