"""Milestone reports of awarded R&D projects (issue 6): read-only, members file them on the
site."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import EMPTY, ReadOnlyAdmin, ReadOnlyInline
from subsidies.models import MilestoneKpiValue, MilestoneReport


class MilestoneKpiValueInline(ReadOnlyInline):
    model = MilestoneKpiValue
    fields = ("kpi_target", "value", "source")
    readonly_fields = fields


@admin.register(MilestoneReport)
class MilestoneReportAdmin(ReadOnlyAdmin):
    """Milestone reports of awarded R&D projects: read-only (members file them on the site)."""

    list_display = ("reported_on", "application_link", "milestone", "original_name", "dataset_name")
    list_select_related = ("milestone__application__applicant", "milestone__application__programme")
    list_filter = ("reported_on",)
    search_fields = ("=milestone__application__pk", "milestone__application__applicant__name_zh")
    search_help_text = _("Search by application number (exact) or recipient.")
    date_hierarchy = "reported_on"
    fields = (
        "application_link",
        "milestone",
        "reported_on",
        "summary",
        "evidence_link",
        "sha256",
        "dataset_link",
        "dataset_kind",
        "temperature_unit",
        "fit",
        "dataset_sha256",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = fields
    inlines = [MilestoneKpiValueInline]

    @admin.display(description=_("application"))
    def application_link(self, obj: MilestoneReport) -> str:
        application = obj.milestone.application
        return format_html(
            '<a href="{}">#{} {}</a>',
            reverse("admin:subsidies_application_change", args=[application.pk]),
            application.pk,
            application.applicant.name_zh,
        )

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj: MilestoneReport) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse(
                "subsidies:milestone_report_download",
                args=[obj.milestone.application_id, obj.pk, "evidence"],
            ),
            obj.original_name,
        )

    @admin.display(description=_("measurement dataset"))
    def dataset_link(self, obj: MilestoneReport) -> str:
        if not obj.dataset:
            return EMPTY
        return format_html(
            '<a href="{}">{}</a>',
            reverse(
                "subsidies:milestone_report_download",
                args=[obj.milestone.application_id, obj.pk, "dataset"],
            ),
            obj.dataset_name,
        )
