"""An invoice number whose no-double-claim key could not be kept is refused at import, named
by row and column, with nothing saved: NFKC writes some signs out as several letters, so 64
characters can make a key of hundreds (U+FDFA is 18), past the claim's 64."""

import pytest

from directory.models import PurchaseLine
from directory.purchases.services import purchase_lines_import

pytestmark = pytest.mark.django_db


def line(invoice_no: str) -> dict:
    return {
        "invoice_no": invoice_no,
        "line_no": 1,
        "invoice_date": "2026-04-01",
        "supplier_name": "Acme",
        "category": "cathode",
        "amount": "10.00",
    }


def test_a_number_that_nfkc_writes_out_past_64_characters_is_refused(anchor):
    expanding = "\ufdfa" * 64
    _import, outcome = purchase_lines_import(
        actor=None, buyer=anchor, raw_rows=[line("A-1"), line(expanding)], source="api"
    )
    assert [(error["row"], error["column"]) for error in outcome.errors] == [(2, "invoice_no")]
    assert "written out" in outcome.errors[0]["message"]
    assert not PurchaseLine.objects.exists()


@pytest.mark.parametrize("invoice_no", ["Ａ" * 64, "\ufdfa" * 3, "1" * 64])
def test_a_number_whose_plain_form_fits_is_kept(anchor, invoice_no):
    _import, outcome = purchase_lines_import(
        actor=None, buyer=anchor, raw_rows=[line(invoice_no)], source="api"
    )
    assert outcome.errors == []
    assert PurchaseLine.objects.get().invoice_no == invoice_no
