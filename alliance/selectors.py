"""Reads of the alliance that carry rules: who sees which demand, matchmaking, deliveries."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import (
    Coalesce,
    ExtractYear,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from alliance import matching, ranking

# Read here by the programme dashboard (programme/selectors.py).
from alliance.models import (
    AllianceMember,
    Collaboration,
    CollaborationParty,
    CollaborationStatus,
    Demand,
    DemandResponse,
    DemandStatus,
    DemandVisibility,
    Meeting,
    MemberStatus,
    ParticipationStatus,
    PartyRole,
    Standard,
    StandardParticipation,
)

# The ranking's pieces, read through this module by the views, the API and the benches.
from alliance.ranking import (  # noqa: F401
    MATCH_LIMIT,
    RANKING,
    demand_thresholds,
    qualifying_products,
    ranked_candidates,
)
from directory.models import (
    Enterprise,
    ListingStatus,
    Membership,
    PurchaseLine,
)
from ssb_portal.roles import is_official

# --- members ----------------------------------------------------------------------------------


def members_public() -> QuerySet[AllianceMember]:
    return (
        AllianceMember.objects.filter(status=MemberStatus.APPROVED)
        .select_related("enterprise__district")
        .order_by("enterprise__name_zh", "pk")
    )


def member_public(uscc: str) -> AllianceMember:
    """A member's public page: its collaborations and its confirmed standards work."""
    queryset = members_public().prefetch_related(
        Prefetch(
            "enterprise__collaboration_parties",
            queryset=CollaborationParty.objects.select_related("collaboration").order_by(
                "-collaboration__starts_on"
            ),
        ),
        Prefetch(
            "enterprise__standard_participations",
            queryset=StandardParticipation.objects.filter(
                status=ParticipationStatus.CONFIRMED
            ).select_related("standard"),
        ),
    )
    return get_object_or_404(queryset, enterprise__uscc=uscc)


def alliance_enterprises_of(user: AbstractBaseUser) -> QuerySet[Enterprise]:
    """The user's organisations that are approved alliance members."""
    if not user.is_authenticated:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(
        memberships__user=user, alliance_membership__status=MemberStatus.APPROVED
    ).order_by("name_zh")


# --- who sees a demand ------------------------------------------------------------------------


def _invited(enterprise_ids) -> Exists:
    return Exists(
        DemandResponse.objects.filter(
            demand=OuterRef("pk"), supplier_id__in=enterprise_ids, invited_at__isnull=False
        )
    )


def demands_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Demand]:
    """Officials see every demand. An alliance member's user sees its own organisations'
    demands, the open demands for all members, and the private ones it was invited to."""
    demands = Demand.objects.select_related("owner", "category")
    if is_official(user):
        return demands
    mine = list(alliance_enterprises_of(user).values_list("pk", flat=True))
    if not mine:
        return demands.none()
    return demands.filter(
        Q(owner_id__in=mine)
        | Q(visibility=DemandVisibility.MEMBERS, status=DemandStatus.OPEN)
        | _invited(mine)
    )


def demand_for(user: AbstractBaseUser, pk: int) -> Demand:
    return get_object_or_404(demands_visible_to(user), pk=pk)


def demand_visible_to_enterprise(demand: Demand, enterprise: Enterprise) -> bool:
    if demand.owner_id == enterprise.pk or demand.visibility == DemandVisibility.MEMBERS:
        return True
    return DemandResponse.objects.filter(
        demand=demand, supplier=enterprise, invited_at__isnull=False
    ).exists()


def is_demand_owner(user: AbstractBaseUser, demand: Demand) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, enterprise_id=demand.owner_id).exists()
    )


def demand_responses(demand: Demand) -> QuerySet[DemandResponse]:
    return (
        demand.responses.select_related("supplier__district")
        .prefetch_related("meetings")
        .order_by("-created_at", "-pk")
    )


def demands_for_supplier(enterprise: Enterprise) -> QuerySet[Demand]:
    """Open demands in the SME's categories (or their subcategories) that it may see."""
    category_ids = list(enterprise.categories.values_list("pk", flat=True))
    product_categories = list(
        enterprise.products.filter(status=ListingStatus.VERIFIED).values_list(
            "category_id", "category__parent_id"
        )
    )
    ids = set(category_ids)
    for category, parent in product_categories:
        ids.update(pk for pk in (category, parent) if pk)
    visible = Q(visibility=DemandVisibility.MEMBERS) | _invited([enterprise.pk])
    return (
        Demand.objects.filter(visible, status=DemandStatus.OPEN)
        .filter(Q(category_id__in=ids) | Q(category__parent_id__in=ids))
        .exclude(owner=enterprise)
        .select_related("owner", "category")
        .order_by("-created_at", "-pk")
    )


# --- matching ---------------------------------------------------------------------------------


@dataclass
class Match:
    enterprise_id: int
    uscc: str
    name_zh: str
    name_en: str
    product_id: int
    product_name: str
    product: dict[str, Any]
    score: matching.Score
    qualifies: list[str]


def demand_matches(
    demand: Demand, *, limit: int = MATCH_LIMIT, compiled: bool = True
) -> list[Match]:
    """The ranked candidates for a demand, each with its score parts and why it qualifies.

    One query whatever the number of candidates: the database ranks them (ranked_candidates)
    and returns the kept products' figures (alliance.ranking.match_rows: the statement
    compiled once for the demand's shape, or built for it with `compiled=False`);
    alliance.matching then explains each listed candidate's score, with the same total, and
    orders the list as RANKING does.
    """
    thresholds = demand_thresholds(demand)
    spec_fields = sorted({t.field for t in thresholds})
    rows = ranking.match_rows(demand, limit=limit, compiled=compiled)
    volume = float(demand.annual_volume) if demand.annual_volume is not None else None
    qualifies = [t.field for t in thresholds] + list(demand.required_certifications)
    matches = []
    for row in rows:
        capacity = row["enterprise__annual_capacity"]
        matches.append(
            Match(
                enterprise_id=row["enterprise_id"],
                uscc=row["enterprise__uscc"],
                name_zh=row["enterprise__name_zh"],
                name_en=row["enterprise__name_en"],
                product_id=row["pk"],
                product_name=row["name"],
                product={name: row[name] for name in spec_fields},
                score=matching.score(
                    product=row,
                    thresholds=thresholds,
                    capacity=float(capacity) if capacity is not None else None,
                    capacity_unit=row["enterprise__capacity_unit"],
                    volume=volume,
                    volume_unit=demand.volume_unit,
                    is_local=row["enterprise__district__is_local"],
                    recommended=row["enterprise__recommended"],
                    completed_collaborations=row[
                        "enterprise__alliance_membership__completed_collaborations"
                    ],
                    median_answer_hours=row["enterprise__alliance_membership__median_answer_hours"],
                ),
                qualifies=qualifies,
            )
        )
    matches.sort(key=lambda match: (-match.score.total, match.enterprise_id))
    return matches


def demand_subscriber_emails(demand: Demand) -> list[str]:
    """Addresses of the SME members that qualify for the demand and asked for such emails."""
    qualifying = qualifying_products(demand).values("enterprise_id")
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            # qualifying_products admits approved alliance members only.
            memberships__enterprise__in=qualifying,
            memberships__enterprise__alliance_membership__notify_new_demands=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


# --- collaborations ---------------------------------------------------------------------------


def collaborations_visible_to(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Collaboration]:
    collaborations = Collaboration.objects.prefetch_related(
        Prefetch("parties", queryset=CollaborationParty.objects.select_related("enterprise"))
    )
    if is_official(user):
        return collaborations
    if not user.is_authenticated:
        return collaborations.none()
    mine = Membership.objects.filter(user=user).values("enterprise_id")
    return collaborations.filter(
        Exists(
            CollaborationParty.objects.filter(collaboration=OuterRef("pk"), enterprise_id__in=mine)
        )
    )


def collaboration_for(user: AbstractBaseUser, pk: int) -> Collaboration:
    queryset = collaborations_visible_to(user).prefetch_related("milestones", "documents")
    return get_object_or_404(queryset.select_related("demand"), pk=pk)


def supply_delivered(collaboration: Collaboration) -> list[dict[str, Any]]:
    """For a long-term supply agreement: per year, what the anchor's purchase records show it
    bought from the supplier(s) against the committed annual volume."""
    parties = list(collaboration.parties.all())
    anchors = [p.enterprise for p in parties if p.role == PartyRole.ANCHOR]
    suppliers = [p.enterprise.uscc for p in parties if p.role == PartyRole.SUPPLIER]
    if not anchors or not suppliers:
        return []
    end = collaboration.ends_on or timezone.localdate()
    lines = PurchaseLine.objects.filter(
        buyer__in=anchors,
        supplier_id__in=suppliers,
        invoice_date__range=(collaboration.starts_on, end),
    )
    by_year = {
        row["invoice_date__year"]: row
        for row in lines.values("invoice_date__year").annotate(
            quantity=Coalesce(Sum("quantity"), Value(Decimal("0"))),
            amount=Coalesce(Sum("amount"), Value(Decimal("0"))),
        )
    }
    committed = collaboration.committed_annual_volume
    years = range(collaboration.starts_on.year, end.year + 1)
    return [
        {
            "year": year,
            "quantity": by_year.get(year, {}).get("quantity", Decimal("0")),
            "amount_cny": by_year.get(year, {}).get("amount", Decimal("0")),
            "committed": committed,
            "delivered_percent": (
                round(by_year.get(year, {}).get("quantity", Decimal("0")) / committed * 100, 1)
                if committed
                else None
            ),
        }
        for year in years
    ]


# --- standards --------------------------------------------------------------------------------


def standards_public() -> QuerySet[Standard]:
    return Standard.objects.prefetch_related(
        Prefetch(
            "participations",
            queryset=StandardParticipation.objects.filter(
                status=ParticipationStatus.CONFIRMED
            ).select_related("enterprise"),
            to_attr="confirmed_participations",
        )
    ).order_by("body", "number")


def confirmed_participations_of(enterprise: Enterprise) -> QuerySet[StandardParticipation]:
    """What a standards-reward claim of this enterprise may point to."""
    return (
        StandardParticipation.objects.filter(
            enterprise=enterprise, status=ParticipationStatus.CONFIRMED
        )
        .select_related("standard")
        .order_by("standard__body", "standard__number")
    )


# --- the two sides of a response (pages) ------------------------------------------------------


def _sides_of(user: AbstractBaseUser | AnonymousUser) -> Q:
    """Responses where one of the user's organisations is the demand's owner or the supplier."""
    mine = Membership.objects.filter(user=user).values("enterprise_id")
    return Q(demand__owner_id__in=mine) | Q(supplier_id__in=mine)


def response_for(user: AbstractBaseUser | AnonymousUser, pk: int) -> DemandResponse:
    """A response for the members of its two sides; 404 for anybody else (officials too)."""
    if not user.is_authenticated:
        return get_object_or_404(DemandResponse.objects.none(), pk=pk)
    responses = DemandResponse.objects.select_related("demand__owner", "supplier")
    return get_object_or_404(responses.filter(_sides_of(user)), pk=pk)


def meeting_for(user: AbstractBaseUser | AnonymousUser, pk: int) -> Meeting:
    """A meeting for the members of the two sides of its response; 404 for anybody else."""
    if not user.is_authenticated:
        return get_object_or_404(Meeting.objects.none(), pk=pk)
    mine = Membership.objects.filter(user=user).values("enterprise_id")
    meetings = Meeting.objects.select_related(
        "response__demand__owner", "response__supplier", "proposed_by"
    ).filter(Q(response__demand__owner_id__in=mine) | Q(response__supplier_id__in=mine))
    return get_object_or_404(meetings, pk=pk)


def demand_responses_for(user: AbstractBaseUser, demand: Demand) -> QuerySet[DemandResponse]:
    """The responses to a demand the user may see: all of them for the owner's members and
    officials, an SME's own for its members (the API's list)."""
    responses = demand_responses(demand)
    if is_demand_owner(user, demand) or is_official(user):
        return responses
    mine = Membership.objects.filter(user=user).values("enterprise_id")
    return responses.filter(supplier_id__in=mine)


# --- the programme's figures (issue 8) --------------------------------------------------------


def collaborations_by_model_and_year() -> list[dict[str, Any]]:
    """Collaborations not terminated, counted by model and the year they began, oldest first:
    [{model, year, collaborations}]; one GROUP BY."""
    return list(
        Collaboration.objects.exclude(status=CollaborationStatus.TERMINATED)
        .annotate(year=ExtractYear("starts_on"))
        .values("model", "year")
        .annotate(collaborations=Count("pk"))
        .order_by("year", "model")
    )
