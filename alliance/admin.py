"""The officials' side of the Industry Alliance.

Officials decide membership applications and confirm standards participations here, and
follow the demands, collaborations and the alliance's record. Every decision goes through
`alliance.services`, which checks again that the actor is an official: the change pages are
read-only, and an action first asks for a reason (the directory's reason form), then calls
the service once per selected row. A refused row is reported with the service's own words
and changes nothing; the other rows still go through.

Demands, responses, collaborations and standards belong to the members who wrote them
(through the portal's services): officials read them here and change nothing. The record
(AllianceEvent) is written only by the services; nobody adds, changes or deletes it here.
"""

import json
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.models import Count, Model, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alliance import selectors, services
from alliance.models import (
    AllianceEvent,
    AllianceMember,
    Collaboration,
    CollaborationDocument,
    CollaborationMilestone,
    CollaborationModel,
    CollaborationParty,
    Demand,
    DemandResponse,
    Meeting,
    MemberStatus,
    ParticipationStatus,
    Standard,
    StandardParticipation,
    StandardRole,
)
from directory.admin.listings import ListingReasonForm
from directory.models import CertificationScheme
from ssb_portal.admin_kit import (
    EMPTY,
    DecisionsAdmin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    RowAction,
    run_rows,
)

# --- showing values -----------------------------------------------------------------------

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
}


def event_label(action: str) -> str:
    return str(EVENT_ACTIONS.get(action, action))


def _when(value) -> str:
    return EMPTY if value is None else formats.localize(timezone.localtime(value))


def _admin_link(obj: Model | None, text: Any = None) -> str:
    """A link to the object's admin page, or its name where it has none."""
    if obj is None:
        return EMPTY
    opts = obj._meta
    return _link_to(opts.app_label, opts.model_name, obj.pk, obj if text is None else text)


def _link_to(app_label: str, model_name: str, pk: int, text: Any) -> str:
    try:
        url = reverse(f"admin:{app_label}_{model_name}_change", args=[pk])
    except NoReverseMatch:
        return str(text)
    return format_html('<a href="{}">{}</a>', url, text)


def _json(value: Any) -> str:
    if not value:
        return EMPTY
    return format_html("<pre>{}</pre>", json.dumps(value, ensure_ascii=False, indent=2))


def _table(headers: list[Any], rows: list[tuple]) -> str:
    if not rows:
        return EMPTY
    return format_html(
        "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        format_html_join("", "<th>{}</th>", ((header,) for header in headers)),
        format_html_join(
            "",
            "<tr>{}</tr>",
            ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows),
        ),
    )


def record_of(obj: Model) -> str:
    """The alliance's record of one member, demand or participation: who did what, and why."""
    events = AllianceEvent.objects.filter(
        subject_type=obj._meta.model_name, subject_id=obj.pk
    ).select_related("actor")
    return _table(
        [gettext("At"), gettext("By"), gettext("What"), gettext("Note")],
        [
            (
                _when(event.created_at),
                event.actor or EMPTY,
                event_label(event.action),
                event.note or EMPTY,
            )
            for event in events.order_by("created_at", "pk")
        ],
    )


# --- decisions through the reason form ----------------------------------------------------


def decide(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    action: str,
    title: str,
    reason_required: bool,
    call: Callable[[Model, str], Any],
    done: str,
) -> HttpResponse | None:
    """Ask for the reason, call the service per row; name every row that went through.

    A refused row is reported by `run_with_reason` with the service's message. `done` is a
    message with `%(names)s`, the rows decided.
    """
    return run_rows(
        modeladmin,
        request,
        queryset,
        RowAction(
            name=action,
            label=title,
            form=ListingReasonForm,
            form_kwargs={"required": reason_required},
            call=lambda actor, obj, data: call(obj, data["reason"]),
            done=lambda rows: done % {"names": "; ".join(str(obj) for obj, _ in rows)},
        ),
    )


class DecisionAdmin(DecisionsAdmin):
    """Read-only change pages with the decisions that apply as buttons; decisions only
    through the actions, on the directory's reason page; nothing added or deleted here."""

    action_form_template = "admin/directory/reason_form.html"


@admin.display(description=_("record"))
def _record_field(self, obj: Model) -> str:
    return record_of(obj)


# --- members ------------------------------------------------------------------------------


@admin.register(AllianceMember)
class AllianceMemberAdmin(DecisionAdmin):
    list_display = ("enterprise", "kind", "district", "status", "applied_at", "decided_at")
    list_filter = ("status", "enterprise__kind")
    list_select_related = ("enterprise__district",)
    search_fields = ("enterprise__name_zh", "enterprise__name_en", "enterprise__uscc")
    search_help_text = _("Search by the organisation's name or unified social credit code.")
    ordering = ("-applied_at", "-pk")
    fields = (
        "organisation",
        "kind",
        "district",
        "listing_status",
        "motivation",
        "notify_new_demands",
        "status",
        "applied_by",
        "applied_at",
        "decided_by",
        "decided_at",
        "decision_reason",
        "record",
    )
    readonly_fields = fields
    actions = ("approve", "decline")
    record = _record_field

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("enterprise__district", "applied_by", "decided_by")
        )

    def applicable_actions(self, member: AllianceMember) -> list[str]:
        return ["approve", "decline"] if member.status == MemberStatus.APPLIED else []

    @admin.display(description=_("organisation"))
    def organisation(self, member: AllianceMember) -> str:
        return _admin_link(member.enterprise)

    @admin.display(description=_("kind"), ordering="enterprise__kind")
    def kind(self, member: AllianceMember) -> str:
        return member.enterprise.get_kind_display()

    @admin.display(description=_("district"), ordering="enterprise__district")
    def district(self, member: AllianceMember) -> str:
        return str(member.enterprise.district)

    @admin.display(description=_("directory status"))
    def listing_status(self, member: AllianceMember) -> str:
        return member.enterprise.get_status_display()

    @admin.action(description=_("Approve"), permissions=("change",))
    def approve(self, request, queryset):
        return decide(
            self,
            request,
            queryset,
            action="approve",
            title=gettext("Approve the membership"),
            reason_required=False,
            call=lambda member, reason: services.member_approve(
                actor=request.user, member=member, reason=reason
            ),
            done=gettext("Approved: %(names)s."),
        )

    @admin.action(description=_("Decline"), permissions=("change",))
    def decline(self, request, queryset):
        return decide(
            self,
            request,
            queryset,
            action="decline",
            title=gettext("Decline the membership"),
            reason_required=True,
            call=lambda member, reason: services.member_decline(
                actor=request.user, member=member, reason=reason
            ),
            done=gettext("Declined: %(names)s."),
        )


# --- standards ----------------------------------------------------------------------------


class ParticipationInline(ReadOnlyInline):
    model = StandardParticipation
    fields = ("enterprise", "role", "status", "joined_on", "left_on", "confirmed_at")
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = _("participants")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enterprise")


@admin.register(Standard)
class StandardAdmin(ReadOnlyAdmin):
    list_display = (
        "__str__",
        "title",
        "is_international",
        "stage",
        "lead",
        "participant_count",
        "pending_count",
        "created_at",
    )
    list_filter = ("stage", "is_international", "body")
    search_fields = ("body", "number", "key", "title")
    search_help_text = _("Search by body, number or title.")
    fields = ("body", "number", "key", "title", "is_international", "stage", "created_at")
    readonly_fields = fields
    inlines = (ParticipationInline,)

    def get_queryset(self, request):
        lead = StandardParticipation.objects.filter(
            standard=OuterRef("pk"), role=StandardRole.LEAD
        ).exclude(status=ParticipationStatus.REJECTED)
        return (
            super()
            .get_queryset(request)
            .annotate(
                lead_name=Subquery(lead.values("enterprise__name_zh")[:1]),
                participant_count=Count(
                    "participations",
                    filter=~_status_is(ParticipationStatus.REJECTED),
                    distinct=True,
                ),
                pending_count=Count(
                    "participations",
                    filter=_status_is(ParticipationStatus.PENDING),
                    distinct=True,
                ),
            )
        )

    @admin.display(description=_("lead organisation"))
    def lead(self, standard: Standard) -> str:
        return standard.lead_name or EMPTY

    @admin.display(description=_("participants"), ordering="participant_count")
    def participant_count(self, standard: Standard) -> int:
        return standard.participant_count

    @admin.display(description=_("awaiting confirmation"), ordering="pending_count")
    def pending_count(self, standard: Standard) -> int:
        return standard.pending_count


def _status_is(status: str) -> Q:
    return Q(participations__status=status)


@admin.register(StandardParticipation)
class StandardParticipationAdmin(DecisionAdmin):
    list_display = (
        "standard",
        "enterprise",
        "role",
        "status",
        "joined_on",
        "left_on",
        "confirmed_at",
    )
    list_filter = ("status", "role", "standard__is_international")
    list_select_related = ("standard", "enterprise")
    search_fields = (
        "standard__body",
        "standard__number",
        "standard__title",
        "enterprise__name_zh",
        "enterprise__name_en",
        "enterprise__uscc",
    )
    search_help_text = _(
        "Search by the standard's number or title, or the organisation's name or credit code."
    )
    fields = (
        "standard_link",
        "organisation",
        "role",
        "joined_on",
        "left_on",
        "evidence",
        "status",
        "declared_by",
        "confirmed_by",
        "confirmed_at",
        "decision_reason",
        "record",
    )
    readonly_fields = fields
    actions = ("confirm", "do_not_confirm")
    record = _record_field

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("standard", "enterprise", "declared_by", "confirmed_by")
        )

    def applicable_actions(self, participation: StandardParticipation) -> list[str]:
        if participation.status == ParticipationStatus.PENDING:
            return ["confirm", "do_not_confirm"]
        return []

    @admin.display(description=_("standard"))
    def standard_link(self, participation: StandardParticipation) -> str:
        standard = participation.standard
        return _admin_link(standard, f"{standard} {standard.title}")

    @admin.display(description=_("organisation"))
    def organisation(self, participation: StandardParticipation) -> str:
        return _admin_link(participation.enterprise)

    @admin.action(description=_("Confirm"), permissions=("change",))
    def confirm(self, request, queryset):
        return decide(
            self,
            request,
            queryset,
            action="confirm",
            title=gettext("Confirm the participation"),
            reason_required=False,
            call=lambda participation, reason: services.participation_decide(
                actor=request.user, participation=participation, confirm=True, reason=reason
            ),
            done=gettext("Confirmed: %(names)s."),
        )

    @admin.action(description=_("Do not confirm"), permissions=("change",))
    def do_not_confirm(self, request, queryset):
        return decide(
            self,
            request,
            queryset,
            action="do_not_confirm",
            title=gettext("Do not confirm the participation"),
            reason_required=True,
            call=lambda participation, reason: services.participation_decide(
                actor=request.user, participation=participation, confirm=False, reason=reason
            ),
            done=gettext("Not confirmed: %(names)s."),
        )


# --- demands and responses ----------------------------------------------------------------


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
    record = _record_field

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
        return _admin_link(demand.owner)

    @admin.display(description=_("required certifications"))
    def certifications(self, demand: Demand) -> str:
        labels = dict(CertificationScheme.choices)
        return (
            ", ".join(str(labels.get(s, s)) for s in demand.required_certifications or []) or EMPTY
        )

    @admin.display(description=_("collaboration"))
    def collaboration_link(self, demand: Demand) -> str:
        return _admin_link(Collaboration.objects.filter(demand=demand).first())


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
    record = _record_field

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("demand", "supplier")

    @admin.display(description=_("demand"))
    def demand_link(self, response: DemandResponse) -> str:
        return _admin_link(response.demand)

    @admin.display(description=_("supplier"))
    def supplier_link(self, response: DemandResponse) -> str:
        return _admin_link(response.supplier)

    @admin.display(description=_("terms proposed by the anchor"))
    def terms(self, response: DemandResponse) -> str:
        return _json(response.owner_terms)


# --- collaborations -----------------------------------------------------------------------


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
    record = _record_field

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
        return _admin_link(collaboration.demand)

    @admin.display(description=_("delivered against the commitment"))
    def delivered(self, collaboration: Collaboration) -> str:
        if collaboration.model != CollaborationModel.LONG_TERM_SUPPLY:
            return EMPTY
        unit = collaboration.volume_unit
        return _table(
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


# --- the record ---------------------------------------------------------------------------


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
        return _link_to("alliance", event.subject_type, event.subject_id, text)

    @admin.display(description=_("data"))
    def data_shown(self, event: AllianceEvent) -> str:
        return _json(event.data)


# --- demonstration projects (issue 6) ---------------------------------------------------------

EVENT_ACTIONS.update(
    {
        "demonstration_created": _("Demonstration project recorded"),
        "field_report_filed": _("Field report filed"),
    }
)

DEMONSTRATION_REPORT_FIELDS = (
    "reported_on",
    "cycles_done",
    "capacity_retention_percent",
    "round_trip_efficiency_percent",
    "specific_energy_wh_per_kg",
    "volumetric_energy_wh_per_l",
    "peak_discharge_c_rate",
    "lowest_temperature_c",
    "highest_temperature_c",
    "incident_count",
    "incidents",
    "filed_by",
    "filed_at",
)


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
