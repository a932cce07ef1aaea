"""The one place an application changes status: check the workflow's table, change,
record a Transition row and an audit entry, and keep the claimed lines in step.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.workflow import transition
from subsidies.models import RELEASED_STATUSES, Application, Transition
from subsidies.models import ApplicationStatus as S
from subsidies.services.corrections import application_hold_lines
from subsidies.workflow import APPLICATION_WORKFLOW


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


#: The moment a move to these statuses stamps on the application.
_STAMPED_AT = {S.SUBMITTED: "submitted_at", S.DISBURSED: "disbursed_at"}


def transition_application(
    application: Application,
    *,
    actor: AbstractBaseUser,
    to_status: str,
    role: str,
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> Transition:
    """The one place an application changes state: check the table, change, record."""
    stamped = [_STAMPED_AT[to_status]] if to_status in _STAMPED_AT else []

    def stamp(_current: str, _target: str) -> None:
        now = timezone.now()
        for name in stamped:
            setattr(application, name, now)

    try:
        # Only the move runs in this savepoint, so that the database's refusal reads as the
        # claim it refuses; the claims and the records follow it.
        with transaction.atomic():
            from_status = transition(
                application,
                APPLICATION_WORKFLOW,
                target=to_status,
                roles=role,
                prepare=stamp,
                also_update=["updated_at", *stamped],
                record=lambda current, _target: current,
            )
    except IntegrityError as error:
        # The database refuses a second live claim of the same standard or national project.
        raise ValidationError(
            _("What this application claims is already claimed in another application.")
        ) from error
    _claims_follow(application)
    application_hold_lines(application, actor=actor)
    move = Transition.objects.create(
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
    return move
