"""Every LCR page, API and command reads the ledger, never the purchase lines, and the
buyer-year read walks the ledger's index."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.lcr.selectors import lcr_ledger, ledger_sums
from directory.models import PurchaseImportSource
from directory.purchases.services import purchase_lines_import
from tests.factories import EnterpriseFactory, outside_district

pytestmark = pytest.mark.django_db

YEAR = 2026
LINES_TABLE = "directory_purchaseline"


@pytest.fixture
def bought(anchor):
    local = EnterpriseFactory(name_zh="本地电解质", categories=["sulfide-electrolyte"])
    remote = EnterpriseFactory(name_zh="外地电解质", district=outside_district())
    rows = [
        {
            "invoice_no": f"INV-{n}",
            "line_no": 1,
            "invoice_date": f"{YEAR}-0{1 + n % 9}-10",
            "supplier_uscc": (local if n % 2 else remote).uscc,
            "category": "sulfide-electrolyte" if n % 3 else "cathode",
            "amount": f"{1000 + n}.00",
        }
        for n in range(12)
    ]
    _import, outcome = purchase_lines_import(
        actor=None, buyer=anchor, raw_rows=rows, source=PurchaseImportSource.API
    )
    assert outcome.ok, outcome.errors
    return anchor


def _reads_of_lines(queries) -> list[str]:
    return [query["sql"] for query in queries if LINES_TABLE in query["sql"]]


@pytest.mark.parametrize(
    "who, url, params",
    [
        ("anybody", "home", {}),
        ("anybody", "lcr:city", {}),
        ("anybody", "lcr:city", {"year": YEAR}),
        ("anybody", "programme:dashboard", {}),
        ("anybody", "api:lcr", {"year": YEAR, "group_by": "quarter"}),
        ("official", "lcr:dashboard", {"year": YEAR}),
        ("official", "programme:officials", {}),
        ("official", "api:lcr", {"year": YEAR, "group_by": "supplier"}),
        ("owner", "lcr:buyer", {"year": YEAR}),
        ("owner", "api:lcr", {"year": YEAR, "buyer": True, "group_by": "category"}),
    ],
)
def test_lcr_pages_and_api_read_the_ledger_not_the_lines(
    client, official, bought, who, url, params
):
    if who == "official":
        client.force_login(official)
    elif who == "owner":
        client.force_login(bought.owner)
    args = [bought.uscc] if url == "lcr:buyer" else []
    if params.get("buyer"):
        params = {**params, "buyer": bought.uscc}
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url, args=args), params)
    assert response.status_code == 200
    assert _reads_of_lines(queries.captured_queries) == []


def test_the_report_command_reads_the_ledger(bought):
    with CaptureQueriesContext(connection) as queries:
        call_command("lcr_report", "--year", str(YEAR), stdout=io.StringIO())
    assert _reads_of_lines(queries.captured_queries) == []


def test_a_buyers_year_is_read_by_the_ledgers_index(bought):
    rows = lcr_ledger(bought).filter(year=YEAR).values("quarter").annotate(**ledger_sums())
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A handful of rows: without this the planner rightly prefers reading them all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(column) for row in cursor.fetchall() for column in row)
    # Either index holds (buyer, year); the planner picks one.
    assert "lcr_ledger_buyer_year" in plan or "lcr_ledger_year_buyer" in plan
    assert LINES_TABLE not in plan
