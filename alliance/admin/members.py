"""Membership: officials approve or decline an organisation's application with a reason."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance.admin.record import record_field
from alliance.models import AllianceMember, MemberStatus
from alliance.services.membership import member_approve, member_decline
from alliance.workflow import MEMBER_WORKFLOW, OFFICIAL
from directory.admin.listings import ListingReasonForm
from ssb_portal.admin_kit import (
    DecisionsAdmin,
    StatusAction,
    admin_actions,
    admin_link,
    done_named,
    waiting_first,
)


class DecisionAdmin(DecisionsAdmin):
    """Read-only change pages with the decisions that apply as buttons; decisions only
    through the actions, on the directory's reason page; nothing added or deleted here."""

    action_form_template = "admin/directory/reason_form.html"


def _member_decision(name, label, title, target, service, done, *, reason_required: bool):
    return StatusAction(
        name=name,
        label=label,
        title=title,
        workflow=MEMBER_WORKFLOW,
        target=target,
        role=OFFICIAL,
        form=ListingReasonForm,
        form_kwargs={"required": reason_required},
        call=lambda actor, member, data: service(actor=actor, member=member, reason=data["reason"]),
        done=done_named(done),
    )


APPROVE = _member_decision(
    "approve",
    _("Approve"),
    _("Approve the membership"),
    MemberStatus.APPROVED,
    member_approve,
    _("Approved: %(names)s."),
    reason_required=False,
)
DECLINE = _member_decision(
    "decline",
    _("Decline"),
    _("Decline the membership"),
    MemberStatus.DECLINED,
    member_decline,
    _("Declined: %(names)s."),
    reason_required=True,
)


@admin.register(AllianceMember)
class AllianceMemberAdmin(DecisionAdmin):
    list_display = ("enterprise", "kind", "district", "status", "applied_at", "decided_at")
    list_filter = ("status", "enterprise__kind")
    list_select_related = ("enterprise__district",)
    search_fields = ("enterprise__name_zh", "enterprise__name_en", "enterprise__uscc")
    search_help_text = _("Search by the organisation's name or unified social credit code.")
    # Applications waiting for a decision first, the oldest first; then the newest.
    ordering = waiting_first([(Q(status=MemberStatus.APPLIED), "applied_at")], "-applied_at", "-pk")
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
    actions = admin_actions(APPROVE, DECLINE)
    record = record_field

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("enterprise__district", "applied_by", "decided_by")
        )

    def applicable_actions(self, member: AllianceMember) -> list[str]:
        return [action.name for action in (APPROVE, DECLINE) if member.status in action.sources()]

    @admin.display(description=_("organisation"))
    def organisation(self, member: AllianceMember) -> str:
        return admin_link(member.enterprise)

    @admin.display(description=_("kind"), ordering="enterprise__kind")
    def kind(self, member: AllianceMember) -> str:
        return member.enterprise.get_kind_display()

    @admin.display(description=_("district"), ordering="enterprise__district")
    def district(self, member: AllianceMember) -> str:
        return str(member.enterprise.district)

    @admin.display(description=_("directory status"))
    def listing_status(self, member: AllianceMember) -> str:
        return member.enterprise.get_status_display()
