"""Reads of the alliance that carry rules: who sees which demand, matchmaking, deliveries."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractYear,
    Floor,
    Greatest,
    Least,
    RowNumber,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone

from alliance import matching

# Read here by the programme dashboard (programme/selectors.py).
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
from directory.passport.thresholds import PASSPORT_THRESHOLDS
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


def demand_thresholds(demand: Demand) -> list[matching.Threshold]:
    """The demand's thresholds that are set, as the matching score reads them."""
    return [
        matching.Threshold(field, lookup, getattr(demand, name))
        for name, (field, lookup) in DEMAND_THRESHOLDS.items()
        if getattr(demand, name) is not None
    ]


def qualifying_products(demand: Demand) -> QuerySet[Product]:
    """Hard filters: verified products, in the demand's category (or a child), meeting every
    threshold, of verified SMEs that are approved alliance members (only they can be invited)
    and hold every required certification valid today."""
    # A subquery, not a second round trip: the demand's category or one of its children.
    category_ids = SupplyCategory.objects.filter(
        Q(pk=demand.category_id) | Q(parent_id=demand.category_id)
    ).values("pk")
    lookups = {
        f"{field}__{lookup}": value
        for field, lookup, value in (
            (t.field, t.lookup, t.value) for t in demand_thresholds(demand)
        )
    }
    # The battery-passport thresholds: on each product's current passport version.
    lookups |= {
        f"{field}__{lookup}": getattr(demand, name)
        for name, (field, lookup) in PASSPORT_THRESHOLDS.items()
        if getattr(demand, name) is not None
    }
    products = Product.objects.filter(
        status=ListingStatus.VERIFIED,
        category_id__in=category_ids,
        enterprise__status=ListingStatus.VERIFIED,
        enterprise__kind=EnterpriseKind.SME,
        enterprise__alliance_membership__status=MemberStatus.APPROVED,
        **lookups,
    ).exclude(enterprise_id=demand.owner_id)
    today = timezone.localdate()
    for scheme in demand.required_certifications:
        # A semi-join on the scheme's holders, not a correlated EXISTS: the index (scheme,
        # valid_until, enterprise) yields them once, where SQLite probed it per candidate.
        holders = Certification.objects.filter(scheme=scheme, valid_until__gte=today)
        products = products.filter(enterprise_id__in=holders.values("enterprise_id"))
    # Without this the model's default ordering makes the database sort every candidate.
    return products.order_by()


# The score of alliance.matching in SQL, in tenths of a point, so that the database ranks the
# whole directory and returns only the list. Each expression repeats the pure module's
# floating-point operations in the same order (IEEE doubles on PostgreSQL, SQLite and in
# Python alike), so the totals agree exactly; the constant parts come from the module itself.


class _Double(Value):
    """A constant as a double, also on PostgreSQL (where a bare 0.5 is an exact numeric and
    would make constant-only arithmetic decimal instead of binary). One leaf that resolves to
    itself: the score holds some forty constants, and resolving a Cast of a Value for each
    was most of the time Django spent building the ranking."""

    def __init__(self, number: float) -> None:
        super().__init__(float(number), output_field=FloatField())

    def resolve_expression(self, *args, **kwargs) -> "_Double":
        return self

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        return "CAST(%s AS DOUBLE PRECISION)", [self.value]


def _tenths_sql(points) -> Floor:
    """matching.tenths: FLOOR(points * 10 + 0.5)."""
    return Floor(points * _Double(10) + _Double(0.5), output_field=FloatField())


def _spec_tenths_sql(thresholds: list[matching.Threshold]):
    """matching.spec_points of each product."""
    if not thresholds:
        return _Double(matching.tenths(matching.SPEC_POINTS * matching.UNKNOWN_SHARE))
    share_each = _Double(matching.SPEC_POINTS / len(thresholds))
    points = None
    for threshold in thresholds:
        value = _Double(threshold.value)
        if threshold.value == 0:
            margin = _Double(matching.FULL_MARGIN)
        elif threshold.lookup == "gte":
            margin = (F(threshold.field) - value) / value
        else:
            margin = (value - F(threshold.field)) / value
        beat = Greatest(_Double(0), margin, output_field=FloatField())
        full = Least(beat / _Double(matching.FULL_MARGIN), _Double(1), output_field=FloatField())
        earned = share_each * (_Double(0.5) + _Double(0.5) * full)
        points = earned if points is None else points + earned
    return _tenths_sql(points)


def _capacity_tenths_sql(demand: Demand):
    """matching.capacity_points of each candidate enterprise."""
    unknown = _Double(matching.tenths(matching.CAPACITY_POINTS * matching.UNKNOWN_SHARE))
    volume = float(demand.annual_volume) if demand.annual_volume is not None else None
    if not (volume and demand.volume_unit):
        return unknown
    ratio = Cast("enterprise__annual_capacity", FloatField()) / _Double(volume)
    return Case(
        When(
            Q(enterprise__annual_capacity__gt=0, enterprise__capacity_unit=demand.volume_unit),
            then=_tenths_sql(
                _Double(matching.CAPACITY_POINTS)
                * Least(ratio, _Double(1), output_field=FloatField())
            ),
        ),
        default=unknown,
        output_field=FloatField(),
    )


def _all_or_nothing_tenths_sql(lookup: str, points: int) -> Case:
    return Case(
        When(**{lookup: True}, then=_Double(points * 10)),
        default=_Double(0),
        output_field=FloatField(),
    )


def _track_record_tenths_sql() -> Least:
    completed = F("enterprise__alliance_membership__completed_collaborations")
    return Least(
        _Double(matching.TRACK_RECORD_POINTS * 10),
        _Double(matching.POINTS_PER_COMPLETED_COLLABORATION * 10) * completed,
        output_field=FloatField(),
    )


def _responsiveness_tenths_sql() -> Case:
    median = "enterprise__alliance_membership__median_answer_hours"
    return Case(
        When(
            **{f"{median}__isnull": True},
            then=_Double(matching.tenths(matching.responsiveness_points(None).points)),
        ),
        *(
            When(**{f"{median}__lte": limit}, then=_Double(matching.tenths(points)))
            for limit, points in (
                (limit, matching.RESPONSIVENESS_POINTS * share)
                for limit, share in matching.RESPONSE_BANDS
            )
        ),
        default=_Double(
            matching.tenths(matching.RESPONSIVENESS_POINTS * matching.SLOW_RESPONSE_SHARE)
        ),
        output_field=FloatField(),
    )


def _score_tenths_sql(demand: Demand) -> dict[str, Any]:
    """`spec_tenths` of a product and `total_tenths` with its enterprise's parts: the score
    in tenths of a point, as annotations of a product queryset."""
    spec = _spec_tenths_sql(demand_thresholds(demand))
    return {
        "spec_tenths": spec,
        "total_tenths": spec
        + _capacity_tenths_sql(demand)
        + _all_or_nothing_tenths_sql("enterprise__district__is_local", matching.LOCAL_POINTS)
        + _all_or_nothing_tenths_sql("enterprise__recommended", matching.RECOMMENDED_POINTS)
        + _track_record_tenths_sql()
        + _responsiveness_tenths_sql(),
    }


#: The ranking's order: best score first, ties by the enterprise's id (the earlier listed).
RANKING = (F("total_tenths").desc(), F("enterprise_id").asc())


def ranked_candidates(demand: Demand, *, limit: int = MATCH_LIMIT) -> QuerySet[Product]:
    """The best product of each qualifying enterprise (highest spec points, then the lowest
    id), ranked by the whole score (RANKING) and cut to `limit`, in one statement that reads
    the candidates once.

    The enterprise's parts are the same for each of its products, so the product with the
    best spec points carries the enterprise's best total: a window numbers each enterprise's
    products in that order, the first of each is kept, and the database sorts those and
    returns only the `limit` best (LIMIT in SQL). The filters and joins are planned once;
    grouping the candidates first and reading the kept enterprises' products again (issue
    5) planned them twice, and planning cost more than running at 10,000 firms."""
    return (
        qualifying_products(demand)
        .annotate(**_score_tenths_sql(demand))
        .annotate(
            best=Window(
                RowNumber(),
                partition_by=[F("enterprise_id")],
                order_by=[F("spec_tenths").desc(), F("pk").asc()],
            )
        )
        .filter(best=1)
        .order_by(*RANKING)[:limit]
    )


def demand_matches(demand: Demand, *, limit: int = MATCH_LIMIT) -> list[Match]:
    """The ranked candidates for a demand, each with its score parts and why it qualifies.

    One query whatever the number of candidates: the database ranks them (ranked_candidates)
    and returns the kept products' figures; alliance.matching then explains each listed
    candidate's score, with the same total, and orders the list as RANKING does. The ranking
    selects only ids and scores, so that the rows it sorts for its window stay narrow (wide
    rows of every candidate spill the sort to disk on a large directory); the names and
    figures are read for the kept rows only.
    """
    thresholds = demand_thresholds(demand)
    spec_fields = sorted({t.field for t in thresholds})
    kept = ranked_candidates(demand, limit=limit).values("pk")
    # No ORDER BY: the 50 rows are put in RANKING's order below, by the explained totals.
    rows = (
        Product.objects.filter(pk__in=kept)
        .order_by()
        .values(
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
            "enterprise__alliance_membership__completed_collaborations",
            "enterprise__alliance_membership__median_answer_hours",
            *spec_fields,
        )
    )
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
