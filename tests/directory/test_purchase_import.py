"""Recording purchase lines: all or nothing, every problem reported, idempotent, corrections
kept; and the background import of an uploaded file."""

import threading
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from directory.models import (
    Membership,
    PurchaseImport,
    PurchaseImportSource,
    PurchaseImportStatus,
    PurchaseLine,
    PurchaseLineRevision,
)
from directory.purchases.files import read_purchase_file
from directory.purchases.services import purchase_import_submit, purchase_lines_import
from directory.purchases.tasks import process_purchase_import
from tests.directory.review_support import imports_count_at_once
from tests.factories import EnterpriseFactory, MembershipFactory, ProductFactory, UserFactory

HEADER = "invoice_no,line_no,invoice_date,supplier_uscc,supplier_name,category,product,amount"


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def good_lines(count: int) -> list[str]:
    return [
        f"INV-{n:04d},1,2026-03-{n % 28 + 1:02d},,Supplier {n},cathode,,{n * 100}.50"
        for n in range(1, count + 1)
    ]


def import_file(buyer, data: bytes, actor=None):
    parsed = read_purchase_file(data)
    return purchase_lines_import(
        actor=actor,
        buyer=buyer,
        raw_rows=parsed.rows,
        source=PurchaseImportSource.COMMAND,
        first_row=parsed.first_row,
    )


def line(**values) -> dict:
    return {
        "invoice_no": "INV-1",
        "line_no": 1,
        "invoice_date": "2026-03-31",
        "supplier_name": "Acme",
        "category": "cathode",
        "amount": "1000.00",
        **values,
    }


def test_three_bad_rows_among_ten_are_all_reported_and_nothing_is_saved(anchor):
    lines = good_lines(10)
    lines[1] = "INV-0002,1,31.03.2026,,Supplier 2,cathode,,10.00"
    lines[4] = "INV-0005,0,2026-03-05,,Supplier 5,no-such-category,,10.00"
    lines[8] = "INV-0009,1,2026-03-09,,,cathode,,12.345"

    purchase_import, outcome = import_file(anchor, csv_bytes(HEADER, *lines))

    assert [(error["row"], error["column"]) for error in outcome.errors] == [
        (3, "invoice_date"),
        (6, "line_no"),
        (6, "category"),
        (10, "amount"),
        (10, "supplier_name"),
    ]
    assert {error["row"] for error in outcome.errors} == {3, 6, 10}
    assert PurchaseLine.objects.count() == 0
    assert purchase_import.status == PurchaseImportStatus.FAILED
    assert purchase_import.errors == outcome.errors


def test_the_same_file_twice_changes_nothing_and_says_so(anchor):
    data = csv_bytes(HEADER, *good_lines(12))

    _first, created = import_file(anchor, data)
    second_import, again = import_file(anchor, data)

    assert created.summary() == "12 new, 0 updated, 0 unchanged"
    assert again.summary() == "0 new, 0 updated, 12 unchanged"
    assert PurchaseLine.objects.count() == 12
    assert PurchaseLineRevision.objects.count() == 0
    assert second_import.unchanged_count == 12


def test_a_correction_updates_the_line_and_keeps_its_earlier_values(anchor):
    purchase_lines_import(
        actor=anchor.owner, buyer=anchor, raw_rows=[line(), line(line_no=2)], source="api"
    )

    correction, outcome = purchase_lines_import(
        actor=anchor.owner,
        buyer=anchor,
        raw_rows=[line(amount="1200.00", unit="kg"), line(line_no=2)],
        source="api",
    )

    assert outcome.summary() == "0 new, 1 updated, 1 unchanged"
    corrected = PurchaseLine.objects.get(line_no=1)
    assert corrected.amount == Decimal("1200.00")
    assert corrected.last_import == correction
    [revision] = corrected.revisions.all()
    assert revision.previous_values["amount"] == "1000.00"
    assert revision.previous_values["unit"] == ""
    assert revision.changed_by == anchor.owner
    assert revision.purchase_import == correction


def test_a_credit_note_is_recorded_as_a_negative_amount(anchor):
    purchase_lines_import(
        actor=None,
        buyer=anchor,
        raw_rows=[
            line(amount="2000.00"),
            line(invoice_no="CN-7", amount="-1,250.40", original_invoice_no="INV-1"),
        ],
        source="command",
    )

    assert PurchaseLine.objects.get(invoice_no="CN-7").amount == Decimal("-1250.40")


def test_a_line_given_twice_in_one_delivery_is_refused_with_both_rows(anchor):
    _import, outcome = purchase_lines_import(
        actor=None, buyer=anchor, raw_rows=[line(), line(amount="5")], source="command"
    )

    assert outcome.errors == [
        {
            "row": 2,
            "column": "line_no",
            "message": "Invoice INV-1 line 1 appears twice (first in row 1).",
        }
    ]


def test_supplier_name_comes_from_the_directory_when_the_code_is_known(anchor):
    supplier = EnterpriseFactory()
    product = ProductFactory(enterprise=supplier)

    purchase_lines_import(
        actor=None,
        buyer=anchor,
        raw_rows=[line(supplier_name="", supplier_uscc=supplier.uscc, product=str(product.pk))],
        source="command",
    )

    stored = PurchaseLine.objects.get()
    assert stored.supplier_name == supplier.name_zh
    assert stored.supplier_id == supplier.uscc
    assert stored.product == product


@pytest.mark.parametrize(
    ("values", "column"),
    [
        ({"line_no": "99999999999"}, "line_no"),
        ({"quantity": "1e15"}, "quantity"),
        ({"amount": "1e20"}, "amount"),
        ({"product": "²"}, "product"),
        ({"product": "9" * 30}, "product"),
        ({"supplier_uscc": "91330100MA2H3K4L5X"}, "supplier_uscc"),
        ({"invoice_no": "X" * 65}, "invoice_no"),
    ],
)
def test_values_beyond_what_the_columns_hold_are_reported_not_crashed_on(anchor, values, column):
    _import, outcome = purchase_lines_import(
        actor=None, buyer=anchor, raw_rows=[line(**values)], source="command"
    )

    assert [error["column"] for error in outcome.errors] == [column]
    assert PurchaseLine.objects.count() == 0


def test_progress_is_reported_while_the_rows_are_checked(anchor):
    rows = [line(invoice_no=f"INV-{n}") for n in range(4500)]
    reported = []

    purchase_lines_import(
        actor=None, buyer=anchor, raw_rows=rows, source="command", on_progress=reported.append
    )

    assert reported == [2000, 4000, 4500]


def test_a_member_of_another_firm_cannot_record_for_a_buyer(anchor, sme):
    with pytest.raises(PermissionDenied):
        purchase_lines_import(actor=sme.owner, buyer=anchor, raw_rows=[line()], source="api")

    assert not PurchaseImport.objects.exists()


# --- the background import of an upload ----------------------------------------------------


def submit(buyer, data: bytes, captured):
    with captured(execute=True):
        purchase_import, ignored = purchase_import_submit(
            actor=buyer.owner, buyer=buyer, content=data, filename="purchases.csv"
        )
    purchase_import.refresh_from_db()
    return purchase_import, ignored


def test_an_upload_is_imported_in_the_background_with_its_progress(
    anchor, django_capture_on_commit_callbacks
):
    imports_count_at_once()  # a first import of this size would wait for review
    data = csv_bytes(HEADER, *good_lines(4500))

    purchase_import, ignored = submit(anchor, data, django_capture_on_commit_callbacks)

    assert ignored == []
    assert purchase_import.status == PurchaseImportStatus.SUCCEEDED
    assert purchase_import.source == PurchaseImportSource.UPLOAD
    assert purchase_import.submitted_by == anchor.owner
    assert (purchase_import.rows_total, purchase_import.rows_done) == (4500, 4500)
    assert purchase_import.created_count == 4500
    assert PurchaseLine.objects.filter(last_import=purchase_import).count() == 4500


def test_a_file_that_is_no_table_is_refused_before_it_is_queued(anchor):
    with pytest.raises(ValidationError) as caught:
        purchase_import_submit(
            actor=anchor.owner, buyer=anchor, content=b"\x89PNG\r\n\x1a\n\x00", filename="x.csv"
        )

    assert "file" in caught.value.message_dict
    assert not PurchaseImport.objects.exists()


def test_problems_found_by_the_background_import_are_kept_on_it(
    anchor, django_capture_on_commit_callbacks
):
    only_header = csv_bytes(HEADER)

    purchase_import, _ignored = submit(anchor, only_header, django_capture_on_commit_callbacks)

    assert purchase_import.status == PurchaseImportStatus.FAILED
    assert purchase_import.errors[0]["message"].startswith("The file has a header row but no")
    assert purchase_import.finished_at is not None


def test_an_uploader_who_left_the_firm_meanwhile_records_nothing(anchor):
    colleague = UserFactory()
    MembershipFactory(user=colleague, enterprise=anchor)
    purchase_import, _ignored = purchase_import_submit(
        actor=colleague, buyer=anchor, content=csv_bytes(HEADER, *good_lines(3)), filename="p.csv"
    )
    Membership.objects.filter(user=colleague).delete()

    process_purchase_import.enqueue(purchase_import.pk)

    purchase_import.refresh_from_db()
    assert purchase_import.status == PurchaseImportStatus.FAILED
    assert "Only members" in purchase_import.errors[0]["message"]
    assert not PurchaseLine.objects.exists()


def test_a_task_delivered_twice_imports_once(anchor, django_capture_on_commit_callbacks):
    purchase_import, _ignored = submit(
        anchor, csv_bytes(HEADER, *good_lines(3)), django_capture_on_commit_callbacks
    )

    process_purchase_import.enqueue(purchase_import.pk)

    purchase_import.refresh_from_db()
    assert purchase_import.created_count == 3
    assert PurchaseImport.objects.count() == 1


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite serialises every write: the race needs PostgreSQL's row locks",
)
# Real transactions: the two threads cannot share the test's. (tests/conftest.py runs such
# tests last, because they empty the tables the data migrations filled; the serialized
# rollback reloads those rows when another transactional test ran first.)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_imports_of_the_same_new_lines_at_once_record_each_line_once(anchor):
    """Two deliveries racing (an ERP retrying while the first call still runs)."""
    rows = [line(invoice_no=f"INV-{n}") for n in range(1, 201)]
    start = threading.Barrier(2)
    outcomes, failures = [], []

    def deliver():
        from django.db import connection

        try:
            start.wait()
            outcomes.append(
                purchase_lines_import(
                    actor=None, buyer=anchor, raw_rows=rows, source=PurchaseImportSource.API
                )[1]
            )
        except Exception as error:  # whatever escapes is the failure to report
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert sorted((o.created, o.unchanged) for o in outcomes) == [(0, 200), (200, 0)]
    assert PurchaseLine.objects.count() == 200
