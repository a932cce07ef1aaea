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
from ssb_portal.roles import is_official


def _record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    subject: models.Model,
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> AllianceEvent:
    return record_action(
        AllianceEvent, actor=actor, action=action, subject=subject, note=note, data=data
    )


def _is_member_of(user: AbstractBaseUser, enterprise_id: int) -> bool:
    return is_member_of(user, enterprise_id)


def _require_member_of(user: AbstractBaseUser, enterprise_id: int) -> None:
    if not _is_member_of(user, enterprise_id):
        raise PermissionDenied(_("Only members of this organisation may do this."))


def _require_official(user: AbstractBaseUser) -> None:
    if not is_official(user):
        raise PermissionDenied(_("Only officials may do this."))


def _require_alliance_member(enterprise: Enterprise) -> None:
    if not AllianceMember.objects.filter(
        enterprise=enterprise, status=MemberStatus.APPROVED
    ).exists():
        raise ValidationError(
            _("%(name)s is not a member of the alliance yet.") % {"name": enterprise}
        )


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give the reason.")})
    return reason


def _notify(enterprise: Enterprise, subject: Compose, body: Compose, path: str) -> None:
    send_mail_on_commit(
        lambda: _("SSB Portal: %(subject)s") % {"subject": subject()},
        lambda: body() + "\n\n" + absolute_url(path),
        member_emails(enterprise),
    )
