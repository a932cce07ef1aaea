"""The supplier's history that matching ranks on, kept current by the services that change it."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, QuerySet

from alliance import matching
from alliance.models import (
    AllianceMember,
    CollaborationParty,
    CollaborationStatus,
    DemandResponse,
    PartyRole,
)


def supplier_history_refresh(*, suppliers: Iterable[int] | QuerySet) -> int:
    """Recount, from the records themselves, what matching ranks these suppliers on: the
    collaborations they completed as supplier and their median hours to answer an invitation
    (AllianceMember.completed_collaborations and median_answer_hours). Called inside the
    transaction of every service that changes either; `suppliers` are enterprise ids, or a
    queryset of them (a subquery, however many). Returns the members whose figures changed."""
    if not isinstance(suppliers, QuerySet):
        suppliers = list(suppliers)
    with transaction.atomic():
        # Locked first: two answers at once are then counted one after the other, the second
        # reading the first once it is committed, and neither figure is lost.
        members = list(
            AllianceMember.objects.select_for_update()
            .filter(enterprise_id__in=suppliers)
            .only("pk", "enterprise_id", "completed_collaborations", "median_answer_hours")
        )
        completed = dict(
            CollaborationParty.objects.filter(
                enterprise_id__in=suppliers,
                role=PartyRole.SUPPLIER,
                collaboration__status=CollaborationStatus.COMPLETED,
            )
            .values("enterprise_id")
            .annotate(n=Count("pk"))
            .values_list("enterprise_id", "n")
        )
        hours: dict[int, list[float]] = {}
        for supplier_id, invited_at, answered_at in DemandResponse.objects.filter(
            supplier_id__in=suppliers, invited_at__isnull=False, answered_at__isnull=False
        ).values_list("supplier_id", "invited_at", "answered_at"):
            hours.setdefault(supplier_id, []).append(matching.answer_hours(invited_at, answered_at))
        changed = []
        for member in members:
            figures = (
                completed.get(member.enterprise_id, 0),
                matching.median_hours(hours.get(member.enterprise_id, [])),
            )
            if figures != (member.completed_collaborations, member.median_answer_hours):
                member.completed_collaborations, member.median_answer_hours = figures
                changed.append(member)
        AllianceMember.objects.bulk_update(
            changed, ["completed_collaborations", "median_answer_hours"], batch_size=500
        )
    return len(changed)
