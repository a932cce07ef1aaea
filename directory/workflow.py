"""The directory's workflows as data: which status may follow which, and who may make the move.

A new registration (enterprise or product) waits for an official. A returned listing goes
back to pending when its members correct and resubmit it. An official may also withdraw a
verified listing (returned, with a reason). Edits to a verified listing do not change its
status: they wait beside it as pending changes (see services).

A measurement dataset behind a product's spec waits for an official, who accepts or rejects
it; an official may later reverse either decision.
"""

from django.utils.translation import gettext_lazy as _

from directory.models import ConfirmationStatus, DatasetStatus, ListingStatus
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

SUPPLIER = "supplier"

#: A supplier's word on a line naming it, as accounts payable match an invoice: it confirms or
#: disputes an unconfirmed line; it may confirm a line it disputed once the buyer has explained
#: it, and dispute a line it confirmed when it finds a mistake (goods returned, wrong amount),
#: because a match is only as good as the latest word. Nobody moves a line back to unconfirmed:
#: a line changed by its buyer is unconfirmed again by itself (see models.confirmations).
CONFIRMATION_WORKFLOW = Workflow(
    statuses=ConfirmationStatus,
    moves={
        ConfirmationStatus.UNCONFIRMED: {
            ConfirmationStatus.CONFIRMED: SUPPLIER,
            ConfirmationStatus.DISPUTED: SUPPLIER,
        },
        ConfirmationStatus.DISPUTED: {ConfirmationStatus.CONFIRMED: SUPPLIER},
        ConfirmationStatus.CONFIRMED: {ConfirmationStatus.DISPUTED: SUPPLIER},
    },
    refusal=_("A line that is “%(current)s” cannot become “%(target)s”."),
)
