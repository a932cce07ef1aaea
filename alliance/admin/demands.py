"""Demands, the responses suppliers made to them and their meetings: read-only here, they
belong to the members who wrote them."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from alliance.admin.record import record_field
from alliance.models import Collaboration, Demand, DemandResponse, Meeting
from directory.models import CertificationScheme
from ssb_portal.admin_kit import EMPTY, ReadOnlyAdmin, ReadOnlyInline, admin_link, json_block


class ResponseInline(ReadOnlyInline):
    model = DemandResponse
    fields = (
        "supplier",
        "status",
        "created_at",
        "invited_at",
        "answered_at",
        "owner_agreed_at",
        "supplier_agreed_at",
    )
    readonly_fields = fields
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("supplier")


@admin.register(Demand)
class DemandAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "owner",
        "category",
        "preferred_model",
        "visibility",
        "status",
        "response_count",
        "created_at",
    )
    list_filter = (
        "status",
        "visibility",
        "preferred_model",
        ("category", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("owner", "category")
    search_fields = ("title", "owner__name_zh", "owner__name_en", "owner__uscc")
    search_help_text = _("Search by title, or the anchor enterprise's name or credit code.")
    date_hierarchy = "created_at"
    fields = (
        "title",
        "owner_link",
        "created_by",
        "description",
        "category",
        "ionic_conductivity_min",
        "asr_max",
        "specific_capacity_min",
        "decay_rate_max",
        "coulombic_efficiency_min",
        "weight_reduction_min",
        "carbon_footprint_max",
        "recycled_cobalt_min",
        "recycled_lithium_min",
        "recycled_nickel_min",
        "recycled_lead_min",
        "certifications",
        "annual_volume",
        "volume_unit",
        "needed_by",
        "preferred_model",
        "visibility",
        "status",
        "created_at",
        "updated_at",
        "collaboration_link",
        "record",
    )
    readonly_fields = fields
    inlines = (ResponseInline,)
    record = record_field

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("owner", "category", "created_by")
            .annotate(response_count=Count("responses"))
        )

    @admin.display(description=_("responses"), ordering="response_count")
    def response_count(self, demand: Demand) -> int:
        return demand.response_count

    @admin.display(description=_("anchor enterprise"))
    def owner_link(self, demand: Demand) -> str:
        return admin_link(demand.owner)

    @admin.display(description=_("required certifications"))
    def certifications(self, demand: Demand) -> str:
        labels = dict(CertificationScheme.choices)
        return (
            ", ".join(str(labels.get(s, s)) for s in demand.required_certifications or []) or EMPTY
        )

    @admin.display(description=_("collaboration"))
    def collaboration_link(self, demand: Demand) -> str:
        return admin_link(Collaboration.objects.filter(demand=demand).first())


class MeetingInline(ReadOnlyInline):
    model = Meeting
    fields = (
        "proposed_by",
        "proposed_slots",
        "duration_minutes",
        "location",
        "status",
        "starts_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("proposed_by")

    @admin.display(description=_("proposed slots"))
    def proposed_slots(self, meeting: Meeting) -> str:
        return ", ".join(meeting.slots or []) or EMPTY


@admin.register(DemandResponse)
class DemandResponseAdmin(ReadOnlyAdmin):
    list_display = ("demand", "supplier", "status", "created_at", "invited_at", "answered_at")
    list_filter = ("status",)
    list_select_related = ("demand", "supplier")
    search_fields = ("demand__title", "supplier__name_zh", "supplier__name_en", "supplier__uscc")
    search_help_text = _("Search by the demand's title, or the supplier's name or credit code.")
    fields = (
        "demand_link",
        "supplier_link",
        "status",
        "message",
        "created_at",
        "invited_at",
        "answered_at",
        "terms",
        "owner_agreed_at",
        "supplier_agreed_at",
        "record",
    )
    readonly_fields = fields
    inlines = (MeetingInline,)
    record = record_field

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("demand", "supplier")

    @admin.display(description=_("demand"))
    def demand_link(self, response: DemandResponse) -> str:
        return admin_link(response.demand)

    @admin.display(description=_("supplier"))
    def supplier_link(self, response: DemandResponse) -> str:
        return admin_link(response.supplier)

    @admin.display(description=_("terms proposed by the anchor"))
    def terms(self, response: DemandResponse) -> str:
        return json_block(response.owner_terms)
