"""Matching ranks the whole directory in SQL (alliance.selectors.ranked_candidates) and explains
the listed candidates with the pure module (alliance.matching): the two must agree on every
total, on each enterprise's best product and on the order, on SQLite and PostgreSQL alike."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from alliance import selectors
from alliance.models import AllianceMember, Collaboration, DemandResponse
from alliance.services import supplier_history
from directory.models import SupplyCategory
from tests.alliance.ranking_support import reference_ranking, sme_member
from tests.factories import (
    DemandFactory,
    ProductFactory,
    local_district,
    outside_district,
)

pytestmark = pytest.mark.django_db

SULFIDE = "sulfide-electrolyte"


@pytest.fixture
def varied_directory():
    """Forty SME members with products around the thresholds (just meeting them, beating
    them by half, in between), capacities in and out of the demand's unit, local or not,
    recommended or not, and every band of history; some figures drawn at random, so that
    many roundings to the tenth are compared."""
    rng = random.Random(2026)
    outside = outside_district()
    conductivities = [2e-3, 3e-3, 2.5e-3, 4e-3, 2.1e-3, 1e-2]
    resistances = [40.0, 20.0, 30.0, 35.5, 10.0]
    medians = [None, 0.5, 24.0, 24.01, 72.0, 100.0, 168.0, 500.0, rng.uniform(1, 200)]
    for index in range(40):
        supplier = sme_member(
            completed=rng.choice([0, 0, 1, 2, 3]),
            median_hours=rng.choice(medians),
            annual_capacity=rng.choice(
                [
                    None,
                    Decimal("0"),
                    Decimal("12.5"),
                    Decimal("80"),
                    Decimal(rng.randint(1, 9999)) / 100,
                ]
            ),
            capacity_unit=rng.choice(["t", "t", "GWh", ""]),
            recommended=rng.random() < 0.3,
            district=outside if index % 3 == 0 else local_district(),
        )
        for _ in range(rng.randint(1, 3)):
            ProductFactory(
                enterprise=supplier,
                ionic_conductivity=rng.choice([*conductivities, rng.uniform(2e-3, 3.2e-3)]),
                asr=rng.choice([*resistances, rng.uniform(19.0, 40.0)]),
            )


@pytest.mark.parametrize(
    "demand_fields",
    [
        {},
        {"ionic_conductivity_min": 2e-3},
        {"ionic_conductivity_min": 2e-3, "asr_max": 40.0, "annual_volume": Decimal("50")},
        {"asr_max": 40.0, "annual_volume": Decimal("25"), "volume_unit": "t"},
        {"ionic_conductivity_min": 0.0, "asr_max": 30.0},
    ],
    ids=["category only", "one threshold", "two thresholds", "at most and volume", "zero"],
)
def test_the_sql_ranking_agrees_with_the_python_score_on_every_candidate(
    varied_directory, demand_fields
):
    demand = DemandFactory(**demand_fields)
    reference = reference_ranking(demand)
    assert len(reference) > 20  # most suppliers qualify: the comparison covers many rows

    rows = list(
        selectors.ranked_candidates(demand, limit=100).values("pk", "enterprise_id", "total_tenths")
    )
    matches = selectors.demand_matches(demand, limit=100)

    assert [(r["enterprise_id"], r["pk"], r["total_tenths"] / 10) for r in rows] == reference
    assert [m.score.total for m in matches] == [r["total_tenths"] / 10 for r in rows]
    assert [m.product_id for m in matches] == [r["pk"] for r in rows]
    assert len({total for *_ids, total in reference}) > 5


def test_half_tenths_round_up_in_sql_as_in_python():
    """35/2 * 0.5 + 35/2 = 26.25 exactly: both sides keep 26.3 (half up, not half even)."""
    supplier = sme_member()
    ProductFactory(enterprise=supplier, ionic_conductivity=1e-3, asr=5.0)
    demand = DemandFactory(ionic_conductivity_min=1e-3, asr_max=10.0)

    [row] = selectors.ranked_candidates(demand).values("spec_tenths", "total_tenths")
    [match] = selectors.demand_matches(demand)

    assert row["spec_tenths"] == 263 and match.score.parts[0].points == 26.3
    assert match.score.total == row["total_tenths"] / 10


def test_an_enterprise_is_listed_once_with_its_best_product():
    supplier = sme_member()
    ProductFactory(enterprise=supplier, ionic_conductivity=2e-3)
    best = ProductFactory(enterprise=supplier, ionic_conductivity=1e-2)
    ProductFactory(enterprise=supplier, ionic_conductivity=2.5e-3)
    equal = sme_member()
    first = ProductFactory(enterprise=equal, ionic_conductivity=9e-3)
    ProductFactory(enterprise=equal, ionic_conductivity=9e-3)
    demand = DemandFactory(ionic_conductivity_min=2e-3)

    matches = selectors.demand_matches(demand)

    assert {m.enterprise_id: m.product_id for m in matches} == {
        supplier.pk: best.pk,
        equal.pk: first.pk,  # both beat the threshold by more than half: the earlier one
    }


def test_equal_scores_are_ordered_by_enterprise_and_the_limit_cuts_there():
    twins = [sme_member(name_zh=name) for name in ("丙", "甲", "乙", "丁")]
    for twin in twins:
        ProductFactory(enterprise=twin, ionic_conductivity=5e-3)
    leader = sme_member(recommended=True)
    ProductFactory(enterprise=leader, ionic_conductivity=5e-3)
    demand = DemandFactory(ionic_conductivity_min=2e-3)

    everyone = selectors.demand_matches(demand)
    top = selectors.demand_matches(demand, limit=3)

    assert [m.enterprise_id for m in everyone] == [leader.pk] + [t.pk for t in twins]
    assert len({m.score.total for m in everyone[1:]}) == 1
    assert [m.enterprise_id for m in top] == [leader.pk, twins[0].pk, twins[1].pk]
    assert selectors.demand_matches(demand, limit=3) == top  # the same on every call


def test_history_moves_a_candidate_up_the_list():
    quiet = sme_member()
    ProductFactory(enterprise=quiet, ionic_conductivity=5e-3)
    proven = sme_member(completed=2, median_hours=3.0)
    ProductFactory(enterprise=proven, ionic_conductivity=5e-3)
    demand = DemandFactory(ionic_conductivity_min=2e-3)

    [first, second] = selectors.demand_matches(demand)

    assert (first.enterprise_id, second.enterprise_id) == (proven.pk, quiet.pk)
    assert first.score.total - second.score.total == 10 + 5  # track record, responsiveness
    parts = {part.key: part for part in first.score.parts}
    assert parts["track_record"].detail == {"completed": 2}
    assert parts["responsiveness"].detail == {"median_hours": 3.0}


def test_the_ranking_is_one_query_for_few_or_many_candidates(django_assert_num_queries):
    demand = DemandFactory(ionic_conductivity_min=2e-3)
    ProductFactory(enterprise=sme_member(), ionic_conductivity=3e-3)
    with django_assert_num_queries(1):
        assert len(selectors.demand_matches(demand, limit=5)) == 1
    for _ in range(12):
        ProductFactory(enterprise=sme_member(completed=1), ionic_conductivity=4e-3)
    with django_assert_num_queries(1):
        assert len(selectors.demand_matches(demand, limit=5)) == 5


# --- the supplier history the ranking reads -----------------------------------------------------


def _invitation(demand, supplier, hours):
    invited_at = timezone.now() - datetime.timedelta(days=3)
    return DemandResponse.objects.create(
        demand=demand,
        supplier=supplier,
        status="accepted",
        invited_at=invited_at,
        answered_at=invited_at + datetime.timedelta(hours=hours),
    )


def test_the_history_refresh_counts_from_the_records():
    supplier = sme_member()
    other = sme_member()
    demand = DemandFactory()
    for hours in (2, 30, 100):
        _invitation(DemandFactory(owner=demand.owner), supplier, hours)
    DemandResponse.objects.create(demand=demand, supplier=supplier, status="interested")
    for status in ("completed", "completed", "active", "terminated"):
        collaboration = Collaboration.objects.create(
            title="Supply", model="supply", starts_on=datetime.date(2025, 1, 1), status=status
        )
        collaboration.parties.create(enterprise=supplier, role="supplier")
        collaboration.parties.create(enterprise=demand.owner, role="anchor")

    changed = supplier_history.supplier_history_refresh(
        suppliers=AllianceMember.objects.values("enterprise_id")
    )

    member = AllianceMember.objects.get(enterprise=supplier)
    assert (member.completed_collaborations, member.median_answer_hours) == (2, 30.0)
    assert AllianceMember.objects.get(enterprise=other).median_answer_hours is None
    assert AllianceMember.objects.get(enterprise=demand.owner).completed_collaborations == 0
    assert changed == 1
    assert supplier_history.supplier_history_refresh(suppliers=[supplier.pk]) == 0  # nothing new


def test_the_backfill_migration_counts_the_history_recorded_before_it():
    from importlib import import_module

    from django.apps import apps

    backfill = import_module("alliance.migrations.0007_backfill_supplier_history").backfill
    supplier = sme_member()
    _invitation(DemandFactory(), supplier, 5)
    _invitation(DemandFactory(), supplier, 9)
    collaboration = Collaboration.objects.create(
        title="Done", model="supply", starts_on=datetime.date(2025, 1, 1), status="completed"
    )
    collaboration.parties.create(enterprise=supplier, role="supplier")

    backfill(apps, schema_editor=None)

    member = AllianceMember.objects.get(enterprise=supplier)
    assert (member.completed_collaborations, member.median_answer_hours) == (1, 7.0)


def test_a_category_with_children_ranks_its_subcategories_products():
    parent = SupplyCategory.objects.get(slug=SULFIDE).parent
    supplier = sme_member()
    ProductFactory(enterprise=supplier)
    demand = DemandFactory(category=parent)

    assert [m.enterprise_id for m in selectors.demand_matches(demand)] == [supplier.pk]
