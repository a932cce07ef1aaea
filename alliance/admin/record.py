"""The alliance's record (AllianceEvent): what the services recorded, as an official reads it,
on each member's, demand's or participation's page and in its own read-only list."""

from django.apps import apps
from django.contrib import admin
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from alliance.models import (
    AllianceEvent,
    AllianceMember,
    Collaboration,
    Demand,
    DemandResponse,
    Meeting,
    MemberStatus,
    Standard,
    StandardParticipation,
)
from ssb_portal.admin_kit import ReadOnlyAdmin, admin_link_to, json_block, record_table

#: What the services record (AllianceEvent.action), as an official reads it.
EVENT_ACTIONS = {
    "applied": _("Applied to join"),
    MemberStatus.APPROVED: _("Membership approved"),
    MemberStatus.DECLINED: _("Membership declined"),
    "demand_posted": _("Demand posted"),
    "demand_changed": _("Demand changed"),
    "demand_closed": _("Demand closed"),
    "interest": _("Interest expressed"),
    "response_shortlisted": _("Shortlisted"),
    "response_invited": _("Invited"),
    "response_accepted": _("Invitation accepted"),
    "response_declined": _("Response declined"),
    "meeting_proposed": _("Meeting proposed"),
    "meeting_accepted": _("Meeting accepted"),
    "meeting_declined": _("Meeting declined"),
    "agreed": _("Agreed to collaborate"),
    "collaboration_created": _("Collaboration created"),
    "party_added": _("Party added"),
    "milestone_added": _("Milestone added"),
    "milestone_completed": _("Milestone completed"),
    "collaboration_completed": _("Collaboration completed"),
    "collaboration_terminated": _("Collaboration terminated"),
    "document_added": _("Document added"),
    "standard_recorded": _("Standard recorded"),
    "participation_declared": _("Participation declared"),
    "participation_confirmed": _("Participation confirmed"),
    "participation_rejected": _("Participation not confirmed"),
    "demonstration_created": _("Demonstration project recorded"),
    "field_report_filed": _("Field report filed"),
}


def event_label(action: str) -> str:
    return str(EVENT_ACTIONS.get(action, action))


def record_of(obj: Model) -> str:
    """The alliance's record of one member, demand or participation: who did what, and why."""
    return record_table(AllianceEvent, obj, label=event_label)


@admin.display(description=_("record"))
def record_field(self, obj: Model) -> str:
    """The row's record as a read-only field of its admin (`record = record_field`)."""
    return record_of(obj)


class EventActionFilter(admin.SimpleListFilter):
    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return list(EVENT_ACTIONS.items())

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


class EventSubjectFilter(admin.SimpleListFilter):
    title = _("subject")
    parameter_name = "subject_type"

    def lookups(self, request, model_admin):
        return [
            (model._meta.model_name, model._meta.verbose_name)
            for model in (
                AllianceMember,
                Demand,
                DemandResponse,
                Meeting,
                Collaboration,
                Standard,
                StandardParticipation,
            )
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(subject_type=self.value())
        return queryset


@admin.register(AllianceEvent)
class AllianceEventAdmin(ReadOnlyAdmin):
    """The record: written by the services only; nobody adds, changes or deletes it here."""

    list_display = ("created_at", "actor", "action_label", "subject", "note")
    list_filter = (EventActionFilter, EventSubjectFilter)
    list_select_related = ("actor",)
    search_fields = ("note", "actor__username", "action")
    search_help_text = _("Search by note, action or the user who acted.")
    date_hierarchy = "created_at"
    fields = ("created_at", "actor", "action_label", "subject", "note", "data_shown")
    readonly_fields = fields

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, event: AllianceEvent) -> str:
        return event_label(event.action)

    @admin.display(description=_("subject"))
    def subject(self, event: AllianceEvent) -> str:
        try:
            model = apps.get_model("alliance", event.subject_type)
        except LookupError:
            return f"{event.subject_type} #{event.subject_id}"
        text = f"{model._meta.verbose_name} #{event.subject_id}"
        return admin_link_to("alliance", event.subject_type, event.subject_id, text)

    @admin.display(description=_("data"))
    def data_shown(self, event: AllianceEvent) -> str:
        return json_block(event.data)
