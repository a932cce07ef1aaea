"""Issue 17: the threshold and certification filters of the directory search are semi-joins
the indexes serve once, not probes per enterprise (EXPLAIN guards on both databases)."""

import pytest
from django.db import connection

from directory.filters import EnterpriseFilter
from directory.models import Enterprise
from tests.factories import CertificationFactory, ProductFactory

pytestmark = pytest.mark.django_db


def plan_of(params: dict[str, str]) -> str:
    queryset = EnterpriseFilter(params, Enterprise.objects.all()).qs[:20]
    sql, sql_params = queryset.query.sql_with_params()
    explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A handful of rows: the planner would scan them; ask whether the index CAN serve.
            cursor.execute("SET LOCAL enable_seqscan = off")
            # Alliance matching's index covers every verified product with its specs: on a
            # handful of rows the planner reads it whole instead (dropped inside the test's
            # transaction); at 300,000 products a threshold's own index is the cheaper read.
            cursor.execute("DROP INDEX product_category_verified")
        cursor.execute(f"{explain} {sql}", sql_params)
        plan = "\n".join(" ".join(str(column) for column in row) for row in cursor.fetchall())
        if connection.vendor == "postgresql":
            cursor.execute("RESET enable_seqscan")
    return plan


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({"specific_capacity_min": "300", "decay_rate_max": "0.05"}, "product_capacity_verified"),
        ({"ionic_conductivity_min": "0.001"}, "product_sigma_asr_verified"),
        ({"asr_max": "20"}, "product_asr_sigma_verified"),
        ({"certification": "IATF 16949"}, "certification_scheme_valid"),
    ],
)
def test_the_filter_reads_its_index_once(params, index):
    ProductFactory(specific_capacity=310, decay_rate=0.01, ionic_conductivity=0.01, asr=5)
    CertificationFactory(scheme="IATF 16949")
    plan = plan_of(params)
    assert index in plan
    if connection.vendor == "sqlite":
        assert "CORRELATED" not in plan
    else:
        assert "SubPlan" not in plan  # no per-enterprise subquery


@pytest.mark.parametrize(
    ("params", "indexes"),
    [
        (
            {"specific_capacity_min": "300", "decay_rate_max": "0.05"},
            ("product_capacity_verified",),
        ),
        (
            {"ionic_conductivity_min": "0.001", "asr_max": "20"},
            ("product_sigma_asr_verified", "product_asr_sigma_verified"),
        ),
    ],
)
def test_two_thresholds_are_tested_in_one_index(params, indexes):
    """Both thresholds tested in the index: whichever of the two electrolyte indexes the
    planner starts from carries the other threshold. PostgreSQL reads no product row at all;
    SQLite reads the rows the index found (it checks their status again)."""
    ProductFactory(specific_capacity=310, decay_rate=0.01, ionic_conductivity=0.01, asr=5)
    plan = plan_of(params)
    assert any(index in plan for index in indexes)
    if connection.vendor == "sqlite":
        assert "SCAN U0" not in plan
    else:
        assert "Index Only Scan using product_" in plan


def test_thresholds_still_need_one_product_meeting_all():
    meets = ProductFactory(specific_capacity=310, decay_rate=0.01).enterprise
    split = ProductFactory(specific_capacity=310, decay_rate=0.5).enterprise
    ProductFactory(enterprise=split, specific_capacity=100, decay_rate=0.01)
    found = EnterpriseFilter(
        {"specific_capacity_min": "300", "decay_rate_max": "0.05"}, Enterprise.objects.all()
    ).qs
    assert list(found) == [meets]
