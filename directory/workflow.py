"""The directory's workflows as data: which status may follow which, and who may make the move.

A new registration (enterprise or product) waits for an official. A returned listing goes
back to pending when its members correct and resubmit it. An official may also withdraw a
verified listing (returned, with a reason). Edits to a verified listing do not change its
status: they wait beside it as pending changes (see services).

A measurement dataset behind a product's spec waits for an official, who accepts or rejects
it; an official may later reverse either decision.
"""

from django.utils.translation import gettext_lazy as _

from directory.models import DatasetStatus, ListingStatus
from ssb_portal.workflow import Workflow

OFFICIAL = "official"
MEMBER = "member"

LISTING_WORKFLOW = Workflow(
    statuses=ListingStatus,
    moves={
        ListingStatus.PENDING: {
            ListingStatus.VERIFIED: OFFICIAL,
            ListingStatus.RETURNED: OFFICIAL,
        },
        ListingStatus.RETURNED: {ListingStatus.PENDING: MEMBER},
        ListingStatus.VERIFIED: {ListingStatus.RETURNED: OFFICIAL},
    },
    refusal=_("A listing that is “%(current)s” cannot become “%(target)s”."),
)

DATASET_WORKFLOW = Workflow(
    statuses=DatasetStatus,
    moves={
        DatasetStatus.SUBMITTED: {
            DatasetStatus.ACCEPTED: OFFICIAL,
            DatasetStatus.REJECTED: OFFICIAL,
        },
        DatasetStatus.ACCEPTED: {DatasetStatus.REJECTED: OFFICIAL},
        DatasetStatus.REJECTED: {DatasetStatus.ACCEPTED: OFFICIAL},
    },
    refusal=_("A dataset that is “%(current)s” cannot become “%(target)s”."),
)
