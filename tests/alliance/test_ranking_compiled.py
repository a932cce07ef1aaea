"""Issue 17: the matching's statement is compiled once per demand shape and the figures of
each demand are bound to it (alliance.ranking.match_rows). For demands of every shape, and
several demands of one shape with different figures, the compiled statement lists exactly
what the statement built for the demand lists: the same enterprises, products, scores and
order, on SQLite and PostgreSQL alike."""

import datetime
import random
from decimal import Decimal

import pytest
from django.utils import timezone

from alliance import ranking, selectors
from directory.models import SupplyCategory
from tests.alliance.ranking_support import sme_member
from tests.factories import (
    CertificationFactory,
    DemandFactory,
    ProductFactory,
    local_district,
    outside_district,
)

pytestmark = pytest.mark.django_db

SCHEMES = ("ISO 9001", "IATF 16949", "ISO 14001")


@pytest.fixture
def suppliers():
    """Twenty-four SME members with electrolytes and cathodes around the thresholds below,
    capacities in tonnes or not, local or not, and certificates valid, expiring today or
    expired."""
    rng = random.Random(1717)
    sulfide = SupplyCategory.objects.get(slug="sulfide-electrolyte")
    cathodes = list(SupplyCategory.objects.filter(parent__slug="cathode"))
    outside = outside_district()
    today = timezone.localdate()
    members = []
    for index in range(24):
        supplier = sme_member(
            completed=rng.choice([0, 1, 3]),
            median_hours=rng.choice([None, 2.0, 50.0, 150.0, 300.0]),
            annual_capacity=rng.choice([None, Decimal("0"), Decimal("40"), Decimal("2500")]),
            capacity_unit=rng.choice(["t", "t", "GWh"]),
            recommended=rng.random() < 0.3,
            district=outside if index % 3 == 0 else local_district(),
        )
        members.append(supplier)
        for _ in range(rng.randint(1, 2)):
            ProductFactory(
                enterprise=supplier,
                category=sulfide,
                ionic_conductivity=rng.choice([0.0, 1e-3, 1.5e-3, 2e-3, 1e-2]),
                asr=rng.choice([5.0, 12.0, 20.0, 35.0]),
            )
            ProductFactory(
                enterprise=supplier,
                category=rng.choice(cathodes),
                specific_capacity=rng.choice([250.0, 280.0, 320.0]),
                decay_rate=rng.choice([0.0, 0.02, 0.04]),
            )
        for scheme in SCHEMES:
            if rng.random() < 0.6:
                CertificationFactory(
                    enterprise=supplier,
                    scheme=scheme,
                    valid_until=today + datetime.timedelta(days=rng.choice([-1, 0, 90])),
                )
    return members


# Pairs of one shape with different figures (the second reuses the first's statement), and
# shapes that differ only where the text must differ: a zero threshold, a volume without a
# unit, a limit.
DEMANDS = {
    "category only": [{}, {"category": "solid-electrolyte"}],
    "at least": [{"ionic_conductivity_min": 1e-3}, {"ionic_conductivity_min": 2e-3}],
    "zero threshold": [
        {"ionic_conductivity_min": 0.0},
        {"category": "cathode", "decay_rate_max": 0.0},
    ],
    "at least and at most": [
        {"ionic_conductivity_min": 1e-3, "asr_max": 20.0},
        {"ionic_conductivity_min": 1.5e-3, "asr_max": 35.0},
    ],
    "volume": [
        {"category": "cathode", "specific_capacity_min": 250, "annual_volume": Decimal("2000")},
        {
            "category": "cathode",
            "specific_capacity_min": 280,
            "annual_volume": Decimal("30"),
            "volume_unit": "t",
        },
        {
            "category": "cathode",
            "specific_capacity_min": 250,
            "annual_volume": Decimal("2000"),
            "volume_unit": "GWh",
        },
    ],
    "certifications": [
        {"ionic_conductivity_min": 1e-3, "certs": ["ISO 9001"]},
        {"ionic_conductivity_min": 1e-3, "certs": ["IATF 16949"]},
        {"category": "cathode", "decay_rate_max": 0.04, "certs": ["ISO 14001", "ISO 9001"]},
    ],
}


def _demand(fields: dict, owner=None):
    fields = dict(fields)
    if "category" in fields:
        fields["category"] = SupplyCategory.objects.get(slug=fields["category"])
    fields["required_certifications"] = fields.pop("certs", [])
    if owner is not None:
        fields["owner"] = owner
    return DemandFactory(**fields)


def _listed(matches) -> list[tuple]:
    return [
        (m.enterprise_id, m.product_id, m.product, m.score.total, m.score, m.qualifies)
        for m in matches
    ]


@pytest.mark.parametrize("shape", DEMANDS.values(), ids=DEMANDS.keys())
def test_the_compiled_statement_lists_what_the_built_one_does(
    suppliers, shape, django_assert_num_queries
):
    for index, fields in enumerate(shape):
        # A supplier that posts a demand is no candidate of its own: the owner is a figure too.
        demand = _demand(fields, owner=suppliers[index] if index else None)
        built = selectors.demand_matches(demand, compiled=False)
        assert built, fields  # something to compare
        for limit in (selectors.MATCH_LIMIT, 3):
            with django_assert_num_queries(1):
                compiled = selectors.demand_matches(demand, limit=limit)
            assert _listed(compiled) == _listed(built[:limit])
        if index:
            assert demand.owner_id not in [m.enterprise_id for m in compiled]


def test_a_shape_is_compiled_once_and_bound_to_each_demand(suppliers):
    ranking._STATEMENTS.clear()
    first = _demand({"ionic_conductivity_min": 1e-3, "asr_max": 35.0})
    second = _demand({"ionic_conductivity_min": 2e-3, "asr_max": 12.0})
    other_shape = _demand({"ionic_conductivity_min": 1e-3})

    selectors.demand_matches(first)
    assert len(ranking._STATEMENTS) == 1
    listed = selectors.demand_matches(second)
    assert len(ranking._STATEMENTS) == 1  # the second demand reused the statement
    assert _listed(listed) == _listed(selectors.demand_matches(second, compiled=False))
    assert all(m.product["ionic_conductivity"] >= 2e-3 for m in listed)
    assert all(m.product["asr"] <= 12.0 for m in listed)
    selectors.demand_matches(other_shape)
    assert len(ranking._STATEMENTS) == 2


def test_a_demand_without_candidates_answers_an_empty_list_either_way(suppliers):
    demand = _demand({"ionic_conductivity_min": 1.0})
    assert selectors.demand_matches(demand) == []
    assert selectors.demand_matches(demand, compiled=False) == []
