"""What of the directory waits for an official: new listings, changes to verified listings,
measured datasets and purchase imports held for review (the officials' to-do list)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.models import (
    DatasetStatus,
    Enterprise,
    ListingStatus,
    MeasurementDataset,
    Product,
    PurchaseImport,
    PurchaseImportReview,
)
from ssb_portal.admin_kit.waiting import Waiting, register_waiting

#: A listing waits while it is pending or carries changes not yet verified (the admin lists
#: sort by these, see `listings.waiting_first`).
LISTING_PENDING = Q(status=ListingStatus.PENDING)
LISTING_CHANGED = Q(pending_changes__isnull=False)
LISTING_WAITS = [(LISTING_PENDING, "created_at"), (LISTING_CHANGED, "updated_at")]
DATASET_WAITS = [(Q(status=DatasetStatus.SUBMITTED), "uploaded_at")]

register_waiting(
    Waiting(
        label=_("Enterprise registrations awaiting verification"),
        model=Enterprise,
        condition=LISTING_PENDING,
        since="created_at",
        query="status__exact=pending",
    ),
    Waiting(
        label=_("Changes to enterprises awaiting verification"),
        model=Enterprise,
        condition=LISTING_CHANGED,
        since="updated_at",
        query="has_pending_changes=yes",
    ),
    Waiting(
        label=_("New products awaiting verification"),
        model=Product,
        condition=LISTING_PENDING,
        since="created_at",
        query="status__exact=pending",
    ),
    Waiting(
        label=_("Changes to products awaiting verification"),
        model=Product,
        condition=LISTING_CHANGED,
        since="updated_at",
        query="has_pending_changes=yes",
    ),
    Waiting(
        label=_("Measured datasets awaiting a decision"),
        model=MeasurementDataset,
        condition=DATASET_WAITS[0][0],
        since=DATASET_WAITS[0][1],
        query="status__exact=submitted",
    ),
    Waiting(
        label=_("Purchase imports held for review"),
        model=PurchaseImport,
        condition=Q(review_status=PurchaseImportReview.AWAITING),
        since="created_at",
        query="review_status__exact=awaiting",
    ),
)
