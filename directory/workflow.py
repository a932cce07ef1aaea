"""The listing workflow: which status may follow which, and who may make the move.

A new registration (enterprise or product) waits for an official. A returned listing goes
back to pending when its members correct and resubmit it. An official may also withdraw a
verified listing (returned, with a reason). Edits to a verified listing do not change its
status: they wait beside it as pending changes (see services).
"""

from directory.models import ListingStatus

OFFICIAL = "official"
MEMBER = "member"

LISTING_TRANSITIONS: dict[str, dict[str, str]] = {
    ListingStatus.PENDING: {ListingStatus.VERIFIED: OFFICIAL, ListingStatus.RETURNED: OFFICIAL},
    ListingStatus.RETURNED: {ListingStatus.PENDING: MEMBER},
    ListingStatus.VERIFIED: {ListingStatus.RETURNED: OFFICIAL},
}


def allowed_role(from_status: str, to_status: str) -> str | None:
    """The role that may move a listing from one status to another, or None if nobody may."""
    return LISTING_TRANSITIONS.get(from_status, {}).get(to_status)
