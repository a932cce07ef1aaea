"""The plan of the demo city: how many enterprises of each kind, where, with which status, and
the City that hands out ids and remembers what it drew."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models

from directory.demo.users import ANCHOR_USERNAME, SME_USERNAME
from directory.demo.vocabulary import (
    ANCHOR_CATEGORIES,
    OTHER_KIND_CATEGORIES,
    RESEARCH_CATEGORIES,
    SME_CATEGORY_WEIGHTS,
)
from directory.models import District, EnterpriseKind, ListingStatus, SupplyCategory

# Shares of the city; SMEs are the rest.
KIND_SHARES = {
    EnterpriseKind.ANCHOR: 0.02,
    EnterpriseKind.RESEARCH_INSTITUTE: 0.03,
    EnterpriseKind.UNIVERSITY: 0.015,
    EnterpriseKind.OTHER: 0.01,
}
PENDING_SHARE = 0.05
RETURNED_SHARE = 0.02
RECOMMENDED_SHARE = 0.3  # of verified local enterprises
PRODUCT_PENDING_SHARE = 0.06  # of the products of verified enterprises
PRODUCT_RETURNED_SHARE = 0.02
PENDING_CHANGES_SHARE = 0.02  # of verified enterprises: edits waiting for an official
LOCAL_SHARE = 0.85
TARGET_SHARE = 0.2  # of products drawn from the seed's target range
EXPIRED_SHARE = 0.1  # of certifications


# --- the plan: who is who, decided before anything is drawn in detail -------------------------


@dataclass
class PlanItem:
    kind: str
    primary: SupplyCategory | None = None
    district: District | None = None
    status: str = ListingStatus.VERIFIED
    demo: str = ""  # the username of the demo login that administers the enterprise
    showcase: bool = False  # its first product, verified, meets the seed's target


@dataclass
class City:
    """What the generator needs from the database, and what it has handed out so far."""

    rng: random.Random
    now: datetime
    today: date
    leaves: list[SupplyCategory]
    by_slug: dict[str, SupplyCategory]
    districts: list[District]
    official_id: int
    products_per_enterprise: float
    last_ids: dict = field(default_factory=dict)  # model -> the last id handed out
    usccs: set = field(default_factory=set)
    names: set = field(default_factory=set)

    def new_id(self, model: type[models.Model]) -> int:
        """Ids are handed out here, so that rows link up before they are written."""
        self.last_ids[model] += 1
        return self.last_ids[model]


def kind_counts(n: int) -> dict[str, int]:
    counts = {kind: max(1, round(n * share)) for kind, share in KIND_SHARES.items()}
    counts[EnterpriseKind.ANCHOR] = max(2, counts[EnterpriseKind.ANCHOR])
    counts[EnterpriseKind.SME] = n - sum(counts.values())
    return counts


def build_plan(city: City, n: int) -> list[PlanItem]:
    """Kinds, main categories, districts and statuses of n enterprises, covering every leaf
    category (the first SMEs take one each and show a product that meets the seed's target)
    and every district (the first enterprises take one each)."""
    rng = city.rng
    plan = [PlanItem(kind) for kind, count in kind_counts(n).items() for _ in range(count)]
    rng.shuffle(plan)
    smes = [item for item in plan if item.kind == EnterpriseKind.SME]
    for leaf, item in zip(city.leaves, smes, strict=False):
        item.primary, item.showcase = leaf, True
    for item in plan:
        item.primary = item.primary or draw_primary_category(city, item.kind)
    for district, item in zip(city.districts, plan, strict=False):
        item.district = district
    for item in plan:
        item.district = item.district or draw_district(city)
    choose_demo_enterprises(city, plan)
    assign_statuses(city, plan)
    return plan


def draw_primary_category(city: City, kind: str) -> SupplyCategory:
    rng = city.rng
    slugs = {
        EnterpriseKind.ANCHOR: ANCHOR_CATEGORIES,
        EnterpriseKind.OTHER: OTHER_KIND_CATEGORIES,
        EnterpriseKind.RESEARCH_INSTITUTE: RESEARCH_CATEGORIES,
        EnterpriseKind.UNIVERSITY: RESEARCH_CATEGORIES,
    }.get(kind)
    choices = [city.by_slug[slug] for slug in slugs or () if slug in city.by_slug]
    if choices:
        return rng.choice(choices)
    weights = [SME_CATEGORY_WEIGHTS.get(leaf.slug, 1) for leaf in city.leaves]
    return rng.choices(city.leaves, weights)[0]


def draw_district(city: City) -> District:
    local = [d for d in city.districts if d.is_local]
    outside = [d for d in city.districts if not d.is_local]
    if outside and city.rng.random() > LOCAL_SHARE:
        return city.rng.choices(outside, [4 if d.code == "other-cn" else 1 for d in outside])[0]
    # Industrial zones hold more of the industry than the old town districts.
    weights = [3 if d.code in {"hitech", "etdz", "lingang"} else 1 for d in local]
    return city.rng.choices(local, weights)[0]


def choose_demo_enterprises(city: City, plan: list[PlanItem]) -> None:
    """The demo SME (a sulfide electrolyte maker if there is one) and the demo anchor; both
    local, swapping districts with another enterprise so that every district stays covered."""
    smes = [item for item in plan if item.kind == EnterpriseKind.SME]
    sme = next((i for i in smes if i.primary.slug == "sulfide-electrolyte"), smes[0])
    anchor = next(item for item in plan if item.kind == EnterpriseKind.ANCHOR)
    sme.demo, anchor.demo = SME_USERNAME, ANCHOR_USERNAME
    for item in (sme, anchor):
        if not item.district.is_local:
            other = next(o for o in plan if not o.demo and o.district.is_local)
            item.district, other.district = other.district, item.district


def assign_statuses(city: City, plan: list[PlanItem]) -> None:
    """Some registrations wait for an official, a few were returned; the rest are verified."""
    n = len(plan)
    pending, returned = max(1, round(n * PENDING_SHARE)), max(1, round(n * RETURNED_SHARE))
    candidates = [item for item in plan if not item.demo and not item.showcase]
    chosen = city.rng.sample(candidates, min(len(candidates), pending + returned))
    for index, item in enumerate(chosen):
        item.status = ListingStatus.PENDING if index < pending else ListingStatus.RETURNED
