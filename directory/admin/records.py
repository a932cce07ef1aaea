"""The directory's records and reference data: status changes, certifications, memberships,
invitations, districts, supply categories and groups of enterprises under common control."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from directory.admin.listings import StatusChangeColumns, ToStatusFilter
from directory.models import (
    Certification,
    District,
    Enterprise,
    EnterpriseGroup,
    Invitation,
    Membership,
    StatusChange,
    SupplyCategory,
)
from ssb_portal.admin_kit import ReadOnlyAdmin, ReadOnlyInline


@admin.register(StatusChange)
class StatusChangeAdmin(StatusChangeColumns, ReadOnlyAdmin):
    list_display = (
        "enterprise",
        "product",
        "actor",
        "created_at",
        "from_label",
        "to_label",
        "reason",
    )
    list_filter = (ToStatusFilter,)
    list_select_related = ("enterprise", "product", "actor")
    search_fields = ("enterprise__name_zh", "enterprise__name_en", "enterprise__uscc")
    search_help_text = _("Search by enterprise name or credit code.")
    date_hierarchy = "created_at"
    fields = (
        "enterprise",
        "product",
        "actor",
        "created_at",
        "from_label",
        "to_label",
        "reason",
        "changed",
    )
    readonly_fields = fields


@admin.register(Certification)
class CertificationAdmin(ReadOnlyAdmin):
    list_display = ("enterprise", "scheme", "number", "issuer", "valid_until", "is_valid")
    list_filter = ("scheme", "valid_until")
    list_select_related = ("enterprise",)
    search_fields = ("number", "enterprise__name_zh", "enterprise__name_en", "enterprise__uscc")
    fields = ("enterprise", "scheme", "number", "issuer", "valid_until")
    readonly_fields = fields

    @admin.display(description=_("valid"), boolean=True)
    def is_valid(self, certification: Certification) -> bool:
        return certification.is_valid


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "enterprise", "role", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "enterprise")
    search_fields = ("user__username", "user__email", "enterprise__name_zh", "enterprise__uscc")
    fields = ("user", "enterprise", "role", "created_at")
    readonly_fields = fields


class InvitationStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("accepted", _("Accepted")), ("revoked", _("Revoked"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True)
        if self.value() == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "enterprise", "invited_by", "created_at", "accepted_at", "revoked_at")
    list_filter = (InvitationStateFilter,)
    list_select_related = ("enterprise", "invited_by")
    search_fields = ("email", "enterprise__name_zh", "enterprise__uscc")
    fields = ("email", "enterprise", "invited_by", "created_at", "accepted_at", "revoked_at")
    readonly_fields = fields


class ReferenceDataAdmin(admin.ModelAdmin):
    """Loaded by a data migration. Names may be corrected; codes and slugs never change."""

    def get_readonly_fields(self, request, obj=None):
        return self.stable_fields if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False  # referenced by listings and used as identifiers by the API


@admin.register(District)
class DistrictAdmin(ReferenceDataAdmin):
    list_display = ("code", "name_zh", "name_en", "is_local", "sort_order")
    list_filter = ("is_local",)
    search_fields = ("code", "name_zh", "name_en")
    stable_fields = ("code",)


@admin.register(SupplyCategory)
class SupplyCategoryAdmin(ReferenceDataAdmin):
    list_display = ("slug", "name_zh", "name_en", "parent", "sort_order")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("parent",)
    search_fields = ("slug", "name_zh", "name_en")
    stable_fields = ("slug",)


class GroupEnterpriseInline(ReadOnlyInline):
    model = Enterprise
    fk_name = "group"
    verbose_name_plural = _("enterprises of the group")
    fields = ("uscc", "name_zh", "name_en", "district", "status")
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("district")


@admin.register(EnterpriseGroup)
class EnterpriseGroupAdmin(admin.ModelAdmin):
    """Groups of enterprises under common control; an enterprise joins one on its own page."""

    list_display = ("name", "enterprise_count", "created_at")
    search_fields = ("name",)
    fields = ("name", "note", "created_at")
    readonly_fields = ("created_at",)
    inlines = (GroupEnterpriseInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(enterprise_count=Count("enterprises"))

    @admin.display(description=_("enterprises"), ordering="enterprise_count")
    def enterprise_count(self, group: EnterpriseGroup) -> int:
        return group.enterprise_count

    def has_delete_permission(self, request, obj=None):
        # Enterprises keep their group (PROTECT); an empty group may go, for superusers.
        return request.user.is_superuser
