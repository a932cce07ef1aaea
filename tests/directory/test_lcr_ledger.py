"""The LCR ledger is the lines summed: kept in step by every write, equal to a rebuild."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.lcr.ledger import ledger_matches_lines, ledger_snapshot, rebuild_lcr_ledger
from directory.lcr.rollup import rollup_snapshot, year_snapshot
from directory.lcr.selectors import lcr_by_buyer_and_year, lcr_by_year, lcr_figures, lcr_ledger
from directory.models import (
    ConfirmationStatus,
    Enterprise,
    LcrLedgerRow,
    LcrRollupRow,
    LcrYearRow,
    ListingStatus,
    LocalContentShare,
    Product,
    PurchaseImportSource,
    PurchaseLine,
    PurchaseLineConfirmation,
    ShareBasis,
    SupplyCategory,
)
from directory.purchases.item_categories import item_category_save
from directory.purchases.services import purchase_lines_import

pytestmark = pytest.mark.django_db

YEARS = (2025, 2026)
CATEGORIES = ("sulfide-electrolyte", "cathode", "")


def import_rows(buyer, rows, *, must_succeed=True):
    _import, outcome = purchase_lines_import(
        actor=None, buyer=buyer, raw_rows=rows, source=PurchaseImportSource.API, review_large=False
    )
    assert outcome.ok or not must_succeed, outcome.errors
    return outcome


line_rows = st.lists(
    st.fixed_dictionaries(
        {
            "invoice": st.integers(1, 5),
            "line": st.integers(1, 2),
            "supplier": st.integers(0, 2),
            "year": st.sampled_from(YEARS),
            "month": st.integers(1, 12),
            "cents": st.integers(-50_000, 5_000_000),
            "category": st.sampled_from(CATEGORIES),
            "with_product": st.booleans(),
        }
    ),
    min_size=1,
    max_size=4,
)

ledger_operation = st.one_of(
    st.tuples(st.just("import"), st.integers(0, 1), line_rows),
    st.tuples(st.just("confirm"), st.integers(0, 50), st.sampled_from(ConfirmationStatus)),
    # A share (or none: the line counts whole) on a basis; the same day again changes it.
    st.tuples(
        st.just("share"),
        st.sampled_from(YEARS),
        st.one_of(st.none(), st.integers(0, 100)),
        st.sampled_from(ShareBasis),
    ),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("categorise")),
    st.tuples(st.just("verify"), st.booleans()),
)

operations = st.lists(ledger_operation, min_size=1, max_size=6)


def _row(world, spec):
    uscc = world["suppliers"][spec["supplier"]]
    amount = Decimal(spec["cents"]) / 100
    row = {
        "invoice_no": f"INV-{spec['invoice']}" if amount >= 0 else f"CN-{spec['invoice']}",
        "line_no": spec["line"],
        "invoice_date": datetime.date(spec["year"], spec["month"], 10).isoformat(),
        "supplier_uscc": uscc,
        "supplier_name": f"供应商{spec['supplier']}",
        "category": spec["category"],
        "description": "电解质粉",
        "amount": str(amount),
    }
    if amount < 0:
        row["original_invoice_no"] = f"INV-{spec['invoice']}"
    if spec["with_product"] and spec["supplier"] == 0:
        row["product"] = str(world["product"].pk)
    return row


def apply_ledger_operation(world, operation):
    """Carry out one draw of `ledger_operation` on the world (the rollup's test draws too)."""
    kind, *args = operation
    lines = list(PurchaseLine.objects.order_by("pk"))
    if kind == "import":
        buyer_index, specs = args
        # Credit notes beyond their invoice are refused: nothing of that import is saved.
        rows = [_row(world, spec) for spec in specs]
        import_rows(world["buyers"][buyer_index], rows, must_succeed=False)
    elif kind == "confirm" and lines:
        index, status = args
        line = lines[index % len(lines)]
        reason = "不是我们的发票" if status == ConfirmationStatus.DISPUTED else ""
        PurchaseLineConfirmation.objects.filter(line=line).delete()
        PurchaseLineConfirmation.of_line(line, status, reason).save()
    elif kind == "share":
        year, share, basis = args
        LocalContentShare.objects.update_or_create(
            product=world["product"],
            valid_from=datetime.date(year, 4, 1),
            defaults={"share": None if share is None else Decimal(share), "basis": basis},
        )
    elif kind == "delete" and lines:
        line = lines[args[0] % len(lines)]
        PurchaseLine.objects.filter(pk=line.pk).delete()
    elif kind == "categorise":
        buyer = world["buyers"][0]
        item_category_save(
            actor=buyer.owner,
            buyer=buyer,
            item_name="电解质粉",
            category_id=SupplyCategory.objects.get(slug="cathode").pk,
        )
    elif kind == "verify":
        status = ListingStatus.VERIFIED if args[0] else ListingStatus.RETURNED
        Enterprise.objects.filter(pk=world["local"].pk).update(status=status)


def _figures_from(source):
    return {
        (year, group_by): lcr_figures(source, year=year, group_by=group_by)
        for year in YEARS
        for group_by in (None, "category", "quarter", "supplier", "basis")
    }


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=operations)
def test_the_ledger_kept_by_every_write_equals_a_rebuild_and_the_lines(world, operations):
    with transaction.atomic():
        for operation in operations:
            apply_ledger_operation(world, operation)
        kept = ledger_snapshot()
        from_ledger = _figures_from(lcr_ledger())
        assert from_ledger == _figures_from(PurchaseLine.objects.all())
        assert lcr_by_buyer_and_year() == lcr_by_buyer_and_year(PurchaseLine.objects.all())
        rebuild_lcr_ledger()
        assert ledger_snapshot() == kept
        transaction.set_rollback(True)


def test_an_import_a_correction_and_a_credit_note_move_the_ledger_in_their_transaction(world):
    buyer = world["buyers"][0]
    local = world["suppliers"][0]
    row = {
        "invoice_no": "INV-1",
        "line_no": 1,
        "invoice_date": "2026-03-10",
        "supplier_uscc": local,
        "category": "sulfide-electrolyte",
        "amount": "1000.00",
    }
    import_rows(buyer, [row])
    assert lcr_by_year(buyer=buyer)[-1]["year"] >= 2026
    assert lcr_figures(lcr_ledger(buyer), year=2026)["total_value"] == Decimal("1000.00")

    # A correction moving the line to the year before leaves 2026 empty.
    import_rows(buyer, [{**row, "invoice_date": "2025-03-10", "amount": "800.00"}])
    assert lcr_figures(lcr_ledger(buyer), year=2026)["total_value"] == Decimal("0.00")
    assert lcr_figures(lcr_ledger(buyer), year=2025)["local_value"] == Decimal("800.00")

    credit = {
        **row,
        "invoice_no": "CN-1",
        "invoice_date": "2025-05-10",
        "amount": "-300.00",
        "original_invoice_no": "INV-1",
    }
    import_rows(buyer, [credit])
    assert lcr_figures(lcr_ledger(buyer), year=2025)["total_value"] == Decimal("500.00")
    assert ledger_matches_lines()


def test_a_refused_import_leaves_the_ledger_as_it_was(world):
    buyer = world["buyers"][0]
    import_rows(
        buyer,
        [
            {
                "invoice_no": "CN-9",
                "line_no": 1,
                "invoice_date": "2026-03-10",
                "supplier_uscc": world["suppliers"][1],
                "amount": "-10.00",
                "original_invoice_no": "INV-NOWHERE",
            }
        ],
        must_succeed=False,
    )
    assert not LcrLedgerRow.objects.exists()


def test_a_supplier_verified_or_returned_counts_at_once_without_rewriting_the_ledger(world):
    buyer = world["buyers"][0]
    import_rows(
        buyer,
        [
            {
                "invoice_no": "INV-1",
                "line_no": 1,
                "invoice_date": "2026-03-10",
                "supplier_uscc": world["suppliers"][0],
                "amount": "1000.00",
            }
        ],
    )
    kept = ledger_snapshot()
    Enterprise.objects.filter(pk=world["local"].pk).update(status=ListingStatus.RETURNED)
    assert lcr_figures(lcr_ledger(buyer), year=2026)["local_value"] == Decimal("0.00")
    assert ledger_snapshot() == kept


def test_deleting_a_product_drops_its_share_from_the_ledger(world):
    buyer = world["buyers"][0]
    import_rows(
        buyer,
        [
            {
                "invoice_no": "INV-1",
                "line_no": 1,
                "invoice_date": "2026-03-10",
                "supplier_uscc": world["suppliers"][0],
                "product": str(world["product"].pk),
                "amount": "1000.00",
            }
        ],
    )
    assert lcr_figures(lcr_ledger(buyer), year=2026)["local_value"] == Decimal("600.00")
    Product.objects.filter(pk=world["product"].pk).delete()
    assert lcr_figures(lcr_ledger(buyer), year=2026)["local_value"] == Decimal("1000.00")
    assert ledger_matches_lines()


def test_the_command_rebuilds_a_ledger_written_around(world, capsys):
    buyer = world["buyers"][0]
    import_rows(
        buyer,
        [
            {
                "invoice_no": "INV-1",
                "line_no": 1,
                "invoice_date": "2026-03-10",
                "supplier_uscc": world["suppliers"][0],
                "amount": "1000.00",
            }
        ],
    )
    LcrLedgerRow.objects.all().delete()
    call_command("rebuild_lcr_ledger", "--check")
    out = capsys.readouterr().out
    assert "differed" in out and "1 rows" in out
    assert ledger_matches_lines()


def test_the_migration_sums_the_lines_already_on_record(world):
    buyer = world["buyers"][0]
    import_rows(
        buyer,
        [
            {
                "invoice_no": f"INV-{n}",
                "line_no": 1,
                "invoice_date": f"202{5 + n % 2}-0{1 + n}-10",
                "supplier_uscc": world["suppliers"][n % 3],
                "supplier_name": "供应商",
                "amount": f"{100 * n}.00",
            }
            for n in range(1, 5)
        ],
    )
    kept = ledger_snapshot(), rollup_snapshot(), year_snapshot()
    LcrLedgerRow.objects.all().delete()
    LcrRollupRow.objects.all().delete()
    LcrYearRow.objects.all().delete()
    migration = importlib.import_module("directory.migrations.0030_lcr_basis_and_year_table")
    migration.sum_every_line_again(apps, None)
    assert (ledger_snapshot(), rollup_snapshot(), year_snapshot()) == kept
    assert len(kept[0]) == 4
