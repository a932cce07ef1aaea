"""What every alliance service shares: the audit record, who may act, and the email to an
organisation's members.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from alliance.models import AllianceEvent, AllianceMember, MemberStatus
from directory.access import is_member_of, member_emails
from directory.models import Enterprise
from ssb_portal.mail import Compose, absolute_url, send_mail_on_commit
from ssb_portal.records import record_action


def record_event(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    subject: models.Model,
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> AllianceEvent:
    """Write the alliance's record of one action (who, what, on which row, why)."""
    return record_action(
        AllianceEvent, actor=actor, action=action, subject=subject, note=note, data=data
    )


def require_member_of(user: AbstractBaseUser, enterprise_id: int) -> None:
    """Refuse (PermissionDenied) anyone who is not a member of this enterprise."""
    if not is_member_of(user, enterprise_id):
        raise PermissionDenied(_("Only members of this organisation may do this."))


def require_alliance_member(enterprise: Enterprise) -> None:
    """Refuse (ValidationError) an enterprise that is not an approved alliance member."""
    if not AllianceMember.objects.filter(
        enterprise=enterprise, status=MemberStatus.APPROVED
    ).exists():
        raise ValidationError(
            _("%(name)s is not a member of the alliance yet.") % {"name": enterprise}
        )


def require_reason(reason: str, field: str = "reason") -> str:
    """The stripped reason; refuse (ValidationError under `field`) an empty one."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give the reason.")})
    return reason


def notify_members(enterprise: Enterprise, subject: Compose, body: Compose, path: str) -> None:
    """After commit, email the enterprise's members, each in their language, with a link to
    `path`."""
    send_mail_on_commit(
        lambda: _("SSB Portal: %(subject)s") % {"subject": subject()},
        lambda: body() + "\n\n" + absolute_url(path),
        member_emails(enterprise),
    )
