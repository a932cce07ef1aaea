"""Standards and the participations members declare in them; officials confirm a
participation, or do not, with a reason."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from alliance.admin.members import DecisionAdmin
from alliance.admin.record import record_field
from alliance.models import ParticipationStatus, Standard, StandardParticipation, StandardRole
from alliance.services.standards import participation_decide
from alliance.workflow import OFFICIAL, PARTICIPATION_WORKFLOW
from directory.admin.listings import ListingReasonForm
from ssb_portal.admin_kit import (
    EMPTY,
    ReadOnlyAdmin,
    ReadOnlyInline,
    RowAction,
    admin_actions,
    admin_link,
    done_named,
)


def _participation_decision(name, label, title, *, confirm: bool, done) -> RowAction:
    return RowAction(
        name=name,
        label=label,
        title=title,
        form=ListingReasonForm,
        form_kwargs={"required": not confirm},
        call=lambda actor, participation, data: participation_decide(
            actor=actor, participation=participation, confirm=confirm, reason=data["reason"]
        ),
        done=done_named(done),
    )


CONFIRM = _participation_decision(
    "confirm",
    _("Confirm"),
    _("Confirm the participation"),
    confirm=True,
    done=_("Confirmed: %(names)s."),
)
DO_NOT_CONFIRM = _participation_decision(
    "do_not_confirm",
    _("Do not confirm"),
    _("Do not confirm the participation"),
    confirm=False,
    done=_("Not confirmed: %(names)s."),
)


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
    actions = admin_actions(CONFIRM, DO_NOT_CONFIRM)
    record = record_field

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("standard", "enterprise", "declared_by", "confirmed_by")
        )

    def applicable_actions(self, participation: StandardParticipation) -> list[str]:
        # Either decision while the workflow lets an official still decide it.
        decidable = PARTICIPATION_WORKFLOW.next_statuses(participation.status, role=OFFICIAL)
        return ["confirm", "do_not_confirm"] if ParticipationStatus.CONFIRMED in decidable else []

    @admin.display(description=_("standard"))
    def standard_link(self, participation: StandardParticipation) -> str:
        standard = participation.standard
        return admin_link(standard, f"{standard} {standard.title}")

    @admin.display(description=_("organisation"))
    def organisation(self, participation: StandardParticipation) -> str:
        return admin_link(participation.enterprise)
