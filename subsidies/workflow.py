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
"""

from subsidies.models import ApplicationStatus as S

APPLICANT = "applicant"
OFFICIAL = "official"

APPLICATION_TRANSITIONS: dict[str, dict[str, str]] = {
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
}


def allowed_role(from_status: str, to_status: str) -> str | None:
    """The role that may move an application between these states, or None if nobody may."""
    return APPLICATION_TRANSITIONS.get(from_status, {}).get(to_status)
