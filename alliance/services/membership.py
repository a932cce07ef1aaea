"""Membership of the alliance: an organisation applies, officials approve or decline it."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.models import AllianceMember, MemberStatus
from alliance.services.common import record_event, require_member_of, require_reason
from alliance.workflow import APPLICANT, MEMBER_WORKFLOW, OFFICIAL
from directory.access import member_emails
from directory.models import Enterprise, ListingStatus
from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.mail import absolute_url, official_emails, send_mail_on_commit, with_reason
from ssb_portal.roles import require_official
from ssb_portal.workflow import transition


@transaction.atomic
def member_apply(
    *,
    actor: AbstractBaseUser,
    enterprise: Enterprise,
    motivation: str = "",
    notify_new_demands: bool = True,
) -> AllianceMember:
    """A verified enterprise, university or institute applies (or applies again) to join."""
    require_member_of(actor, enterprise.pk)
    if enterprise.status != ListingStatus.VERIFIED:
        raise ValidationError(
            _("Only organisations verified in the directory may join the alliance.")
        )
    member = AllianceMember.objects.select_for_update().filter(enterprise=enterprise).first()
    if member is None:
        member = AllianceMember.objects.create(
            enterprise=enterprise,
            motivation=motivation,
            notify_new_demands=notify_new_demands,
            applied_by=actor,
        )
    else:

        def reapply(_current: str, _target: str) -> None:
            member.motivation = motivation
            member.notify_new_demands = notify_new_demands
            member.applied_by = actor
            member.applied_at = timezone.now()

        transition(
            member,
            MEMBER_WORKFLOW,
            target=MemberStatus.APPLIED,
            roles=APPLICANT,
            prepare=reapply,
            also_update=["motivation", "notify_new_demands", "applied_by", "applied_at"],
            # Recorded below, as a first application is.
            record=lambda _current, _target: None,
        )
    record_event(actor=actor, action="applied", subject=member, note=motivation)
    send_mail_on_commit(
        lambda: _("SSB Portal: an alliance application to decide"),
        lambda: _("%(name)s applies to join the Industry Alliance.") % {"name": enterprise}
        + "\n\n"
        + absolute_url(reverse("admin:alliance_alliancemember_change", args=[member.pk])),
        official_emails(),
    )
    return member


def _decide_member(
    *, actor: AbstractBaseUser, member: AllianceMember, status: str, reason: str
) -> AllianceMember:
    require_official(actor)
    with transaction.atomic():
        member = AllianceMember.objects.select_for_update().get(pk=member.pk)

        def decide(_current: str, _target: str) -> None:
            member.decided_by = actor
            member.decided_at = timezone.now()
            member.decision_reason = reason

        transition(
            member,
            MEMBER_WORKFLOW,
            target=status,
            roles=OFFICIAL,
            prepare=decide,
            also_update=["decided_by", "decided_at", "decision_reason"],
            record=lambda _current, _target: record_event(
                actor=actor, action=status, subject=member, note=reason
            ),
        )
        audit_append(
            actor=actor,
            action="alliance_membership",
            subject=member,
            data={"enterprise": member.enterprise.uscc, "to": status, "reason": reason},
        )
        approved = status == MemberStatus.APPROVED

        def outcome() -> str:
            return _("approved") if approved else _("declined")

        def body() -> str:
            text = _("Your application to join the Industry Alliance was %(outcome)s.") % {
                "outcome": outcome()
            }
            return with_reason(text, reason)

        send_mail_on_commit(
            lambda: _("SSB Portal: alliance membership %(outcome)s") % {"outcome": outcome()},
            body,
            member_emails(member.enterprise),
        )
    return member


def member_approve(
    *, actor: AbstractBaseUser, member: AllianceMember, reason: str = ""
) -> AllianceMember:
    return _decide_member(actor=actor, member=member, status=MemberStatus.APPROVED, reason=reason)


def member_decline(
    *, actor: AbstractBaseUser, member: AllianceMember, reason: str
) -> AllianceMember:
    reason = require_reason(reason)
    return _decide_member(actor=actor, member=member, status=MemberStatus.DECLINED, reason=reason)


@transaction.atomic
def member_set_notifications(
    *, actor: AbstractBaseUser, member: AllianceMember, notify_new_demands: bool
) -> AllianceMember:
    require_member_of(actor, member.enterprise_id)
    member.notify_new_demands = notify_new_demands
    member.save(update_fields=["notify_new_demands"])
    return member
