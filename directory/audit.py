"""The listings' audit trail and what a decision tells the members: StatusChange rows, changed
values kept as JSON, and the decision emails."""

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from directory.access import member_emails
from directory.models import Enterprise, Product, StatusChange
from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.mail import absolute_url, send_mail_on_commit, with_reason
from ssb_portal.roles import is_official


def to_json(value: Any) -> Any:
    """A field value as it is kept in pending_changes (JSON)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def record_status_change(
    *,
    enterprise: Enterprise,
    actor: AbstractBaseUser | None,
    from_status: str,
    to_status: str,
    reason: str = "",
    product: Product | None = None,
    changes: dict | None = None,
) -> StatusChange:
    """Record a listing's status change; an official's decision also joins the audit chain."""
    change = StatusChange.objects.create(
        enterprise=enterprise,
        product=product,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        changes=changes or None,
    )
    if actor is not None and actor.is_authenticated and is_official(actor):
        audit_append(
            actor=actor,
            action="verification",
            subject=product or enterprise,
            data={
                "enterprise": enterprise.uscc,
                "from": from_status,
                "to": to_status,
                "reason": reason,
                "status_change": change.pk,
            },
        )
    return change


def notify_members_of_decision(
    enterprise: Enterprise, what: str, decision: str, reason: str, *, path: str = ""
):
    """`what` and `decision` may be lazy translations: each reader gets them in their language.
    The link goes to `path`, else to the enterprise's own page."""
    link = absolute_url(path or reverse("directory:my_enterprise", args=[enterprise.uscc]))

    def body() -> str:
        text = _("%(what)s: %(decision)s.") % {"what": what, "decision": decision}
        return with_reason(text, reason) + "\n\n" + link

    send_mail_on_commit(
        lambda: _("SSB Portal: %(what)s") % {"what": what},
        body,
        member_emails(enterprise),
    )
