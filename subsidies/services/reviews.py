"""The officials' review: start it, return or reject, assign reviewers and score,
rank a land round; and the conflicts of interest that keep people out of it.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.models import Enterprise
from ssb_portal.audit_chain.chain import audit_append
from ssb_portal.mail import send_mail_on_commit
from ssb_portal.roles import require_official
from subsidies import rules
from subsidies.models import Application, ConflictDeclaration, Programme, ProgrammeKind, Review
from subsidies.models import ApplicationStatus as S
from subsidies.selectors.access import conflict_of_interest
from subsidies.services.guards import (
    lock_application,
    lock_programme,
    require_no_conflict,
    require_note,
)
from subsidies.services.notifications import application_url, notify_applicant
from subsidies.services.transitions import transition_application
from subsidies.workflow import OFFICIAL

#: While an application is in these states its reviewers may fill in or change their scores.
REVIEWABLE_STATUSES = (S.SUBMITTED, S.UNDER_REVIEW, S.AWAITING_CONFIRMATION)


def application_start_review(
    *, actor: AbstractBaseUser, application: Application, note: str = ""
) -> Application:
    require_official(actor)
    with transaction.atomic():
        application = lock_application(application)
        require_no_conflict(actor, application)
        transition_application(
            application, actor=actor, to_status=S.UNDER_REVIEW, role=OFFICIAL, note=note
        )
    return application


def application_return(
    *, actor: AbstractBaseUser, application: Application, note: str
) -> Application:
    """Send back for changes; the note tells the applicant exactly what to change."""
    require_official(actor)
    note = require_note(note, _("returning the application"))
    with transaction.atomic():
        application = lock_application(application)
        require_no_conflict(actor, application)
        transition_application(
            application, actor=actor, to_status=S.RETURNED, role=OFFICIAL, note=note
        )
        notify_applicant(application, gettext_lazy("returned for changes"), note)
    return application


def application_reject(
    *, actor: AbstractBaseUser, application: Application, note: str
) -> Application:
    require_official(actor)
    note = require_note(note, _("the rejection"))
    with transaction.atomic():
        application = lock_application(application)
        require_no_conflict(actor, application)
        transition_application(
            application, actor=actor, to_status=S.REJECTED, role=OFFICIAL, note=note
        )
        notify_applicant(application, gettext_lazy("rejected"), note)
    return application


def review_assign(
    *, actor: AbstractBaseUser, application: Application, reviewer: AbstractBaseUser
) -> Review:
    require_official(actor)
    if conflict_of_interest(reviewer, application.applicant):
        raise ValidationError(
            {"reviewer": _("This reviewer has a conflict of interest with the applicant.")}
        )
    if application.status not in (S.SUBMITTED, S.UNDER_REVIEW):
        raise ValidationError(_("Reviewers are assigned while an application is being reviewed."))
    with transaction.atomic():
        review, created = Review.objects.get_or_create(
            application=application, reviewer=reviewer, defaults={"assigned_by": actor}
        )
        if not created:
            raise ValidationError({"reviewer": _("This reviewer is already assigned.")})
        audit_append(
            actor=actor,
            action="reviewer_assigned",
            subject=application,
            data={"reviewer": reviewer.pk},
        )
    send_mail_on_commit(
        lambda: _("SSB Portal: an application to review"),
        lambda: _("You have been asked to review application #%(pk)s.") % {"pk": application.pk}
        + "\n\n"
        + application_url(application),
        [reviewer.email],
    )
    return review


def review_submit(
    *,
    actor: AbstractBaseUser,
    review: Review,
    scores: Mapping[str, Any],
    recommendation: str,
    comment: str = "",
) -> Review:
    with transaction.atomic():
        review = (
            Review.objects.select_for_update()
            .select_related("application__programme")
            .get(pk=review.pk)
        )
        if review.reviewer_id != actor.pk:
            raise PermissionDenied(_("Only the assigned reviewer may fill in this review."))
        if review.application.status not in REVIEWABLE_STATUSES:
            raise ValidationError(
                _("The decision on this application is made; reviews can no longer change.")
            )
        require_no_conflict(actor, review.application)
        criteria = review.application.programme.scoring_criteria
        try:
            total = rules.weighted_score(criteria, scores)
        except rules.ScoreError as error:
            raise ValidationError(
                {
                    "scores": _("%(criterion)s: give a score from 0 to %(max)s.")
                    % {"criterion": error.criterion, "max": rules.SCORE_MAX}
                }
            ) from error
        review.scores = {str(c["key"]): str(scores[str(c["key"])]) for c in criteria}
        review.total_score = total
        review.recommendation = recommendation
        review.comment = comment
        review.submitted_at = timezone.now()
        review.full_clean(exclude=["application", "reviewer", "assigned_by"])
        review.save(
            update_fields=["scores", "total_score", "recommendation", "comment", "submitted_at"]
        )
        audit_append(
            actor=actor,
            action="review",
            subject=review.application,
            data={"total": total, "recommendation": recommendation},
        )
    return review


def land_round_rank(
    *, actor: AbstractBaseUser, programme: Programme, ordered_ids: Sequence[int]
) -> None:
    """Rank a land round's requests: the first id gets rank 1."""
    require_official(actor)
    if programme.kind != ProgrammeKind.LAND_PRIORITY:
        raise ValidationError(_("Only land priority rounds are ranked."))
    with transaction.atomic():
        lock_programme(programme.pk)
        candidates = programme.applications.exclude(status__in=(S.DRAFT, S.WITHDRAWN, S.REJECTED))
        known = set(candidates.values_list("pk", flat=True))
        if set(ordered_ids) != known or len(ordered_ids) != len(known):
            raise ValidationError(
                {"ranking": _("Rank every submitted request of the round exactly once.")}
            )
        for rank, pk in enumerate(ordered_ids, start=1):
            Application.objects.filter(pk=pk).update(land_rank=rank)
        audit_append(
            actor=actor, action="land_ranked", subject=programme, data={"order": list(ordered_ids)}
        )


def conflict_declare(
    *, actor: AbstractBaseUser, enterprise: Enterprise, reason: str
) -> ConflictDeclaration:
    reason = require_note(reason, _("the conflict"), field="reason")
    with transaction.atomic():
        declaration, created = ConflictDeclaration.objects.get_or_create(
            user=actor, enterprise=enterprise, defaults={"reason": reason}
        )
        if not created:
            raise ValidationError(_("You have already declared a conflict with this enterprise."))
        audit_append(
            actor=actor,
            action="conflict_declared",
            subject=declaration,
            data={"enterprise": enterprise.uscc, "reason": reason},
        )
    return declaration
