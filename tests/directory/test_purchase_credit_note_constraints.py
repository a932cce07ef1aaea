"""The database keeps the credit-note rule of one line whoever writes it (an import, a bulk
loader, the shell): a negative amount names the invoice it corrects, and a line of zero or
more names none. The import refuses such rows first, by row and column."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from directory.models import PurchaseLine
from tests.factories import PurchaseLineFactory

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def invoice(anchor, sme):
    return PurchaseLineFactory(
        buyer=anchor, supplier=sme, invoice_no="INV-1", amount=Decimal("1000.00")
    )


def refused(**values) -> bool:
    try:
        with transaction.atomic():
            PurchaseLineFactory(**values)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    "values",
    [
        {"amount": Decimal("-5000000.00")},
        {"amount": Decimal("-1.00"), "original_invoice_code": "1100000000"},
        {"amount": Decimal("10.00"), "original_invoice_no": "INV-1"},
        {"amount": Decimal("0.00"), "original_invoice_no": "INV-1"},
        {"amount": Decimal("10.00"), "original_invoice_code": "1100000000"},
    ],
    ids=[
        "negative-without-original",
        "negative-with-code-only",
        "positive-naming-original",
        "zero-naming-original",
        "positive-with-original-code",
    ],
)
def test_a_direct_write_breaking_the_rule_is_refused_by_the_database(invoice, values):
    before = PurchaseLine.objects.count()

    assert refused(buyer=invoice.buyer, supplier=invoice.supplier, invoice_no="CN-1", **values)

    assert PurchaseLine.objects.count() == before


def test_a_credit_note_naming_its_invoice_and_an_invoice_line_are_kept(invoice):
    credit = PurchaseLineFactory(
        buyer=invoice.buyer,
        supplier=invoice.supplier,
        invoice_no="CN-1",
        amount=Decimal("-200.00"),
        original_invoice_no="INV-1",
    )

    assert PurchaseLine.objects.filter(pk__in=[invoice.pk, credit.pk]).count() == 2


def test_an_update_that_turns_a_line_negative_without_its_original_is_refused(invoice):
    with pytest.raises(IntegrityError), transaction.atomic():
        PurchaseLine.objects.filter(pk=invoice.pk).update(amount=Decimal("-1.00"))

    invoice.refresh_from_db()
    assert invoice.amount == Decimal("1000.00")


def test_a_bulk_update_breaking_the_rule_is_refused(invoice):
    invoice.original_invoice_no = "INV-0"

    with pytest.raises(IntegrityError), transaction.atomic():
        PurchaseLine.objects.bulk_update([invoice], ["original_invoice_no"])

    invoice.refresh_from_db()
    assert invoice.original_invoice_no == ""


def test_the_credit_note_lookup_by_original_invoice_has_its_index():
    indexes = {index.name: index.fields for index in PurchaseLine._meta.indexes}
    assert indexes["purchase_buyer_original"] == ["buyer", "original_invoice_no"]
