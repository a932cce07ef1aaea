"""The application workflow as data: which state may follow which, and who may make the move.

    draft ──submit──> submitted ──start review──> under review ──approve──> approved
      ^                  │                          │   │                     │
      └──(returned)<─────┴──────── return ──────────┘   └─> awaiting confirmation ─┘
                                                        (above the programme's threshold,
                                                         a second official confirms)
    approved ──publish notice──> in notice ──batch paid──> disbursed
    in notice ──objection upheld──> under review
    submitted / under review ──reject──> rejected ──appeal──> appealed
    appealed ──another official──> under review (upheld) or rejected (dismissed)
    draft / returned / submitted / under review ──withdraw──> withdrawn

Returned works as a draft: the applicant edits it and submits it again.
Some moves need more than the role; the service checks these conditions:
- confirmation, appeal decisions and objection rulings are made by an official other than
  the one who made the first decision;
- publication and payment come from notices and disbursement batches, never from a bare
  status change.

An objection to a published award is open until an official upholds or dismisses it. A
recovery of money paid is open until it is repaid (perhaps in parts) or written off by an
official.
"""

from django.utils.translation import gettext_lazy as _

from ssb_portal.workflow import Workflow
from subsidies.models import ApplicationStatus as S
from subsidies.models import ObjectionStatus, RecoveryStatus

APPLICANT = "applicant"
OFFICIAL = "official"

APPLICATION_WORKFLOW = Workflow(
    statuses=S,
    moves={
        S.DRAFT: {S.SUBMITTED: APPLICANT, S.WITHDRAWN: APPLICANT},
        S.RETURNED: {S.SUBMITTED: APPLICANT, S.WITHDRAWN: APPLICANT},
        S.SUBMITTED: {
            S.UNDER_REVIEW: OFFICIAL,
            S.RETURNED: OFFICIAL,
            S.REJECTED: OFFICIAL,
            S.WITHDRAWN: APPLICANT,
        },
        S.UNDER_REVIEW: {
            S.APPROVED: OFFICIAL,
            S.AWAITING_CONFIRMATION: OFFICIAL,
            S.RETURNED: OFFICIAL,
            S.REJECTED: OFFICIAL,
            S.WITHDRAWN: APPLICANT,
        },
        S.AWAITING_CONFIRMATION: {S.APPROVED: OFFICIAL, S.UNDER_REVIEW: OFFICIAL},
        S.APPROVED: {S.IN_NOTICE: OFFICIAL},
        S.IN_NOTICE: {S.DISBURSED: OFFICIAL, S.UNDER_REVIEW: OFFICIAL},
        S.REJECTED: {S.APPEALED: APPLICANT},
        S.APPEALED: {S.UNDER_REVIEW: OFFICIAL, S.REJECTED: OFFICIAL},
        S.DISBURSED: {},
        S.WITHDRAWN: {},
    },
    refusal=_("An application that is “%(current)s” cannot become “%(target)s”."),
)

OBJECTION_WORKFLOW = Workflow(
    statuses=ObjectionStatus,
    moves={
        ObjectionStatus.OPEN: {
            ObjectionStatus.UPHELD: OFFICIAL,
            ObjectionStatus.DISMISSED: OFFICIAL,
        },
        ObjectionStatus.UPHELD: {},
        ObjectionStatus.DISMISSED: {},
    },
    refusal=_("This objection has already been resolved."),
)

_RECOVERY_ENDS = {
    RecoveryStatus.PARTLY_REPAID: OFFICIAL,
    RecoveryStatus.REPAID: OFFICIAL,
    RecoveryStatus.WRITTEN_OFF: OFFICIAL,
}
RECOVERY_WORKFLOW = Workflow(
    statuses=RecoveryStatus,
    moves={
        RecoveryStatus.OPEN: _RECOVERY_ENDS,
        RecoveryStatus.PARTLY_REPAID: _RECOVERY_ENDS,  # another part, the rest, or written off
        RecoveryStatus.REPAID: {},
        RecoveryStatus.WRITTEN_OFF: {},
    },
    refusal=_("This recovery is closed."),
)
