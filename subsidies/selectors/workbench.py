"""The officials' workbench (admin): queues with their flags, land rounds to rank,
awards of disbursement batches.
"""

import datetime

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from subsidies.models import (
    Application,
    ApplicationStatus,
    ClaimedLine,
    Objection,
    ObjectionStatus,
    Programme,
)
from subsidies.selectors.corrections import has_pending_corrections
from subsidies.selectors.eligibility import NEAR_DUPLICATE_DAYS


def applications_workbench() -> QuerySet[Application]:
    """Applications as the officials' queues list them, in one query: with the number of open
    objections, whether a claimed line looks like another held claim (the rule of
    `near_duplicate_lines`: same supplier and amount, invoice dates within
    NEAR_DUPLICATE_DAYS, a different invoice line) and whether a claimed line has a
    correction pending."""
    from django.db.models import Count, DateField
    from django.db.models.functions import Cast

    window = datetime.timedelta(days=NEAR_DUPLICATE_DAYS)
    lookalike = (
        ClaimedLine.objects.filter(
            holds_claim=True,
            supplier_uscc=OuterRef("supplier_uscc"),
            amount_cny=OuterRef("amount_cny"),
            invoice_date__gte=Cast(OuterRef("invoice_date") - window, DateField()),
            invoice_date__lte=Cast(OuterRef("invoice_date") + window, DateField()),
        )
        .exclude(pk=OuterRef("pk"))
        .exclude(
            invoice_code=OuterRef("invoice_code"),
            invoice_key=OuterRef("invoice_key"),
            line_no=OuterRef("line_no"),
        )
    )
    flagged = ClaimedLine.objects.filter(application=OuterRef("pk")).filter(Exists(lookalike))
    objections = (
        Objection.objects.filter(application=OuterRef("pk"), status=ObjectionStatus.OPEN)
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Application.objects.select_related("programme", "applicant").annotate(
        open_objection_count=Coalesce(Subquery(objections), Value(0)),
        has_near_duplicates=Exists(flagged),
        # A later import's correction of a claimed line waits for an official (claims frozen).
        has_pending_corrections=has_pending_corrections(),
    )


def land_round_requests(programme: Programme) -> QuerySet[Application]:
    """The requests of a land round that officials rank (the candidates of
    `services.land_round_rank`): ranked ones in their order, then the others as submitted."""
    return (
        programme.applications.exclude(
            status__in=(
                ApplicationStatus.DRAFT,
                ApplicationStatus.WITHDRAWN,
                ApplicationStatus.REJECTED,
            )
        )
        .select_related("applicant")
        .order_by(F("land_rank").asc(nulls_last=True), F("submitted_at").asc(nulls_last=True), "pk")
    )


def disbursement_batch_awards(batch_ids: list[int]) -> QuerySet[Application]:
    """The awards of these disbursement batches, as finance's spreadsheet lists them."""
    return (
        Application.objects.filter(disbursement_batch_id__in=batch_ids)
        .select_related("disbursement_batch", "programme", "applicant", "notice")
        .order_by("disbursement_batch__created_at", "disbursement_batch_id", "pk")
    )
