"""Issue 17: the matching's candidates come from covering indexes on PostgreSQL.

At 100,000 firms the ranking read the product table (176 MB) and the enterprises (124 MB)
from their heaps on every call, most of it from outside the shared buffers: a category's
products by a parallel scan of every product, each candidate's enterprise by its primary
key, each required certificate by the holder's rows. Partial covering indexes hold what the
ranking reads of the verified products of a category, of the verified SMEs, of the approved
members and of a holder's certificates, so the plan reads them by index only.

Each check plans the part of the ranking that the index serves, as the ranking writes it,
with every way of reading but by index only turned off, so the plan says whether an index
covers it: which table a plan of the whole ranking starts from follows the statistics
earlier tests leave behind, and on a test database's handful of rows a scan is rightly
cheaper (as in test_ranking_shapes)."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from alliance.models import DEMAND_THRESHOLDS, AllianceMember, MemberStatus
from alliance.ranking import demand_thresholds
from directory.models import (
    Certification,
    Enterprise,
    EnterpriseKind,
    ListingStatus,
    Product,
    SupplyCategory,
)
from tests.alliance.ranking_support import sme_member
from tests.factories import CertificationFactory, DemandFactory, ProductFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no INCLUDE columns; the indexes are there for PostgreSQL's plans",
    ),
]


#: Every way to read a table but from an index alone: the plan reads by index only exactly
#: when an index covers what the query reads.
_NOT_BY_INDEX_ONLY = ("enable_seqscan", "enable_indexscan", "enable_bitmapscan")


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for setting in _NOT_BY_INDEX_ONLY:
            cursor.execute(f"SET {setting} = off")
        try:
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            for setting in _NOT_BY_INDEX_ONLY:
                cursor.execute(f"RESET {setting}")


@pytest.fixture
def supplier():
    enterprise = sme_member()
    sulfide = SupplyCategory.objects.get(slug="sulfide-electrolyte")
    for conductivity in (1e-4, 5e-3, 2e-2):
        ProductFactory(enterprise=enterprise, category=sulfide, ionic_conductivity=conductivity)
    return enterprise


def test_a_categorys_products_are_read_by_index_only(supplier):
    """The verified products of a category with every spec a demand can set a threshold on."""
    demand = DemandFactory(
        category=SupplyCategory.objects.get(slug="sulfide-electrolyte"),
        ionic_conductivity_min=1e-3,
        asr_max=20.0,
    )
    lookups = {f"{t.field}__{t.lookup}": t.value for t in demand_thresholds(demand)}
    products = (
        Product.objects.filter(
            status=ListingStatus.VERIFIED, category_id=demand.category_id, **lookups
        )
        .order_by()
        .values("pk", "enterprise_id", *(field for field, _ in DEMAND_THRESHOLDS.values()))
    )

    assert "Index Only Scan using product_category_verified" in _plan(products)


def test_the_verified_smes_are_read_by_index_only(supplier):
    """What the score reads of the candidate firms, for the verified SMEs only."""
    firms = (
        Enterprise.objects.filter(status=ListingStatus.VERIFIED, kind=EnterpriseKind.SME)
        .order_by()
        .values("pk", "district_id", "recommended", "annual_capacity", "capacity_unit")
    )

    assert "Index Only Scan using enterprise_sme_verified" in _plan(firms)


def test_the_approved_members_history_is_read_by_index_only(supplier):
    members = (
        AllianceMember.objects.filter(enterprise_id=supplier.pk, status=MemberStatus.APPROVED)
        .order_by()
        .values("enterprise_id", "completed_collaborations", "median_answer_hours")
    )

    assert "Index Only Scan using member_approved_history" in _plan(members)


def test_a_candidates_certificate_is_found_by_index_only(supplier):
    """Where the planner probes the holders per candidate (a semi-join driven from a few
    candidates), the probe reads the scheme and validity from the index, not the heap."""
    today = timezone.localdate()
    CertificationFactory(
        enterprise=supplier, scheme="ISO 9001", valid_until=today + datetime.timedelta(days=30)
    )
    probe = (
        Certification.objects.filter(
            enterprise_id=supplier.pk, scheme="ISO 9001", valid_until__gte=today
        )
        .order_by()
        .values("enterprise_id")
    )

    assert "Index Only Scan using certification_holder_valid" in _plan(probe)
