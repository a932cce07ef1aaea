"""Reads of the alliance that carry rules: who sees which demand, matchmaking, deliveries."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from alliance import matching
from alliance.models import (
    DEMAND_THRESHOLDS,
    AllianceMember,
    Collaboration,
    CollaborationParty,
    CollaborationStatus,
    Demand,
    DemandResponse,
    DemandStatus,
    DemandVisibility,
    DemonstrationProject,
    FieldReport,
    Meeting,
    MemberStatus,
    ParticipationStatus,
    PartyRole,
    Standard,
    StandardParticipation,
)
from directory.models import (
    Certification,
    Enterprise,
    EnterpriseKind,
    ListingStatus,
    Membership,
    Product,
    PurchaseLine,
    SupplyCategory,
)
from ssb_portal.roles import is_official

#: Matches shown for a demand.
MATCH_LIMIT = 50


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


def _thresholds(demand: Demand) -> list[matching.Threshold]:
    return [
        matching.Threshold(field, lookup, getattr(demand, name))
        for name, (field, lookup) in DEMAND_THRESHOLDS.items()
        if getattr(demand, name) is not None
    ]


def qualifying_products(demand: Demand) -> QuerySet[Product]:
    """Hard filters: verified products, in the demand's category (or a child), meeting every
    threshold, of verified SMEs holding every required certification valid today."""
    # A subquery, not a second round trip: the demand's category or one of its children.
    category_ids = SupplyCategory.objects.filter(
        Q(pk=demand.category_id) | Q(parent_id=demand.category_id)
    ).values("pk")
    lookups = {
        f"{field}__{lookup}": value
        for field, lookup, value in ((t.field, t.lookup, t.value) for t in _thresholds(demand))
    }
    products = Product.objects.filter(
        status=ListingStatus.VERIFIED,
        category_id__in=category_ids,
        enterprise__status=ListingStatus.VERIFIED,
        enterprise__kind=EnterpriseKind.SME,
        **lookups,
    ).exclude(enterprise_id=demand.owner_id)
    today = timezone.localdate()
    for scheme in demand.required_certifications:
        products = products.filter(
            Exists(
                Certification.objects.filter(
                    enterprise=OuterRef("enterprise"), scheme=scheme, valid_until__gte=today
                )
            )
        )
    return products


def _late_parts(enterprise_ids: list[int]) -> tuple[dict[int, int], dict[int, list[float]]]:
    completed = dict(
        CollaborationParty.objects.filter(
            enterprise_id__in=enterprise_ids,
            role=PartyRole.SUPPLIER,
            collaboration__status=CollaborationStatus.COMPLETED,
        )
        .values("enterprise_id")
        .annotate(n=Count("pk"))
        .values_list("enterprise_id", "n")
    )
    answers: dict[int, list[float]] = {}
    for supplier_id, invited_at, answered_at in DemandResponse.objects.filter(
        supplier_id__in=enterprise_ids, invited_at__isnull=False, answered_at__isnull=False
    ).values_list("supplier_id", "invited_at", "answered_at"):
        hours = (answered_at - invited_at).total_seconds() / 3600
        answers.setdefault(supplier_id, []).append(max(hours, 0.0))
    return completed, answers


def demand_matches(demand: Demand, *, limit: int = MATCH_LIMIT) -> list[Match]:
    """The ranked candidates for a demand, each with its score parts and why it qualifies.

    Three queries whatever the number of candidates: the qualifying products with their
    enterprises, then track record and answer times for the candidates that can still
    reach the list (those within reach of the cut once history is known).
    """
    thresholds = _thresholds(demand)
    spec_fields = sorted({t.field for t in thresholds})
    rows = qualifying_products(demand).values(
        "pk",
        "name",
        "enterprise_id",
        "enterprise__uscc",
        "enterprise__name_zh",
        "enterprise__name_en",
        "enterprise__annual_capacity",
        "enterprise__capacity_unit",
        "enterprise__recommended",
        "enterprise__district__is_local",
        *spec_fields,
    )
    volume = float(demand.annual_volume) if demand.annual_volume is not None else None
    best: dict[int, tuple[matching.Score, dict]] = {}
    for row in rows:
        capacity = row["enterprise__annual_capacity"]
        early = matching.score(
            product=row,
            thresholds=thresholds,
            capacity=float(capacity) if capacity is not None else None,
            capacity_unit=row["enterprise__capacity_unit"],
            volume=volume,
            volume_unit=demand.volume_unit,
            is_local=row["enterprise__district__is_local"],
            recommended=row["enterprise__recommended"],
            completed_collaborations=0,
            answer_hours=[],
        )
        known = best.get(row["enterprise_id"])
        if known is None or early.total > known[0].total:
            best[row["enterprise_id"]] = (early, row)
    ranked = sorted(
        best.values(), key=lambda item: (-item[0].total, item[1]["enterprise__name_zh"])
    )
    if len(ranked) > limit:
        cut = ranked[limit - 1][0].total
        # Scored without history: no track record (0) and responsiveness unknown (half).
        # History can add the whole track record and the other half of responsiveness.
        reach = matching.LATE_PARTS_MAX - matching.RESPONSIVENESS_POINTS * matching.UNKNOWN_SHARE
        ranked = [item for item in ranked if item[0].total + reach >= cut]
    completed, answers = _late_parts([row["enterprise_id"] for _score, row in ranked])
    matches = []
    for _early, row in ranked:
        capacity = row["enterprise__annual_capacity"]
        final = matching.score(
            product=row,
            thresholds=thresholds,
            capacity=float(capacity) if capacity is not None else None,
            capacity_unit=row["enterprise__capacity_unit"],
            volume=volume,
            volume_unit=demand.volume_unit,
            is_local=row["enterprise__district__is_local"],
            recommended=row["enterprise__recommended"],
            completed_collaborations=completed.get(row["enterprise_id"], 0),
            answer_hours=answers.get(row["enterprise_id"], []),
        )
        matches.append(
            Match(
                enterprise_id=row["enterprise_id"],
                uscc=row["enterprise__uscc"],
                name_zh=row["enterprise__name_zh"],
                name_en=row["enterprise__name_en"],
                product_id=row["pk"],
                product_name=row["name"],
                product={name: row[name] for name in spec_fields},
                score=final,
                qualifies=[t.field for t in thresholds] + list(demand.required_certifications),
            )
        )
    matches.sort(key=lambda match: (-match.score.total, match.name_zh))
    return matches[:limit]


def demand_subscriber_emails(demand: Demand) -> list[str]:
    """Addresses of the SME members that qualify for the demand and asked for such emails."""
    qualifying = qualifying_products(demand).values("enterprise_id")
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__enterprise__in=qualifying,
            memberships__enterprise__alliance_membership__status=MemberStatus.APPROVED,
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


# --- demonstration projects (issue 6) ---------------------------------------------------------


def demonstrations_public() -> QuerySet[DemonstrationProject]:
    """Every demonstration project (a public showcase), with what its targets are judged on."""
    return (
        DemonstrationProject.objects.select_related("operator")
        .prefetch_related(
            Prefetch("suppliers", queryset=Enterprise.objects.order_by("name_zh", "pk")),
            Prefetch(
                "reports", queryset=FieldReport.objects.order_by("reported_on", "cycles_done", "pk")
            ),
        )
        .order_by("-start_date", "-pk")
    )


def demonstration_public(pk: int) -> DemonstrationProject:
    return get_object_or_404(demonstrations_public(), pk=pk)


def is_demonstration_operator(user: AbstractBaseUser | AnonymousUser, project) -> bool:
    """Whether the user is a member of the organisation that operates the project."""
    return bool(
        user.is_authenticated
        and Membership.objects.filter(user=user, enterprise_id=project.operator_id).exists()
    )
