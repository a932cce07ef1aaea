"""The LCR rollup is the ledger summed without the supplier: kept in step by every write,
including a supplier's verification, withdrawal or move, and equal to a rebuild."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.lcr.ledger import ledger_matches_lines, rebuild_lcr_ledger
from directory.lcr.rollup import rollup_matches_ledger, rollup_snapshot, year_snapshot
from directory.lcr.selectors import (
    lcr_by_basis,
    lcr_by_buyer_and_year,
    lcr_by_year,
    lcr_figures,
    lcr_rollup,
    lcr_years,
)
from directory.models import (
    District,
    Enterprise,
    LcrRollupRow,
    LcrYearRow,
    ListingStatus,
    PurchaseLine,
)
from tests.directory.test_lcr_ledger import (
    YEARS,
    apply_ledger_operation,
    import_rows,
    ledger_operation,
)
from tests.factories import local_district, outside_district

pytestmark = pytest.mark.django_db

LEDGER_TABLE = "directory_lcrledgerrow"
ROLLUP_TABLE = "directory_lcrrolluprow"

locality_operation = st.one_of(
    # Verified or returned through save() (the services' way) rather than update().
    st.tuples(st.just("verify-saved"), st.booleans()),
    # Moved in or out of the municipality, through save() or update().
    st.tuples(st.just("move"), st.booleans(), st.booleans()),
    # The supplier's district counted in or out of the municipality.
    st.tuples(st.just("district"), st.booleans()),
)

operations = st.lists(st.one_of(ledger_operation, locality_operation), min_size=1, max_size=7)


def _apply_locality(world, operation):
    kind, *args = operation
    supplier = Enterprise.objects.get(pk=world["local"].pk)
    if kind == "verify-saved":
        supplier.status = ListingStatus.VERIFIED if args[0] else ListingStatus.RETURNED
        supplier.save()
    elif kind == "move":
        inside, by_save = args
        district = local_district() if inside else outside_district()
        if by_save:
            supplier.district = district
            supplier.save()
        else:
            Enterprise.objects.filter(pk=supplier.pk).update(district=district)
    elif kind == "district":
        district = District.objects.get(pk=supplier.district_id)
        district.is_local = args[0]
        district.save()
    else:
        apply_ledger_operation(world, operation)


def _yearly_figures(source):
    return {
        (year, group_by): lcr_figures(source, year=year, group_by=group_by)
        for year in YEARS
        for group_by in (None, "category", "quarter", "basis")
    }


def _year_table_figures(source):
    return {year: lcr_figures(source, year=year) for year in YEARS}


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=operations)
def test_the_rollup_kept_by_every_write_equals_a_rebuild_and_the_lines(world, operations):
    with transaction.atomic():
        for operation in operations:
            _apply_locality(world, operation)
        kept = rollup_snapshot(), year_snapshot()
        lines = PurchaseLine.objects.all()
        assert _yearly_figures(lcr_rollup()) == _yearly_figures(lines)
        assert _year_table_figures(lcr_years()) == _year_table_figures(lines)
        assert lcr_by_buyer_and_year() == lcr_by_buyer_and_year(lines)
        for year in YEARS:
            assert lcr_by_basis(lcr_rollup(), year=year) == lcr_by_basis(lines, year=year)
        assert rollup_matches_ledger()
        rebuild_lcr_ledger()
        assert (rollup_snapshot(), year_snapshot()) == kept
        transaction.set_rollback(True)


def _bought_locally(world, amount="1000.00"):
    buyer = world["buyers"][0]
    import_rows(
        buyer,
        [
            {
                "invoice_no": "INV-1",
                "line_no": 1,
                "invoice_date": "2026-03-10",
                "supplier_uscc": world["suppliers"][0],
                "amount": amount,
            }
        ],
    )
    return buyer


def test_a_supplier_verified_moved_or_deleted_moves_the_city_figures_at_once(world):
    buyer = _bought_locally(world)
    supplier = Enterprise.objects.get(pk=world["local"].pk)

    def city_local():
        return lcr_by_year()[-1]["local_value"] if lcr_by_year() else None

    def buyer_local():
        by_quarter = lcr_figures(lcr_rollup(buyer), year=2026)["local_value"]
        assert lcr_figures(lcr_years(buyer), year=2026)["local_value"] == by_quarter
        return by_quarter

    assert buyer_local() == Decimal("1000.00")
    supplier.district = outside_district()
    supplier.save()
    assert buyer_local() == Decimal("0.00")
    Enterprise.objects.filter(pk=supplier.pk).update(district=local_district())
    assert buyer_local() == Decimal("1000.00")
    supplier.refresh_from_db()
    supplier.delete()
    assert buyer_local() == Decimal("0.00")
    assert ledger_matches_lines()
    assert city_local() is not None


def test_the_yearly_reads_read_the_year_table_only(world):
    _bought_locally(world)
    with CaptureQueriesContext(connection) as queries:
        lcr_by_buyer_and_year()
        lcr_by_year()
    assert any(LcrYearRow._meta.db_table in query["sql"] for query in queries.captured_queries)
    assert not [
        query
        for query in queries.captured_queries
        if LEDGER_TABLE in query["sql"] or ROLLUP_TABLE in query["sql"]
    ]


@pytest.mark.parametrize("table", [LcrRollupRow, LcrYearRow])
def test_the_command_checks_and_rebuilds_the_rollup_and_the_year_table_too(world, capsys, table):
    _bought_locally(world)
    table.objects.all().delete()
    call_command("rebuild_lcr_ledger", "--check")
    assert "differed" in capsys.readouterr().out
    assert rollup_matches_ledger() and table.objects.exists()
