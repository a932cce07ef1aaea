"""The pending corrections of an application's claimed lines, as an official decides them:
the values on record beside the proposed ones, and what applying each would do to the
amount computed by the programme's rule."""

import dataclasses
import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from directory.models import (
    CorrectionStatus,
    Enterprise,
    ListingStatus,
    PurchaseLineCorrection,
)
from subsidies import rules
from subsidies.models import Application, ClaimedLine
from subsidies.selectors.eligibility import eligible_category_ids

ZERO = Decimal("0.00")


def claim_counts(
    values: Mapping[str, Any],
    application: Application,
    *,
    local_usccs: set[str],
    category_ids: set[int],
) -> bool:
    """Whether a line with these values (JSON, by attribute name) could be claimed in this
    application: a positive amount, a verified local supplier, the programme's year and one
    of its categories."""
    return (
        Decimal(values["amount"]) > 0
        and values["supplier_id"] in local_usccs
        and _date(values).year == application.programme.year
        and values["category_id"] in category_ids
    )


def _date(values: Mapping[str, Any]) -> datetime.date:
    return datetime.date.fromisoformat(str(values["invoice_date"]))


def local_suppliers(usccs: set[str]) -> set[str]:
    """Which of these credit codes are verified local suppliers."""
    if not usccs:
        return set()
    return set(
        Enterprise.objects.filter(
            uscc__in=usccs, status=ListingStatus.VERIFIED, district__is_local=True
        ).values_list("uscc", flat=True)
    )


def pending_corrections_of(application: Application) -> QuerySet[PurchaseLineCorrection]:
    """The pending corrections of the lines this application claims, oldest first."""
    return (
        PurchaseLineCorrection.objects.filter(
            status=CorrectionStatus.PENDING,
            line__in=ClaimedLine.objects.filter(application=application).values("purchase_line"),
        )
        .select_related("line", "purchase_import")
        .order_by("proposed_at", "pk")
    )


def has_pending_corrections() -> Exists:
    """An application's flag: a claimed line of it has a correction pending (workbench)."""
    return Exists(
        PurchaseLineCorrection.objects.filter(
            status=CorrectionStatus.PENDING,
            line__in=ClaimedLine.objects.filter(application=OuterRef(OuterRef("pk"))).values(
                "purchase_line"
            ),
        )
    )


@dataclasses.dataclass
class PendingCorrection:
    """One pending correction as the official sees it before deciding."""

    correction: PurchaseLineCorrection
    #: (field, value on record, proposed value) of each field the correction changes.
    changes: list[tuple[str, Any, Any]]
    #: The amount computed now, and with this correction (alone) applied.
    amount_now_cny: Decimal
    amount_applied_cny: Decimal
    #: Whether the line still counts once corrected (else it drops out of the claim).
    still_counts: bool


def application_pending_corrections(application: Application) -> list[PendingCorrection]:
    """Each pending correction of the application's claimed lines, with what applying it
    alone would do to the computed amount; a fixed number of queries however many."""
    corrections = list(pending_corrections_of(application))
    if not corrections:
        return []
    claims = {claim.purchase_line_id: claim.amount_cny for claim in application.claimed_lines.all()}
    local = local_suppliers(
        {c.proposed_values.get("supplier_id") for c in corrections} - {None, ""}
    )
    categories = eligible_category_ids(application.programme)
    rate = application.programme.rate_percent
    now = rules.procurement_subsidy_cny(claims.values(), rate)
    result = []
    for correction in corrections:
        counts = claim_counts(
            correction.proposed_values, application, local_usccs=local, category_ids=categories
        )
        amounts = dict(claims)
        if counts:
            amounts[correction.line_id] = Decimal(correction.proposed_values["amount"])
        else:
            amounts.pop(correction.line_id, None)
        changes = [
            (name, correction.current_values.get(name), value)
            for name, value in correction.proposed_values.items()
            if correction.current_values.get(name) != value
        ]
        result.append(
            PendingCorrection(
                correction=correction,
                changes=changes,
                amount_now_cny=now,
                amount_applied_cny=rules.procurement_subsidy_cny(amounts.values(), rate),
                still_counts=counts,
            )
        )
    return result


def awards_waiting_for_corrections(application_ids: list[int]) -> list[int]:
    """Which of these applications have a pending correction of a claimed line: an award of
    theirs is not paid until it is decided (see `services.correction_decisions`)."""
    return sorted(
        set(
            ClaimedLine.objects.filter(
                application_id__in=application_ids,
                purchase_line__corrections__status=CorrectionStatus.PENDING,
            ).values_list("application_id", flat=True)
        )
    )
