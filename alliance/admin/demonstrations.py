"""Demonstration projects and their field reports (issue 6): they belong to their operators
(written through the services); officials read them here."""

from django.apps import apps
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from alliance.demonstrations.services import FIELD_REPORT_FIELDS
from ssb_portal.admin_kit import ReadOnlyAdmin, ReadOnlyInline

DEMONSTRATION_REPORT_FIELDS = (*FIELD_REPORT_FIELDS, "filed_by", "filed_at")


class FieldReportInline(ReadOnlyInline):
    model = apps.get_model("alliance", "FieldReport")
    fields = DEMONSTRATION_REPORT_FIELDS
    readonly_fields = fields
    verbose_name_plural = _("field reports")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("filed_by")


@admin.register(apps.get_model("alliance", "DemonstrationProject"))
class DemonstrationProjectAdmin(ReadOnlyAdmin):
    """Projects belong to their operators (written through the services): read them here."""

    list_display = (
        "name",
        "scenario",
        "operator",
        "site",
        "system_size_kwh",
        "start_date",
        "status",
        "report_count",
    )
    list_filter = ("scenario", "status")
    search_fields = ("name", "site", "operator__name_zh", "operator__name_en", "operator__uscc")
    search_help_text = _("Search by project, site or operator.")
    list_select_related = ("operator",)
    fields = (
        "scenario",
        "name",
        "site",
        "operator",
        "suppliers",
        "system_size_kwh",
        "start_date",
        "status",
        "description",
        "created_by",
        "created_at",
    )
    readonly_fields = fields
    inlines = (FieldReportInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(report_count=Count("reports"))

    @admin.display(description=_("field reports"), ordering="report_count")
    def report_count(self, obj) -> int:
        return obj.report_count


@admin.register(apps.get_model("alliance", "FieldReport"))
class FieldReportAdmin(ReadOnlyAdmin):
    list_display = (
        "project",
        "reported_on",
        "cycles_done",
        "capacity_retention_percent",
        "round_trip_efficiency_percent",
        "incident_count",
        "filed_by",
    )
    list_filter = ("project__scenario",)
    list_select_related = ("project", "filed_by")
    search_fields = ("project__name", "incidents")
    search_help_text = _("Search by project or incident.")
    date_hierarchy = "reported_on"
    fields = ("project", *DEMONSTRATION_REPORT_FIELDS)
    readonly_fields = fields
