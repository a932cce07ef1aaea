"""The officials' decisions on applications, as data: each is a service call per selected
application, after a form; the moves of the application workflow are only tried on
applications whose status the workflow lets an official move to the target."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ssb_portal.admin_kit import (
    RowAction,
    StatusAction,
    admin_actions,
    admin_link,
    cny,
    done_each,
    error_text,
)
from subsidies.admin.forms import (
    AppealDecisionForm,
    ApproveForm,
    AssignReviewerForm,
    NoteForm,
    RecoveryOpenForm,
)
from subsidies.models import AppealOutcome, Application
from subsidies.models import ApplicationStatus as S
from subsidies.services.approvals import (
    appeal_decide,
    application_approve,
    application_confirm,
    application_decline_confirmation,
)
from subsidies.services.disbursements import disbursement_batch_prepare
from subsidies.services.recoveries import recovery_open
from subsidies.services.reviews import (
    application_reject,
    application_return,
    application_start_review,
    review_assign,
)
from subsidies.workflow import APPLICATION_WORKFLOW, OFFICIAL

#: The decisions offered on an application's page, by its state.
ACTIONS_BY_STATUS: dict[str, list[str]] = {
    S.SUBMITTED: ["start_review", "assign_reviewer", "return_application", "reject"],
    S.UNDER_REVIEW: ["approve", "assign_reviewer", "return_application", "reject"],
    S.AWAITING_CONFIRMATION: ["confirm", "decline_confirmation"],
    S.APPEALED: ["decide_appeal"],
    S.IN_NOTICE: ["prepare_disbursement_batch"],
    S.DISBURSED: ["open_recovery"],
}


def _status_move(name: str, label, target: str, service, *, required=True) -> StatusAction:
    """A move of the workflow whose service takes the note (`required` or not) and returns
    the application."""
    return StatusAction(
        name=name,
        label=label,
        workflow=APPLICATION_WORKFLOW,
        target=target,
        role=OFFICIAL,
        form=NoteForm,
        form_kwargs={"required": required},
        call=lambda actor, application, data: service(
            actor=actor, application=application, note=data["note"]
        ).get_status_display(),
        done=done_each,
    )


START_REVIEW = _status_move(
    "start_review",
    _("Start review"),
    S.UNDER_REVIEW,
    application_start_review,
    required=False,
)
CONFIRM = _status_move(
    "confirm",
    _("Confirm the approval (second official)"),
    S.APPROVED,
    application_confirm,
    required=False,
)
DECLINE_CONFIRMATION = _status_move(
    "decline_confirmation",
    _("Decline to confirm (back to review)"),
    S.UNDER_REVIEW,
    application_decline_confirmation,
)
RETURN = _status_move("return_application", _("Return for changes"), S.RETURNED, application_return)
REJECT = _status_move("reject", _("Reject"), S.REJECTED, application_reject)


def _approved(actor, application: Application, data: dict[str, Any]) -> str:
    application = application_approve(
        actor=actor, application=application, note=data["note"], amount_cny=data["amount_cny"]
    )
    if application.status == S.AWAITING_CONFIRMATION:
        return gettext("approved %(amount)s CNY; a second official must confirm it.") % {
            "amount": cny(application.awarded_amount_cny)
        }
    if application.awarded_amount_cny is None:
        return gettext("approved.")
    return gettext("approved %(amount)s CNY.") % {"amount": cny(application.awarded_amount_cny)}


# Approval is a row action, not a status move: its service names the one state it approves
# from, and which of two states it leads to depends on the amount.
APPROVE = RowAction(
    name="approve", label=_("Approve"), form=ApproveForm, call=_approved, done=done_each
)


def _reviewer_assigned(actor, application: Application, data: dict[str, Any]) -> str:
    reviewer = data["reviewer"]
    review_assign(actor=actor, application=application, reviewer=reviewer)
    return gettext("%(reviewer)s is asked to review.") % {"reviewer": reviewer.get_username()}


ASSIGN_REVIEWER = RowAction(
    name="assign_reviewer",
    label=_("Assign a reviewer"),
    form=AssignReviewerForm,
    call=_reviewer_assigned,
    done=done_each,
)


def _appeal_decided(actor, application: Application, data: dict[str, Any]) -> str:
    appeal = application.appeals.filter(outcome="").order_by("-filed_at", "-pk").first()
    if appeal is None:
        raise ValidationError(gettext("No appeal is waiting for a decision."))
    appeal = appeal_decide(
        actor=actor,
        appeal=appeal,
        upheld=data["outcome"] == AppealOutcome.UPHELD,
        note=data["note"],
    )
    return appeal.get_outcome_display()


DECIDE_APPEAL = RowAction(
    name="decide_appeal",
    label=_("Decide the appeal"),
    form=AppealDecisionForm,
    call=_appeal_decided,
    done=done_each,
)


def _recovery_opened(actor, application: Application, data: dict[str, Any]) -> str:
    amount = data["amount_cny"]
    if amount is None:
        amount = application.awarded_amount_cny
    if amount is None:
        raise ValidationError(gettext("This application has no award to recover."))
    recovery = recovery_open(
        actor=actor,
        application=application,
        reason=data["reason"],
        amount_cny=amount,
        basis=data["basis"],
    )
    return gettext("recovery of %(amount)s CNY opened.") % {"amount": cny(recovery.amount_cny)}


OPEN_RECOVERY = RowAction(
    name="open_recovery",
    label=_("Open a recovery (clawback)"),
    form=RecoveryOpenForm,
    call=_recovery_opened,
    done=done_each,
)


@admin.action(description=_("Prepare a disbursement batch"), permissions=("change",))
def prepare_disbursement_batch(modeladmin, request, queryset):
    """One batch of the selected awards: the service takes them all or none."""
    try:
        batch = disbursement_batch_prepare(actor=request.user, applications=list(queryset))
    except (ValidationError, PermissionDenied) as error:
        modeladmin.message_user(request, error_text(error), level=messages.ERROR)
        return None
    count = batch.applications.count()
    modeladmin.message_user(
        request,
        format_html(
            "{} {}",
            ngettext(
                "Batch %(ref)s prepared: %(count)d award, %(total)s CNY.",
                "Batch %(ref)s prepared: %(count)d awards, %(total)s CNY.",
                count,
            )
            % {"ref": batch.reference, "count": count, "total": cny(batch.total_cny)},
            admin_link(batch, gettext("Open the batch")),
        ),
        level=messages.SUCCESS,
    )
    return None


APPLICATION_ACTIONS = (
    *admin_actions(
        START_REVIEW,
        APPROVE,
        CONFIRM,
        DECLINE_CONFIRMATION,
        RETURN,
        REJECT,
        ASSIGN_REVIEWER,
        DECIDE_APPEAL,
    ),
    prepare_disbursement_batch,
    *admin_actions(OPEN_RECOVERY),
)
