"""The alliance that bench/alliance_matching.py ranks against: members, earlier demands with
invitations and answers, collaborations, the supplier history the score reads, and the timed
demands. Bulk inserts (the documented exception to "every write through a service") in one
transaction, then the history counted by the service that keeps it and fresh planner
statistics."""

import math
import random
import time
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

SEED = 2026
BATCH = 2_000

# Who joins the alliance: every verified anchor; of the verified SMEs this share is a member,
# a few more applied or were declined; some universities and institutes join too.
SME_MEMBER_SHARE = 0.60
SME_APPLIED_SHARE = 0.03
SME_DECLINED_SHARE = 0.01
ACADEMIC_MEMBER_SHARE = 0.30
# Each anchor member posted this many demands over the last three years (uniform draw).
DEMANDS_PER_ANCHOR = (0, 6)
DEMAND_STATUS_SHARES = {"closed": 0.55, "matched": 0.25, "open": 0.20}
INVITED_ONLY_SHARE = 0.15  # of the earlier demands: private, for invited SMEs only
# Per earlier demand: SMEs invited, and SMEs that expressed interest without an invitation.
INVITATIONS_PER_DEMAND = (1, 8)
INTEREST_PER_DEMAND = (0, 4)
ANSWERED_SHARE = 0.85  # of the invitations; the rest wait
ACCEPTED_SHARE = 0.6  # of the answered ones
# Hours to answer an invitation: log-uniform between these (a day is typical).
ANSWER_HOURS = (0.5, 400.0)
COLLABORATION_STATUS_SHARES = {"completed": 0.5, "active": 0.4, "terminated": 0.1}
# Collaborations outside any demand (licensing, standards work), per matched demand.
STANDALONE_COLLABORATIONS_SHARE = 0.3
# Leaf categories earlier demands asked for, with weights (materials above all).
DEMAND_CATEGORY_WEIGHTS = {
    "sulfide-electrolyte": 8,
    "oxide-electrolyte": 5,
    "polymer-electrolyte": 3,
    "halide-electrolyte": 2,
    "li-rich-mn-cathode": 5,
    "high-nickel-cathode": 5,
    "lithium-metal-anode": 4,
    "silicon-carbon-anode": 4,
    "composite-current-collector": 4,
    "dry-process-binder": 2,
    "conductive-agent": 3,
    "production-equipment": 2,
    "testing-certification": 1,
}


def empty_alliance() -> None:
    """Every alliance row, children first (the directory's rows stay)."""
    from django.db import connection

    from alliance import models as alliance

    quote = connection.ops.quote_name
    for model in (
        alliance.CollaborationDocument,
        alliance.CollaborationMilestone,
        alliance.CollaborationParty,
        alliance.Collaboration,
        alliance.Meeting,
        alliance.DemandResponse,
        alliance.Demand,
        alliance.StandardParticipation,
        alliance.Standard,
        alliance.AllianceEvent,
        alliance.AllianceMember,
    ):
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)}")


class AllianceSeed:
    """Members, earlier demands with invitations and answers, collaborations, and the timed
    demands; bulk inserts in one transaction, then fresh planner statistics."""

    def __init__(self, shapes: list, title_prefix: str) -> None:
        from django.utils import timezone

        self.shapes = shapes  # the timed demands (alliance_matching.Shape)
        self.title_prefix = title_prefix
        self.rng = random.Random(SEED)
        self.now = timezone.now()
        self.counts: dict[str, int] = {}

    def step(self, label: str, function: Callable[[], str]) -> None:
        started = time.perf_counter()
        detail = function()
        print(f"  {label:<34} {time.perf_counter() - started:6.1f} s  {detail}", flush=True)

    def run(self) -> None:
        from django.db import connection, transaction

        print("Seeding the alliance ...", flush=True)
        with transaction.atomic():
            empty_alliance()
            self.step("members", self.members)
            self.step("earlier demands", self.demands)
            self.step("invitations and interest", self.responses)
            self.step("collaborations", self.collaborations)
            self.step("supplier history", self.supplier_history)
            self.step("timed demands", self.timed_demands)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    def members(self) -> str:
        from alliance.models import AllianceMember, MemberStatus
        from directory.models import Enterprise, EnterpriseKind, ListingStatus

        rng = self.rng
        verified = Enterprise.objects.filter(status=ListingStatus.VERIFIED).order_by("pk")
        rows = []
        self.anchors: list[int] = []
        self.smes: set[int] = set()
        for pk, kind, verified_at in verified.values_list("pk", "kind", "verified_at"):
            roll = rng.random()
            if kind == EnterpriseKind.ANCHOR:
                status = MemberStatus.APPROVED
            elif kind == EnterpriseKind.SME:
                if roll < SME_MEMBER_SHARE:
                    status = MemberStatus.APPROVED
                elif roll < SME_MEMBER_SHARE + SME_APPLIED_SHARE:
                    status = MemberStatus.APPLIED
                elif roll < SME_MEMBER_SHARE + SME_APPLIED_SHARE + SME_DECLINED_SHARE:
                    status = MemberStatus.DECLINED
                else:
                    continue
            elif kind in (EnterpriseKind.UNIVERSITY, EnterpriseKind.RESEARCH_INSTITUTE):
                if roll >= ACADEMIC_MEMBER_SHARE:
                    continue
                status = MemberStatus.APPROVED
            else:
                continue
            applied_at = max(verified_at, self.now - timedelta(days=rng.uniform(20, 3 * 365)))
            decided = status != MemberStatus.APPLIED
            rows.append(
                AllianceMember(
                    enterprise_id=pk,
                    status=status,
                    motivation="Bench member",
                    notify_new_demands=rng.random() < 0.7,
                    applied_at=applied_at,
                    decided_at=applied_at + timedelta(days=rng.uniform(1, 14)) if decided else None,
                    decision_reason="Not active in the industry" if status == "declined" else "",
                )
            )
            if status == MemberStatus.APPROVED:
                if kind == EnterpriseKind.ANCHOR:
                    self.anchors.append(pk)
                elif kind == EnterpriseKind.SME:
                    self.smes.add(pk)
        AllianceMember.objects.bulk_create(rows, batch_size=BATCH)
        return (
            f"{len(rows):,} rows: {len(self.anchors):,} anchors, {len(self.smes):,} SMEs "
            "approved, the rest applied, declined or academic"
        )

    def demands(self) -> str:
        from alliance.models import CollaborationModel, Demand, DemandVisibility
        from directory.models import Product, SupplyCategory

        rng = self.rng
        by_slug = dict(SupplyCategory.objects.values_list("slug", "pk"))
        slugs = [slug for slug in DEMAND_CATEGORY_WEIGHTS if slug in by_slug]
        weights = [DEMAND_CATEGORY_WEIGHTS[slug] for slug in slugs]
        # Who could supply each category: SME members with a verified product in it.
        self.suppliers_of: dict[int, list[int]] = {}
        for category_id, enterprise_id in (
            Product.objects.filter(status="verified", enterprise__kind="sme")
            .values_list("category_id", "enterprise_id")
            .distinct()
            .order_by("category_id", "enterprise_id")
        ):
            if enterprise_id in self.smes:
                self.suppliers_of.setdefault(category_id, []).append(enterprise_id)
        statuses = list(DEMAND_STATUS_SHARES)
        status_weights = list(DEMAND_STATUS_SHARES.values())
        rows = []
        for anchor in self.anchors:
            for _ in range(rng.randint(*DEMANDS_PER_ANCHOR)):
                category = by_slug[rng.choices(slugs, weights)[0]]
                rows.append(
                    Demand(
                        owner_id=anchor,
                        title=f"Earlier demand {len(rows) + 1}",
                        category_id=category,
                        preferred_model=rng.choice(CollaborationModel.values),
                        visibility=(
                            DemandVisibility.INVITED
                            if rng.random() < INVITED_ONLY_SHARE
                            else DemandVisibility.MEMBERS
                        ),
                        status=rng.choices(statuses, status_weights)[0],
                        created_at=self.now - timedelta(days=rng.uniform(15, 3 * 365)),
                    )
                )
        Demand.objects.bulk_create(rows, batch_size=BATCH)
        self.earlier = list(
            Demand.objects.order_by("pk").values_list(
                "pk", "owner_id", "category_id", "status", "created_at", "preferred_model"
            )
        )
        return f"{len(rows):,} demands of {len(self.anchors):,} anchors"

    def responses(self) -> str:
        from alliance.models import DemandResponse, ResponseStatus

        rng = self.rng
        rows = []
        self.accepted: dict[int, list[int]] = {}  # demand -> suppliers that accepted
        answered = 0
        low, high = (math.log(hours) for hours in ANSWER_HOURS)
        for pk, _owner, category, _status, created_at, _model in self.earlier:
            pool = self.suppliers_of.get(category, [])
            invited_n = rng.randint(*INVITATIONS_PER_DEMAND)
            interest_n = rng.randint(*INTEREST_PER_DEMAND)
            chosen = rng.sample(pool, min(len(pool), invited_n + interest_n))
            for index, supplier in enumerate(chosen):
                if index >= invited_n:
                    rows.append(
                        DemandResponse(
                            demand_id=pk,
                            supplier_id=supplier,
                            status=rng.choice(
                                [ResponseStatus.INTERESTED, ResponseStatus.SHORTLISTED]
                            ),
                            message="Bench: interested",
                            created_at=created_at + timedelta(days=rng.uniform(0, 10)),
                        )
                    )
                    continue
                invited_at = created_at + timedelta(days=rng.uniform(0, 10))
                status, answered_at = ResponseStatus.INVITED, None
                if rng.random() < ANSWERED_SHARE:
                    hours = math.exp(rng.uniform(low, high))
                    answered_at = min(invited_at + timedelta(hours=hours), self.now)
                    answered += 1
                    if rng.random() < ACCEPTED_SHARE:
                        status = ResponseStatus.ACCEPTED
                        self.accepted.setdefault(pk, []).append(supplier)
                    else:
                        status = ResponseStatus.DECLINED
                rows.append(
                    DemandResponse(
                        demand_id=pk,
                        supplier_id=supplier,
                        status=status,
                        invited_at=invited_at,
                        answered_at=answered_at,
                        created_at=invited_at,
                    )
                )
        DemandResponse.objects.bulk_create(rows, batch_size=BATCH)
        suppliers = len({r.supplier_id for r in rows if r.answered_at})
        return f"{len(rows):,} responses, {answered:,} invitations answered (by {suppliers:,} SMEs)"

    def collaborations(self) -> str:
        from alliance.models import (
            Collaboration,
            CollaborationParty,
            CollaborationStatus,
            PartyRole,
        )

        rng = self.rng
        statuses = list(COLLABORATION_STATUS_SHARES)
        weights = list(COLLABORATION_STATUS_SHARES.values())
        plans = []  # (collaboration, [(enterprise, role)])
        for pk, owner, _category, status, created_at, model in self.earlier:
            if status != "matched" or not self.accepted.get(pk):
                continue
            supplier = rng.choice(self.accepted[pk])
            plans.append((pk, owner, supplier, model, created_at))
        smes = sorted(self.smes)
        for _ in range(int(len(plans) * STANDALONE_COLLABORATIONS_SHARE)):
            created_at = self.now - timedelta(days=rng.uniform(30, 3 * 365))
            plans.append(
                (None, rng.choice(self.anchors), rng.choice(smes), "licensing", created_at)
            )
        collaborations, parties = [], []
        completed = 0
        for demand, _anchor, _supplier, model, created_at in plans:
            status = rng.choices(statuses, weights)[0]
            starts_on = (created_at + timedelta(days=rng.uniform(20, 60))).date()
            ends_on = starts_on + timedelta(days=rng.randint(90, 720))
            done = status != CollaborationStatus.ACTIVE
            completed += status == CollaborationStatus.COMPLETED
            collaborations.append(
                Collaboration(
                    title=f"Bench collaboration {len(collaborations) + 1}",
                    demand_id=demand,
                    model=model,
                    agreed_value_cny=Decimal(rng.randrange(100_000, 50_000_000)),
                    starts_on=starts_on,
                    ends_on=ends_on,
                    status=status,
                    created_at=created_at,
                    closed_at=self.now - timedelta(days=rng.uniform(1, 30)) if done else None,
                )
            )
        created = Collaboration.objects.bulk_create(collaborations, batch_size=BATCH)
        if any(c.pk is None for c in created):  # only SQLite < 3.35 lacks RETURNING
            created = list(Collaboration.objects.order_by("pk"))
        for collaboration, (_d, anchor, supplier, _m, _c) in zip(created, plans, strict=True):
            parties.append(
                CollaborationParty(
                    collaboration_id=collaboration.pk, enterprise_id=anchor, role=PartyRole.ANCHOR
                )
            )
            parties.append(
                CollaborationParty(
                    collaboration_id=collaboration.pk,
                    enterprise_id=supplier,
                    role=PartyRole.SUPPLIER,
                )
            )
        CollaborationParty.objects.bulk_create(parties, batch_size=BATCH)
        return (
            f"{len(created):,} collaborations ({completed:,} completed), {len(parties):,} parties"
        )

    def supplier_history(self) -> str:
        from alliance.models import AllianceMember
        from alliance.services.supplier_history import supplier_history_refresh

        changed = supplier_history_refresh(suppliers=AllianceMember.objects.values("enterprise_id"))
        return f"{changed:,} members with completed collaborations or answered invitations"

    def timed_demands(self) -> str:
        from alliance.models import CollaborationModel, Demand
        from directory.models import SupplyCategory

        by_slug = dict(SupplyCategory.objects.values_list("slug", "pk"))
        owner = self.anchors[0]
        rows = [
            Demand(
                owner_id=owner,
                title=self.title_prefix + shape.label,
                category_id=by_slug[shape.category],
                required_certifications=list(shape.certifications),
                annual_volume=Decimal(shape.volume[0]) if shape.volume else None,
                volume_unit=shape.volume[1] if shape.volume else "",
                preferred_model=CollaborationModel.LONG_TERM_SUPPLY,
                created_at=self.now,
                **shape.thresholds,
            )
            for shape in self.shapes
        ]
        Demand.objects.bulk_create(rows)
        return f"{len(rows)} demands of one anchor, open to all members"
