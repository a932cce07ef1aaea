"""Collaborations: their parties, milestones and documents, and what was delivered against a
long-term supply commitment; read-only here."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance import selectors
from alliance.admin.record import record_field
from alliance.models import (
    Collaboration,
    CollaborationDocument,
    CollaborationMilestone,
    CollaborationModel,
    CollaborationParty,
)
from ssb_portal.admin_kit import EMPTY, ReadOnlyAdmin, ReadOnlyInline, admin_link, table


class PartyInline(ReadOnlyInline):
    model = CollaborationParty
    fields = ("enterprise", "role")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise")


class MilestoneInline(ReadOnlyInline):
    model = CollaborationMilestone
    fields = ("title", "due_on", "completed_on")
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    """What was attached; the files stay with the parties (private storage, no link here)."""

    model = CollaborationDocument
    fields = ("title", "original_name", "content_type", "size_bytes", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


@admin.register(Collaboration)
class CollaborationAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "model",
        "status",
        "party_names",
        "agreed_value_cny",
        "starts_on",
        "ends_on",
    )
    list_filter = ("status", "model")
    search_fields = (
        "title",
        "parties__enterprise__name_zh",
        "parties__enterprise__name_en",
        "parties__enterprise__uscc",
    )
    search_help_text = _("Search by title, or a party's name or credit code.")
    fields = (
        "title",
        "demand_link",
        "model",
        "status",
        "agreed_value_cny",
        "starts_on",
        "ends_on",
        "committed_annual_volume",
        "volume_unit",
        "delivered",
        "created_at",
        "closed_at",
        "record",
    )
    readonly_fields = fields
    inlines = (PartyInline, MilestoneInline, DocumentInline)
    record = record_field

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("demand")
            .prefetch_related("parties__enterprise")
        )

    @admin.display(description=_("parties"))
    def party_names(self, collaboration: Collaboration) -> str:
        return ", ".join(str(party.enterprise) for party in collaboration.parties.all()) or EMPTY

    @admin.display(description=_("demand"))
    def demand_link(self, collaboration: Collaboration) -> str:
        return admin_link(collaboration.demand)

    @admin.display(description=_("delivered against the commitment"))
    def delivered(self, collaboration: Collaboration) -> str:
        if collaboration.model != CollaborationModel.LONG_TERM_SUPPLY:
            return EMPTY
        unit = collaboration.volume_unit
        return table(
            [
                gettext("Year"),
                gettext("Delivered"),
                gettext("Committed"),
                gettext("Delivered (%)"),
                gettext("Amount (CNY)"),
            ],
            [
                (
                    row["year"],
                    f"{row['quantity']} {unit}".strip(),
                    EMPTY if row["committed"] is None else f"{row['committed']} {unit}".strip(),
                    EMPTY if row["delivered_percent"] is None else row["delivered_percent"],
                    f"{row['amount_cny']:,.2f}",
                )
                for row in selectors.supply_delivered(collaboration)
            ],
        )
