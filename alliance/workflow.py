"""The alliance's small workflows as data: who may move a membership or a response, and where.

Membership: an organisation applies; an official approves or declines with a reason; a
declined organisation may apply again.

A response links one SME to one demand:
    interested ──shortlist──> shortlisted ──invite──> invited ──accept──> accepted
    (the anchor may also invite straight from its matches, or decline at any point before
    the invitation is answered; the SME accepts or declines an invitation)
Once accepted, both sides agree to collaborate (two timestamps, not states); the second
agreement creates the collaboration and marks the demand matched.
"""

from alliance.models import DemandStatus, MemberStatus, ResponseStatus

OFFICIAL = "official"
APPLICANT = "applicant"
OWNER = "owner"  # the anchor member that posted the demand
SUPPLIER = "supplier"  # the SME answering it

MEMBER_TRANSITIONS: dict[str, dict[str, str]] = {
    MemberStatus.APPLIED: {MemberStatus.APPROVED: OFFICIAL, MemberStatus.DECLINED: OFFICIAL},
    MemberStatus.DECLINED: {MemberStatus.APPLIED: APPLICANT},
    MemberStatus.APPROVED: {},
}

RESPONSE_TRANSITIONS: dict[str, dict[str, str]] = {
    ResponseStatus.INTERESTED: {
        ResponseStatus.SHORTLISTED: OWNER,
        ResponseStatus.INVITED: OWNER,
        ResponseStatus.DECLINED: OWNER,
    },
    ResponseStatus.SHORTLISTED: {ResponseStatus.INVITED: OWNER, ResponseStatus.DECLINED: OWNER},
    ResponseStatus.INVITED: {ResponseStatus.ACCEPTED: SUPPLIER, ResponseStatus.DECLINED: SUPPLIER},
    ResponseStatus.ACCEPTED: {},
    ResponseStatus.DECLINED: {},
}

DEMAND_TRANSITIONS: dict[str, dict[str, str]] = {
    DemandStatus.OPEN: {DemandStatus.MATCHED: OWNER, DemandStatus.CLOSED: OWNER},
    DemandStatus.MATCHED: {DemandStatus.CLOSED: OWNER},
    DemandStatus.CLOSED: {},
}


def allowed_role(table: dict[str, dict[str, str]], from_status: str, to_status: str) -> str | None:
    """The role that may make this move in the table, or None when nobody may."""
    return table.get(from_status, {}).get(to_status)
