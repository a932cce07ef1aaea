"""Alliance demands filter candidates on battery-passport figures (issue 19): the current
passport version of one of the SME's products must meet them; the list keeps its query
count whatever the number of candidates."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from alliance import selectors
from alliance.services.demands import demand_update
from directory.passport.services import passport_version_create
from tests.factories import (
    AllianceMemberFactory,
    DemandFactory,
    EnterpriseFactory,
    MembershipFactory,
    ProductFactory,
)

pytestmark = pytest.mark.django_db


def _candidate(footprint: str | None, lithium: str, *, versions: int = 1):
    """An approved SME member with one sulfide product and its passport."""
    sme = AllianceMemberFactory(enterprise=EnterpriseFactory(kind="sme")).enterprise
    product = ProductFactory(enterprise=sme)
    clerk = MembershipFactory(enterprise=sme).user
    for number in range(versions):
        passport_version_create(
            actor=clerk,
            product=product,
            data={
                "level": "material",
                "battery_category": "ev",
                "chemistry_short_name": "Li6PS5Cl",
                "carbon_footprint_total": None if footprint is None else Decimal(footprint),
                # Only the last version counts: the earlier ones claim 90 %.
                "recycled_lithium_share": Decimal(lithium if number == versions - 1 else "90"),
            },
        )
    return sme


def test_a_demand_keeps_only_suppliers_whose_current_passport_meets_it(
    django_assert_max_num_queries,
):
    good = _candidate("40", "12")
    heavy = _candidate("75", "12")
    unknown = _candidate(None, "12")
    superseded = _candidate("40", "3", versions=2)
    ProductFactory(enterprise=AllianceMemberFactory(enterprise=EnterpriseFactory()).enterprise)
    demand = DemandFactory(carbon_footprint_max=Decimal("50"), recycled_lithium_min=Decimal("10"))

    with django_assert_max_num_queries(2):
        found = set(selectors.qualifying_products(demand).values_list("enterprise", flat=True))
    assert found == {good.pk}
    assert not {heavy.pk, unknown.pk, superseded.pk} & found


def test_the_ranked_matches_bind_each_demands_passport_figures_to_its_compiled_shape():
    """Two demands of one shape (the same thresholds set, other figures) share a compiled
    statement: each must find its own suppliers, as the statement built afresh does."""
    low = _candidate("40", "12")
    high = _candidate("75", "12")
    strict = DemandFactory(carbon_footprint_max=Decimal("50"))
    loose = DemandFactory(
        category=strict.category, owner=strict.owner, carbon_footprint_max=Decimal("80")
    )

    def found(demand, **kwargs):
        return {match.enterprise_id for match in selectors.demand_matches(demand, **kwargs)}

    assert found(strict) == found(strict, compiled=False) == {low.pk}
    assert found(loose) == found(loose, compiled=False) == {low.pk, high.pk}


def test_without_passport_thresholds_a_demand_ignores_passports():
    good = _candidate("40", "12")
    plain = AllianceMemberFactory(enterprise=EnterpriseFactory()).enterprise
    ProductFactory(enterprise=plain)
    demand = DemandFactory()
    found = set(selectors.qualifying_products(demand).values_list("enterprise", flat=True))
    assert {good.pk, plain.pk} <= found


def test_a_passport_threshold_out_of_range_is_refused_naming_it():
    demand = DemandFactory()
    owner = MembershipFactory(enterprise=demand.owner).user
    with pytest.raises(ValidationError) as refused:
        demand_update(
            actor=owner,
            demand=demand,
            data={"recycled_lithium_min": Decimal("120"), "carbon_footprint_max": Decimal("-1")},
        )
    assert {"recycled_lithium_min", "carbon_footprint_max"} <= set(refused.value.message_dict)
