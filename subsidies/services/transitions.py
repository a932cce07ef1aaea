"""The one place an application changes status: check the workflow's table, change,
record a Transition row and an audit entry, and keep the claimed lines in step.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from subsidies.audit import audit_append
from subsidies.models import RELEASED_STATUSES, Application, Transition
from subsidies.models import ApplicationStatus as S
from subsidies.workflow import allowed_role


def _claims_follow(application: Application) -> None:
    """Keep the claimed lines' mirror of "this application still holds its claims" in step."""
    holds = application.status not in RELEASED_STATUSES
    try:
        with transaction.atomic():
            application.claimed_lines.exclude(holds_claim=holds).update(holds_claim=holds)
    except IntegrityError as error:
        raise ValidationError(
            _("A purchase line of this application has been claimed in another application since.")
        ) from error


def _transition(
    application: Application,
    *,
    actor: AbstractBaseUser,
    to_status: str,
    role: str,
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> Transition:
    """The one place an application changes state: check the table, change, record."""
    from_status = application.status
    required = allowed_role(from_status, to_status)
    if required is None:
        raise ValidationError(
            _("An application that is “%(current)s” cannot become “%(target)s”.")
            % {"current": S(from_status).label, "target": S(to_status).label}
        )
    if required != role:
        raise PermissionDenied(_("You may not make this change."))
    application.status = to_status
    now = timezone.now()
    update_fields = ["status", "updated_at"]
    if to_status == S.SUBMITTED:
        application.submitted_at = now
        update_fields.append("submitted_at")
    if to_status == S.DISBURSED:
        application.disbursed_at = now
        update_fields.append("disbursed_at")
    try:
        with transaction.atomic():
            application.save(update_fields=update_fields)
    except IntegrityError as error:
        # The database refuses a second live claim of the same standard or national project.
        raise ValidationError(
            _("What this application claims is already claimed in another application.")
        ) from error
    _claims_follow(application)
    transition = Transition.objects.create(
        application=application,
        actor=actor if actor.is_authenticated else None,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )
    audit_append(
        actor=actor,
        action="status",
        subject=application,
        data={"from": from_status, "to": to_status, "note": note, **(data or {})},
    )
    return transition
