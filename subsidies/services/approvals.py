"""Approving awards against the programme's budget and the enterprise's cap, the second
official's confirmation of large ones, and deciding appeals.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ssb_portal.roles import require_official
from subsidies.models import Appeal, AppealOutcome, Application, Programme, ProgrammeKind
from subsidies.models import ApplicationStatus as S
from subsidies.selectors.money import (
    programme_committed_cny,
    support_cap_in_force,
    support_received_cny,
)
from subsidies.services.guards import (
    lock_application,
    lock_programme,
    lock_recipient,
    require_no_conflict,
    require_note,
)
from subsidies.services.notifications import notify_applicant, notify_officials
from subsidies.services.transitions import transition_application
from subsidies.workflow import OFFICIAL


def _check_money_room(application: Application, programme: Programme, amount: Decimal) -> dict:
    """Refuse an award past the programme's budget or the enterprise's cap.

    Called with the programme's and the recipient's rows locked, so the sums cannot move
    under us. Returns the figures for the audit record.
    """
    figures: dict[str, Any] = {}
    if programme.budget_cny is not None:
        remaining = programme.budget_cny - programme_committed_cny(programme)
        figures["budget_remaining_before_cny"] = remaining
        if amount > remaining:
            raise ValidationError(
                _(
                    "Approving %(amount)s CNY would exceed the programme's budget: "
                    "%(remaining)s CNY remain."
                )
                % {"amount": f"{amount:,.2f}", "remaining": f"{remaining:,.2f}"}
            )
    cap = support_cap_in_force()
    if cap is not None:
        since = timezone.now() - datetime.timedelta(days=365 * cap.years)
        received = support_received_cny(application.applicant, since=since)
        room = cap.amount_cny - received
        figures["cap_room_before_cny"] = room
        if amount > room:
            raise ValidationError(
                _(
                    "Approving %(amount)s CNY would pass the cap of %(cap)s CNY per enterprise "
                    "and group over %(years)s years: %(room)s CNY of room remain."
                )
                % {
                    "amount": f"{amount:,.2f}",
                    "cap": f"{cap.amount_cny:,.2f}",
                    "years": cap.years,
                    "room": f"{max(room, Decimal(0)):,.2f}",
                }
            )
    return figures


def application_approve(
    *,
    actor: AbstractBaseUser,
    application: Application,
    note: str = "",
    amount_cny: Decimal | None = None,
) -> Application:
    """Approve: reserve the award against the budget and the cap, or ask for confirmation.

    The award is the computed amount; for R&D proposals the official sets the approved amount,
    at most the requested one. Above the programme's threshold the application waits for a
    second official's confirmation, with the money already reserved.
    """
    require_official(actor)
    with transaction.atomic():
        application = Application.objects.only("programme_id").get(pk=application.pk)
        programme = lock_programme(application.programme_id)
        application = lock_application(application)
        require_no_conflict(actor, application)
        if application.status != S.UNDER_REVIEW:
            raise ValidationError(
                _("Only an application under review can be approved; this one is “%(status)s”.")
                % {"status": application.get_status_display()}
            )
        if programme.review_required:
            _require_completed_review(application)
        award = _award_amount(application, amount_cny)
        figures: dict[str, Any] = {}
        if award is not None:
            lock_recipient(application.applicant)
            figures = _check_money_room(application, programme, award)
        application.awarded_amount_cny = award
        application.decided_at = timezone.now()
        needs_second = (
            award is not None
            and programme.second_approval_above_cny is not None
            and award > programme.second_approval_above_cny
        )
        target = S.AWAITING_CONFIRMATION if needs_second else S.APPROVED
        if needs_second:
            application.first_approved_by = actor
        application.save(update_fields=["awarded_amount_cny", "decided_at", "first_approved_by"])
        transition_application(
            application,
            actor=actor,
            to_status=target,
            role=OFFICIAL,
            note=note,
            data={"awarded_cny": award, **figures},
        )
        if needs_second:
            notify_officials(application, gettext_lazy("an approval to confirm"))
        else:
            notify_applicant(application, gettext_lazy("approved"), note)
    return application


def _require_completed_review(application: Application) -> None:
    """Refuse the approval until a reviewer has submitted a review (the programme asks it)."""
    if not application.reviews.filter(submitted_at__isnull=False).exists():
        raise ValidationError(
            _(
                "This programme requires a completed review before approval: assign a reviewer "
                "and approve once they have submitted their review."
            )
        )


def _award_amount(application: Application, amount_cny: Decimal | None) -> Decimal | None:
    if not application.programme.is_monetary:
        return None
    if application.kind == ProgrammeKind.RD_FUND:
        requested = application.computed_amount_cny or Decimal(0)
        award = requested if amount_cny is None else Decimal(amount_cny)
        if award <= 0 or award > requested:
            raise ValidationError(
                {
                    "amount_cny": _(
                        "The approved amount must be above 0 and at most %(requested)s CNY."
                    )
                    % {"requested": f"{requested:,.2f}"}
                }
            )
        return award.quantize(Decimal("0.01"))
    if amount_cny is not None and Decimal(amount_cny) != application.computed_amount_cny:
        raise ValidationError(
            {"amount_cny": _("This programme's award is computed by its rule and cannot be set.")}
        )
    return application.computed_amount_cny


def application_confirm(
    *, actor: AbstractBaseUser, application: Application, note: str = ""
) -> Application:
    """The second official's confirmation of a large award."""
    require_official(actor)
    with transaction.atomic():
        application = lock_application(application)
        require_no_conflict(actor, application)
        if application.first_approved_by_id == actor.pk:
            raise PermissionDenied(
                _("A second official must confirm: you made the first approval.")
            )
        transition_application(
            application, actor=actor, to_status=S.APPROVED, role=OFFICIAL, note=note
        )
        notify_applicant(application, gettext_lazy("approved"), note)
    return application


def application_decline_confirmation(
    *, actor: AbstractBaseUser, application: Application, note: str
) -> Application:
    """The second official does not confirm: back to review, the reservation released."""
    require_official(actor)
    note = require_note(note, _("declining the confirmation"))
    with transaction.atomic():
        application = lock_application(application)
        require_no_conflict(actor, application)
        if application.first_approved_by_id == actor.pk:
            raise PermissionDenied(_("A second official must decide: you made the first approval."))
        release_award(application)
        transition_application(
            application, actor=actor, to_status=S.UNDER_REVIEW, role=OFFICIAL, note=note
        )
    return application


def release_award(application: Application) -> None:
    """Clear the award (amount, decision, first approver, notice) of an application that no
    longer holds it."""
    application.awarded_amount_cny = None
    application.decided_at = None
    application.first_approved_by = None
    application.notice = None
    application.save(
        update_fields=["awarded_amount_cny", "decided_at", "first_approved_by", "notice"]
    )


def appeal_decide(*, actor: AbstractBaseUser, appeal: Appeal, upheld: bool, note: str) -> Appeal:
    """Another official than the one who rejected decides the appeal."""
    require_official(actor)
    note = require_note(note, _("the appeal decision"))
    with transaction.atomic():
        appeal = Appeal.objects.select_for_update().select_related("rejection").get(pk=appeal.pk)
        application = lock_application(appeal.application)
        require_no_conflict(actor, application)
        if appeal.outcome:
            raise ValidationError(_("This appeal has already been decided."))
        if appeal.rejection is not None and appeal.rejection.actor_id == actor.pk:
            raise PermissionDenied(
                _("Another official must decide an appeal against your rejection.")
            )
        target = S.UNDER_REVIEW if upheld else S.REJECTED
        transition_application(application, actor=actor, to_status=target, role=OFFICIAL, note=note)
        appeal.outcome = AppealOutcome.UPHELD if upheld else AppealOutcome.DISMISSED
        appeal.decided_by = actor
        appeal.decided_at = timezone.now()
        appeal.decision_note = note
        appeal.save(update_fields=["outcome", "decided_by", "decided_at", "decision_note"])
        notify_applicant(
            application,
            gettext_lazy("appeal upheld") if upheld else gettext_lazy("appeal dismissed"),
            note,
        )
    return appeal
