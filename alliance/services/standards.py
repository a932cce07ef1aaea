"""Standards work: record a standard, declare an organisation's role in it, officials decide."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.models import ParticipationStatus, Standard, StandardParticipation
from alliance.services.common import record_event, require_member_of, require_reason
from alliance.standard_keys import standard_key
from alliance.workflow import OFFICIAL, PARTICIPATION_WORKFLOW
from directory.access import member_emails
from directory.models import Enterprise
from ssb_portal.mail import absolute_url, official_emails, send_mail_on_commit, with_reason
from ssb_portal.roles import require_official
from ssb_portal.workflow import transition


def standard_register(*, actor: AbstractBaseUser, data: Mapping[str, Any]) -> Standard:
    """Record a standard (body, number, title, international or not, stage); once per key."""
    if not actor.is_authenticated:
        raise PermissionDenied(_("Log in to record a standard."))
    standard = Standard(**{k: data.get(k) for k in ("body", "number", "title", "stage")})
    standard.is_international = bool(data.get("is_international"))
    standard.key = standard_key(standard.body or "", standard.number or "")
    if Standard.objects.filter(key=standard.key).exists():
        raise ValidationError({"number": _("This standard is recorded already.")})
    standard.full_clean()
    with transaction.atomic():
        standard.save()
        record_event(actor=actor, action="standard_recorded", subject=standard)
    return standard


def participation_declare(
    *,
    actor: AbstractBaseUser,
    standard: Standard,
    enterprise: Enterprise,
    role: str,
    joined_on: datetime.date,
    evidence: str,
    left_on: datetime.date | None = None,
) -> StandardParticipation:
    """An organisation declares its role in a standard's work; an official confirms it."""
    require_member_of(actor, enterprise.pk)
    participation = StandardParticipation(
        standard=standard,
        enterprise=enterprise,
        role=role,
        joined_on=joined_on,
        left_on=left_on,
        evidence=(evidence or "").strip(),
        declared_by=actor,
    )
    if left_on is not None and left_on < joined_on:
        raise ValidationError({"left_on": _("The end of the participation is before its start.")})
    participation.full_clean(exclude=["standard", "enterprise"], validate_constraints=False)
    with transaction.atomic():
        try:
            with transaction.atomic():
                participation.save()
        except IntegrityError as error:
            raise ValidationError(
                {
                    "role": _(
                        "Your organisation already takes part in this standard, or another "
                        "organisation leads it."
                    )
                }
            ) from error
        record_event(actor=actor, action="participation_declared", subject=participation)
        send_mail_on_commit(
            lambda: _("SSB Portal: a standards participation to confirm"),
            lambda: str(participation)
            + "\n\n"
            + absolute_url(
                reverse("admin:alliance_standardparticipation_change", args=[participation.pk])
            ),
            official_emails(),
        )
    return participation


def participation_decide(
    *,
    actor: AbstractBaseUser,
    participation: StandardParticipation,
    confirm: bool,
    reason: str = "",
) -> StandardParticipation:
    require_official(actor)
    if not confirm:
        reason = require_reason(reason)
    with transaction.atomic():
        participation = StandardParticipation.objects.select_for_update().get(pk=participation.pk)

        def decide(_current: str, _target: str) -> None:
            participation.confirmed_by = actor
            participation.confirmed_at = timezone.now()
            participation.decision_reason = reason

        transition(
            participation,
            PARTICIPATION_WORKFLOW,
            target=ParticipationStatus.CONFIRMED if confirm else ParticipationStatus.REJECTED,
            roles=OFFICIAL,
            prepare=decide,
            also_update=["confirmed_by", "confirmed_at", "decision_reason"],
            record=lambda _current, target: record_event(
                actor=actor, action=f"participation_{target}", subject=participation, note=reason
            ),
        )

        def outcome() -> str:
            return _("confirmed") if confirm else _("not confirmed")

        def body() -> str:
            text = _("Your participation in %(standard)s was %(outcome)s.") % {
                "standard": participation.standard,
                "outcome": outcome(),
            }
            return with_reason(text, reason)

        send_mail_on_commit(
            lambda: _("SSB Portal: standards participation %(outcome)s") % {"outcome": outcome()},
            body,
            member_emails(participation.enterprise),
        )
    return participation
