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
    if connection.vendor == "sqlite":
        assert index in plan
        assert "CORRELATED" not in plan
        return
    assert "SubPlan" not in plan  # no per-enterprise subquery
    if index.startswith("product_"):
        # Which index the whole plan starts from follows the statistics of a handful of rows.
        assert index in index_only_plan_of_products(params)
    else:
        assert index in plan


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
    if connection.vendor == "sqlite":
        plan = plan_of(params)
        assert any(index in plan for index in indexes)
        assert "SCAN U0" not in plan
    else:
        plan = index_only_plan_of_products(params)
        assert any(f"Index Only Scan using {index}" in plan for index in indexes), plan


def index_only_plan_of_products(params: dict[str, str]) -> str:
    """PostgreSQL's plan of the products a search's thresholds find, sequential and bitmap
    scans off (index scans stay on: index-only scans need them). The whole search's plan
    follows the statistics earlier tests leave on a handful of rows (analysed, the planner
    started from the enterprises), so the question is put to the thresholds' own part."""
    search = EnterpriseFilter(params, Enterprise.objects.all())
    assert search.is_valid(), search.errors
    products = search.products_meeting().order_by().values("enterprise_id")
    sql, sql_params = products.query.sql_with_params()
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("DROP INDEX IF EXISTS product_category_verified")  # see plan_of
        cursor.execute(f"EXPLAIN {sql}", sql_params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"RESET {setting}")
    return plan


def test_thresholds_still_need_one_product_meeting_all():
    meets = ProductFactory(specific_capacity=310, decay_rate=0.01).enterprise
    split = ProductFactory(specific_capacity=310, decay_rate=0.5).enterprise
    ProductFactory(enterprise=split, specific_capacity=100, decay_rate=0.01)
    found = EnterpriseFilter(
        {"specific_capacity_min": "300", "decay_rate_max": "0.05"}, Enterprise.objects.all()
    ).qs
    assert list(found) == [meets]
