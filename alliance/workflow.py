"""The alliance's small workflows as data: who may move a membership or a response, and where.

Membership: an organisation applies; an official approves or declines with a reason; a
declined organisation may apply again.

A response links one SME to one demand:
    interested ──shortlist──> shortlisted ──invite──> invited ──accept──> accepted
    (the anchor may also invite straight from its matches, or decline at any point before
    the invitation is answered; the SME accepts or declines an invitation)
Once accepted, both sides agree to collaborate (two timestamps, not states); the second
agreement creates the collaboration and marks the demand matched. A demand stays open until
then or until its owner closes it.

One side of a response proposes a meeting; the other side accepts a slot or declines. A
collaboration is active until one of its parties marks it completed or terminated. An
official confirms or refuses a member's claimed part in a standard. Each of these is decided
once, and says so when asked again.
"""

from django.utils.translation import gettext_lazy as _

from alliance.models import (
    CollaborationStatus,
    DemandStatus,
    MeetingStatus,
    MemberStatus,
    ParticipationStatus,
    ResponseStatus,
)
from ssb_portal.workflow import Workflow

OFFICIAL = "official"
APPLICANT = "applicant"
OWNER = "owner"  # the anchor member that posted the demand
SUPPLIER = "supplier"  # the SME answering it
INVITEE = "invitee"  # the side of a response that did not propose the meeting
PARTY = "party"  # a member taking part in the collaboration

# These refuse an unlisted move with the kit's “%(current)s” cannot become “%(target)s”.
MEMBER_WORKFLOW = Workflow(
    statuses=MemberStatus,
    moves={
        MemberStatus.APPLIED: {MemberStatus.APPROVED: OFFICIAL, MemberStatus.DECLINED: OFFICIAL},
        MemberStatus.DECLINED: {MemberStatus.APPLIED: APPLICANT},
        MemberStatus.APPROVED: {},
    },
)

RESPONSE_WORKFLOW = Workflow(
    statuses=ResponseStatus,
    moves={
        ResponseStatus.INTERESTED: {
            ResponseStatus.SHORTLISTED: OWNER,
            ResponseStatus.INVITED: OWNER,
            ResponseStatus.DECLINED: OWNER,
        },
        ResponseStatus.SHORTLISTED: {
            ResponseStatus.INVITED: OWNER,
            ResponseStatus.DECLINED: OWNER,
        },
        ResponseStatus.INVITED: {
            ResponseStatus.ACCEPTED: SUPPLIER,
            ResponseStatus.DECLINED: SUPPLIER,
        },
        ResponseStatus.ACCEPTED: {},
        ResponseStatus.DECLINED: {},
    },
)

DEMAND_WORKFLOW = Workflow(
    statuses=DemandStatus,
    moves={
        DemandStatus.OPEN: {DemandStatus.MATCHED: OWNER, DemandStatus.CLOSED: OWNER},
        DemandStatus.MATCHED: {DemandStatus.CLOSED: OWNER},
        DemandStatus.CLOSED: {},
    },
)

MEETING_WORKFLOW = Workflow(
    statuses=MeetingStatus,
    moves={
        MeetingStatus.PROPOSED: {MeetingStatus.ACCEPTED: INVITEE, MeetingStatus.DECLINED: INVITEE},
        MeetingStatus.ACCEPTED: {},
        MeetingStatus.DECLINED: {},
    },
    refusal=_("This meeting request has been answered already."),
)

COLLABORATION_WORKFLOW = Workflow(
    statuses=CollaborationStatus,
    moves={
        CollaborationStatus.ACTIVE: {
            CollaborationStatus.COMPLETED: PARTY,
            CollaborationStatus.TERMINATED: PARTY,
        },
        CollaborationStatus.COMPLETED: {},
        CollaborationStatus.TERMINATED: {},
    },
    refusal=_("This collaboration is already closed."),
)

PARTICIPATION_WORKFLOW = Workflow(
    statuses=ParticipationStatus,
    moves={
        ParticipationStatus.PENDING: {
            ParticipationStatus.CONFIRMED: OFFICIAL,
            ParticipationStatus.REJECTED: OFFICIAL,
        },
        ParticipationStatus.CONFIRMED: {},
        ParticipationStatus.REJECTED: {},
    },
    refusal=_("This participation has been decided already."),
)
